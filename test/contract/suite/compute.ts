import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Flavor } from '../../../src/openstack/index.js';
import { area } from './area.js';
import { need, type ContractRun } from './contract-run.js';
import { expectHttpError } from './expect-error.js';
import { newSshPublicKey } from './ssh-key.js';

/** Nova admin objects: flavors (access, extra specs), keypairs, quotas, hypervisors, services, zones. */
export function computeArea(run: ContractRun): void {
  area(run, 'compute: flavors, keypairs, quotas, hosts', {}, (a) => {
    const cloud = () => run.cloud;
    const nova = () => run.cloud.compute;
    let flavor: Flavor | undefined;

    a.step('lists flavors, public and private, with their extra specs', async () => {
      const flavors = await nova().flavors.list();
      const wanted = run.target.fixtures?.flavorName ?? 'm1.tiny';
      const f = flavors.find((x) => x.name === wanted);
      assert.ok(f, `flavor ${wanted} among ${flavors.map((x) => x.name).join(', ')}`);
      assert.ok(f.vcpus > 0 && f.ramMb > 0, 'vcpus and ram are numbers');
      assert.equal(typeof f.extraSpecs, 'object');
      assert.deepEqual(await nova().flavors.get(f.id), f);
    });

    a.step('creates a private flavor keeping a given id', async () => {
      const id = randomUUID();
      const name = run.name('flavor');
      flavor = await nova().flavors.create({ id, name, vcpus: 1, ramMb: 64, diskGb: 1, swapMb: 0, isPublic: false });
      a.ledger.add(id, { label: `flavor ${name} (${id})`, remove: () => nova().flavors.delete(id) });
      assert.equal(flavor.id, id);
      assert.equal(flavor.name, name);
      assert.deepEqual([flavor.vcpus, flavor.ramMb, flavor.diskGb, flavor.swapMb, flavor.ephemeralGb], [1, 64, 1, 0, 0]);
      assert.equal(flavor.isPublic, false);
      assert.ok((await nova().flavors.list()).some((x) => x.id === id), 'an admin lists private flavors too');
    });

    a.step('sets, reads and deletes flavor extra specs', async () => {
      const f = need(flavor, 'the flavor');
      const set = await nova().flavors.setExtraSpecs(f.id, { 'phc:contract': 'yes', 'hw:cpu_policy': 'shared' });
      assert.deepEqual(set, { 'phc:contract': 'yes', 'hw:cpu_policy': 'shared' });
      assert.deepEqual(await nova().flavors.getExtraSpecs(f.id), { 'phc:contract': 'yes', 'hw:cpu_policy': 'shared' });
      assert.deepEqual((await nova().flavors.get(f.id)).extraSpecs, { 'phc:contract': 'yes', 'hw:cpu_policy': 'shared' });
      const listed = (await nova().flavors.list()).find((x) => x.id === f.id);
      assert.deepEqual(listed?.extraSpecs, { 'phc:contract': 'yes', 'hw:cpu_policy': 'shared' });
      await nova().flavors.deleteExtraSpec(f.id, 'phc:contract');
      assert.deepEqual(await nova().flavors.getExtraSpecs(f.id), { 'hw:cpu_policy': 'shared' });
    });

    a.step('grants and removes project access to the private flavor', async () => {
      const f = need(flavor, 'the flavor');
      const project = run.tenant.project.id;
      assert.deepEqual(await nova().flavors.listAccess(f.id), []);
      await nova().flavors.addAccess(f.id, project);
      await nova().flavors.addAccess(f.id, project); // already granted: 409, taken as success
      assert.deepEqual(await nova().flavors.listAccess(f.id), [project]);
      await nova().flavors.removeAccess(f.id, project);
      assert.deepEqual(await nova().flavors.listAccess(f.id), []);
      const pub = (await nova().flavors.list()).find((x) => x.isPublic);
      if (pub) assert.deepEqual(await nova().flavors.listAccess(pub.id), [], 'a public flavor has no access list');
    });

    a.step('deletes the flavor; it is then a 404', async () => {
      const f = need(flavor, 'the flavor');
      await nova().flavors.delete(f.id);
      a.ledger.forget(f.id);
      await expectHttpError(nova().flavors.get(f.id), { status: 404, service: 'compute', cloud: run.target.name, pathIncludes: f.id, faultType: 'itemNotFound' });
    });

    a.step('imports a keypair; Nova reports the MD5 fingerprint of the key', async () => {
      const key = newSshPublicKey('phc-contract');
      const name = run.name('key');
      const k = await nova().keypairs.create({ name, publicKey: key.line });
      a.ledger.add(`key:${name}`, { label: `keypair ${name}`, remove: () => nova().keypairs.delete(name) });
      assert.equal(k.name, name);
      assert.equal(k.fingerprint, key.md5Fingerprint);
      assert.equal(k.publicKey.trim(), key.line);
      assert.equal(k.userId, cloud().session.userId);
      const listed = (await nova().keypairs.list()).find((x) => x.name === name);
      assert.equal(listed?.fingerprint, key.md5Fingerprint);
      assert.equal((await nova().keypairs.get(name)).publicKey.trim(), key.line);
      await expectHttpError(nova().keypairs.create({ name, publicKey: key.line }), {
        status: 409,
        service: 'compute',
        cloud: run.target.name,
        method: 'POST',
        faultType: 'conflictingRequest',
      });
      await nova().keypairs.delete(name);
      a.ledger.forget(`key:${name}`);
      await expectHttpError(nova().keypairs.get(name), { status: 404, service: 'compute', cloud: run.target.name, faultType: 'itemNotFound' });
    });

    a.step("lists and creates another user's keypairs (microversion 2.10)", async (t) => {
      if (!nova().keypairs.canActForOtherUsers) return t.skip('the cloud is below Nova microversion 2.10: keypairs act for their owner only');
      const owner = run.tenant.user.id;
      const key = newSshPublicKey('phc-contract-other');
      const name = run.name('other-key');
      const k = await nova().keypairs.create({ name, publicKey: key.line, userId: owner });
      a.ledger.add(`key:${name}`, { label: `keypair ${name} of user ${owner}`, remove: () => nova().keypairs.delete(name, { userId: owner }) });
      assert.equal(k.userId, owner);
      assert.equal(k.fingerprint, key.md5Fingerprint);
      assert.deepEqual((await nova().keypairs.list({ userId: owner })).map((x) => x.name), [name]);
      assert.ok(!(await nova().keypairs.list()).some((x) => x.name === name), "not among the admin's own keypairs");
      assert.equal((await nova().keypairs.get(name, { userId: owner })).fingerprint, key.md5Fingerprint);
      await nova().keypairs.delete(name, { userId: owner });
      a.ledger.forget(`key:${name}`);
      assert.deepEqual(await nova().keypairs.list({ userId: owner }), []);
      // Nova does not ask Keystone about user_id: a user deleted while discovery runs lists no
      // keypairs rather than failing the read (discovery's per-user keypair reads rely on it).
      assert.deepEqual(await nova().keypairs.list({ userId: 'ffffffffffffffffffffffffffffffff' }), []);
    });

    a.step('reads, sets and resets compute quotas of a project', async () => {
      const project = run.tenant.project.id;
      const defaults = await nova().quotas.defaults(project);
      for (const k of ['instances', 'cores', 'ram', 'key_pairs']) assert.equal(typeof defaults[k], 'number', `default quota ${k}`);
      assert.deepEqual(await nova().quotas.get(project), defaults, 'a new project has the defaults');
      a.ledger.add(`quota:${project}`, { label: `compute quotas of ${project}`, remove: () => nova().quotas.reset(project) });
      const set = await nova().quotas.update(project, { instances: 7, cores: 11 });
      assert.equal(set['instances'], 7);
      assert.equal(set['cores'], 11);
      const got = await nova().quotas.get(project);
      assert.deepEqual([got['instances'], got['cores'], got['ram']], [7, 11, defaults['ram']]);
      await nova().quotas.reset(project);
      a.ledger.forget(`quota:${project}`);
      assert.deepEqual(await nova().quotas.get(project), defaults);
    });

    a.step('quotas of a project Keystone does not know: a 400 where Nova verifies the project (Pike+), the defaults on legacy Nova', async (t) => {
      const unknown = randomUUID().replace(/-/g, '');
      const mv = run.cloud.capabilities.computeMicroversion;
      const minor = mv === null ? null : Number(mv.split('.')[1]);
      if (minor === null) {
        assert.deepEqual(await nova().quotas.get(unknown), await nova().quotas.defaults(run.tenant.project.id), 'legacy Nova answers the defaults');
      } else if (minor >= 53) {
        await expectHttpError(nova().quotas.get(unknown), { status: 400, service: 'compute', cloud: run.target.name, pathIncludes: unknown, faultType: 'badRequest' });
      } else {
        return t.skip(`Nova ${mv}: whether it verifies the project depends on the release between Kilo and Ocata`);
      }
    });

    a.step('lists hypervisors with their state and the servers on them', async () => {
      const hvs = await nova().hypervisors.list();
      assert.ok(hvs.length > 0, 'at least one hypervisor');
      for (const h of hvs) {
        assert.ok(h.hostname, 'hostname');
        assert.ok(h.state === 'up' || h.state === 'down' || h.state === null, `state ${h.state}`);
        assert.ok(h.vcpus === null || h.vcpus > 0, 'vcpus');
      }
      const up = hvs.find((h) => h.state !== 'down');
      assert.ok(up, 'a hypervisor that is up');
      assert.equal((await nova().hypervisors.get(up.id)).hostname, up.hostname);
      const found = await nova().hypervisors.servers(up.hostname);
      assert.ok(found.some((x) => x.hypervisorHostname === up.hostname), `servers of ${up.hostname}`);
      assert.deepEqual(await nova().hypervisors.servers(run.name('no-such-host')), []);
    });

    a.step('lists compute services; disables one with a reason and enables it again', async () => {
      const services = await nova().services.list({ binary: 'nova-compute' });
      assert.ok(services.length > 0, 'nova-compute services');
      assert.ok(services.every((s) => s.binary === 'nova-compute'), 'the binary filter applies');
      const hvs = await nova().hypervisors.list();
      const s = services.find((x) => x.state === 'up' && x.status === 'enabled');
      assert.ok(s, 'an enabled nova-compute that is up');
      assert.ok(hvs.some((h) => h.servicehost === s.host), `a hypervisor on ${s.host}`);
      const ref = { host: s.host, binary: s.binary };
      a.ledger.add(`service:${s.host}`, { label: `nova-compute on ${s.host} (left disabled)`, remove: () => nova().services.enable(ref) });
      const reason = run.name('contract-suite');
      await nova().services.disable(ref, reason);
      const disabled = (await nova().services.list(ref))[0];
      assert.equal(disabled?.status, 'disabled');
      assert.equal(disabled?.disabledReason, reason);
      await nova().services.enable(ref);
      a.ledger.forget(`service:${s.host}`);
      const enabled = (await nova().services.list(ref))[0];
      assert.equal(enabled?.status, 'enabled');
      assert.equal(enabled?.disabledReason, null);
    });

    a.step('lists availability zones, with hosts in detail', async () => {
      const zones = await nova().availabilityZones();
      assert.ok(zones.some((z) => z.available), 'an available zone');
      const detail = await nova().availabilityZones({ detail: true });
      const hosts = detail.flatMap((z) => Object.entries(z.hosts ?? {}));
      assert.ok(hosts.some(([, svcs]) => 'nova-compute' in svcs), 'a host running nova-compute');
      assert.ok(Array.isArray(await nova().migrations()), 'migrations list');
    });
  });
}

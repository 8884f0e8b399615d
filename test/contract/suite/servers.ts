import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { before } from 'node:test';
import { isNotFound, type Flavor, type Image, type Server, type ServerNetworkRequest } from '../../../src/openstack/index.js';
import { area } from './area.js';
import { need, type ContractRun } from './contract-run.js';
import { expectHttpError } from './expect-error.js';
import { testBytes, uploadedImage } from './image-data.js';
import type { Ledger } from './ledger.js';
import { glanceHasSharedVisibility, novaListsLiveMigrations } from './release-facts.js';
import { newSshPublicKey } from './ssh-key.js';
import { waitFor, waitGone } from './wait.js';

/** What a server needs, made by the area's `before`. */
interface Fixtures {
  readonly flavor: Flavor;
  readonly image: Image;
  readonly networks: readonly ServerNetworkRequest[];
  /** Label of the network in `server.addresses`. */
  readonly networkLabel: string;
  readonly securityGroup: string;
  readonly keyName: string;
}

async function bootFixtures(run: ContractRun, ledger: Ledger): Promise<Fixtures> {
  const cloud = run.cloud;
  const flavors = await cloud.compute.flavors.list();
  const wanted = run.target.fixtures?.flavorName ?? 'm1.tiny';
  const flavor = flavors.find((f) => f.name === wanted) ?? [...flavors].filter((f) => f.isPublic).sort((x, y) => x.ramMb - y.ramMb)[0];
  if (!flavor) throw new Error(`${run.target.name}: no flavor to boot with`);
  const image = await uploadedImage(run, ledger, 'server-image', testBytes(1024 * 1024));
  const keyName = run.name('server-key');
  await cloud.compute.keypairs.create({ name: keyName, publicKey: newSshPublicKey('phc-server').line });
  ledger.add(`key:${keyName}`, { label: `keypair ${keyName}`, remove: () => cloud.compute.keypairs.delete(keyName) });
  const sgName = run.name('server-sg');
  if (cloud.network) {
    const neutron = cloud.network;
    const net = await neutron.networks.create({ name: run.name('server-net') });
    ledger.add(net.id, { label: `network ${net.name} (${net.id})`, remove: () => neutron.networks.delete(net.id) });
    const base = `10.${randomInt(64, 250)}.${randomInt(0, 250)}`;
    const sub = await neutron.subnets.create({ networkId: net.id, name: run.name('server-subnet'), cidr: `${base}.0/24` });
    ledger.add(sub.id, { label: `subnet ${sub.name} (${sub.id})`, remove: () => neutron.subnets.delete(sub.id) });
    const sg = await neutron.securityGroups.create({ name: sgName });
    ledger.add(sg.id, { label: `security group ${sgName} (${sg.id})`, remove: () => neutron.securityGroups.delete(sg.id) });
    return { flavor, image, networks: [{ uuid: net.id }], networkLabel: net.name, securityGroup: sgName, keyName };
  }
  const novaNet = need(cloud.novaNetwork, 'the nova-network client');
  const nets = await novaNet.networks.list();
  const net = nets.find((n) => n.projectId === null || n.projectId === cloud.session.projectId);
  if (!net) throw new Error(`${run.target.name}: no nova-network network usable by project ${cloud.session.projectId}`);
  const sg = await novaNet.securityGroups.create(sgName, 'pumphouse contract suite');
  ledger.add(sg.id, { label: `security group ${sgName} (${sg.id})`, remove: () => novaNet.securityGroups.delete(sg.id) });
  return { flavor, image, networks: [{ uuid: net.id }], networkLabel: net.label, securityGroup: sgName, keyName };
}

/** Nova servers: boot on a network with an uploaded image, list, stop/start, metadata, snapshot, delete. */
export function serversArea(run: ContractRun): void {
  area(run, 'servers', {}, (a) => {
    const nova = () => run.cloud.compute;
    let fx: Fixtures | undefined;
    let server: Server | undefined;
    const until = (id: string, status: string) =>
      waitFor(() => nova().servers.get(id), (s) => s.status === status && s.taskState === null, {
        timeoutMs: run.timeouts.serverMs, intervalMs: run.timeouts.pollMs,
        what: `server ${id} to ${status}`,
        fail: (s) => s.status === 'ERROR',
        describe: (s) => `${s.status}/${s.taskState ?? '-'}${s.fault ? ` (fault: ${s.fault.message})` : ''}`,
      });

    before(async () => {
      fx = await bootFixtures(run, a.ledger);
    });

    a.step('boots a server (flavor, uploaded image, network, security group, keypair, metadata) to ACTIVE', async () => {
      const f = need(fx, 'the boot fixtures');
      const name = run.name('vm');
      const created = await nova().servers.create({
        name,
        flavorId: f.flavor.id,
        imageId: f.image.id,
        networks: f.networks,
        securityGroups: [f.securityGroup],
        keyName: f.keyName,
        metadata: { phc: 'contract' },
      });
      a.ledger.add(created.id, {
        label: `server ${name} (${created.id})`,
        remove: async () => {
          await nova().servers.delete(created.id);
          await waitGone(() => nova().servers.get(created.id), isNotFound, { timeoutMs: run.timeouts.serverMs, intervalMs: run.timeouts.pollMs, what: `server ${created.id} deletion` });
        },
      });
      assert.match(created.id, /^[0-9a-f-]{36}$/);
      const s = await until(created.id, 'ACTIVE');
      server = s;
      assert.equal(s.name, name);
      assert.equal(s.tenantId, run.cloud.session.projectId);
      assert.equal(s.userId, run.cloud.session.userId);
      assert.equal(s.flavorId, f.flavor.id);
      assert.equal(s.imageId, f.image.id);
      assert.equal(s.keyName, f.keyName);
      assert.deepEqual(s.securityGroups, [f.securityGroup]);
      assert.deepEqual(s.metadata, { phc: 'contract' });
      assert.equal(s.vmState, 'active');
      assert.equal(s.powerState, 1);
      assert.ok(s.host, 'an admin sees the host');
      assert.ok(s.hypervisorHostname, 'an admin sees the hypervisor');
      const addrs = s.addresses[f.networkLabel];
      assert.ok(addrs && addrs.length === 1, `one address on ${f.networkLabel}: ${JSON.stringify(s.addresses)}`);
      assert.equal(addrs[0]?.type, 'fixed');
      assert.equal(addrs[0]?.version, 4);
    });

    a.step('lists the server: by name, and across projects by host', async () => {
      const s = need(server, 'the server');
      assert.deepEqual((await nova().servers.list({ name: s.name })).map((x) => x.id), [s.id]);
      const onHost = await nova().servers.list({ allTenants: true, host: s.host as string });
      assert.ok(onHost.some((x) => x.id === s.id), `listed on ${s.host}`);
      assert.ok(onHost.every((x) => x.host === s.host), 'the host filter applies');
      const found = await nova().hypervisors.servers(s.hypervisorHostname as string);
      assert.ok(found.some((h) => h.servers.some((x) => x.id === s.id)), 'the hypervisor lists the server');
    });

    a.step("the server's address is bound on its host (Neutron port, or nova-network fixed IP)", async () => {
      const neutron = run.cloud.network;
      const s = need(server, 'the server');
      if (!neutron) {
        const addr = Object.values(s.addresses).flat()[0]?.addr;
        assert.ok(addr, 'the server has a fixed address');
        const fixed = await need(run.cloud.novaNetwork, 'the nova-network client').fixedIps.get(addr);
        assert.equal(fixed.address, addr);
        assert.equal(fixed.host, s.host);
        return;
      }
      const ports = await neutron.ports.list({ device_id: s.id });
      assert.equal(ports.length, 1);
      const p = ports[0];
      assert.equal(p?.deviceOwner.startsWith('compute:'), true);
      assert.equal(p?.bindingHostId, s.host);
      const addr = Object.values(s.addresses).flat()[0]?.addr;
      assert.equal(p?.fixedIps[0]?.ipAddress, addr);
    });

    a.step('merges server metadata', async () => {
      const s = need(server, 'the server');
      assert.deepEqual(await nova().servers.mergeMetadata(s.id, { extra: '1' }), { phc: 'contract', extra: '1' });
      await nova().servers.deleteMetadataItem(s.id, 'extra');
      assert.deepEqual(await nova().servers.getMetadata(s.id), { phc: 'contract' });
    });

    a.step('stops the server (SHUTOFF); stopping it again is a 409; starts it (ACTIVE)', async () => {
      const s = need(server, 'the server');
      await nova().servers.stop(s.id);
      const stopped = await until(s.id, 'SHUTOFF');
      assert.equal(stopped.vmState, 'stopped');
      assert.equal(stopped.powerState, 4);
      await expectHttpError(nova().servers.stop(s.id), { status: 409, service: 'compute', cloud: run.target.name, method: 'POST', pathIncludes: s.id, faultType: 'conflictingRequest' });
      await nova().servers.start(s.id);
      const started = await until(s.id, 'ACTIVE');
      assert.equal(started.powerState, 1);
    });

    a.step('attaches a volume (in-use) and detaches it (available)', async (t) => {
      const cinder = run.cloud.volume;
      if (!cinder) return t.skip('no Cinder');
      const s = need(server, 'the server');
      const name = run.name('vm-volume');
      const vol = await cinder.volumes.create({ size: 1, name });
      const volumeState = (status: string) =>
        waitFor(() => cinder.volumes.get(vol.id), (v) => v.status === status, {
          timeoutMs: run.timeouts.volumeMs, intervalMs: run.timeouts.pollMs,
          what: `volume ${vol.id} to ${status}`,
          fail: (v) => v.status.startsWith('error'),
          describe: (v) => v.status,
        });
      a.ledger.add(vol.id, {
        label: `volume ${name} (${vol.id})`,
        remove: async () => {
          await cinder.volumes.delete(vol.id);
          await waitGone(() => cinder.volumes.get(vol.id), isNotFound, { timeoutMs: run.timeouts.volumeMs, intervalMs: run.timeouts.pollMs, what: `volume ${vol.id} deletion` });
        },
      });
      await volumeState('available');
      const att = await nova().servers.attachVolume(s.id, vol.id);
      a.ledger.add(`${vol.id}:att`, { label: `attachment of ${vol.id} to ${s.id}`, remove: () => nova().servers.detachVolume(s.id, vol.id) });
      assert.equal(att.volumeId, vol.id);
      assert.equal(att.serverId, s.id);
      const inUse = await volumeState('in-use');
      assert.equal(inUse.attachments[0]?.serverId, s.id);
      assert.deepEqual((await nova().servers.listVolumeAttachments(s.id)).map((x) => x.volumeId), [vol.id]);
      assert.deepEqual((await nova().servers.get(s.id)).volumesAttached, [vol.id]);
      await nova().servers.detachVolume(s.id, vol.id);
      a.ledger.forget(`${vol.id}:att`);
      await volumeState('available');
      // Nova's compute manager tells Cinder first and drops its block device mapping after, so
      // Nova may list the attachment a moment longer (seen on Zed under load): wait for it to go.
      await waitFor(() => nova().servers.listVolumeAttachments(s.id), (list) => list.length === 0, {
        timeoutMs: run.timeouts.serverMs,
        intervalMs: run.timeouts.pollMs,
        what: `server ${s.id} to list no volume attachment`,
        describe: (list) => list.map((x) => x.volumeId).join(', '),
      });
    });

    a.step('live-migrates the server to another compute host', async (t) => {
      const s = need(server, 'the server');
      const from = (await nova().servers.get(s.id)).host as string;
      const others = (await nova().services.list({ binary: 'nova-compute' })).filter((x) => x.host !== from && x.state === 'up' && x.status === 'enabled');
      const to = others[0]?.host;
      if (!to) return t.skip('only one usable compute host');
      await nova().servers.liveMigrate(s.id, { host: to });
      // Nova sets task_state `migrating` before it answers; back to none on the old host means it gave up.
      let busy = false;
      const moved = await waitFor(() => nova().servers.get(s.id), (x) => x.host === to && x.status === 'ACTIVE' && x.taskState === null, {
        timeoutMs: run.timeouts.serverMs, intervalMs: run.timeouts.pollMs,
        what: `server ${s.id} live migration ${from} -> ${to}`,
        fail: (x) => {
          busy ||= x.taskState !== null;
          return x.status === 'ERROR' || (busy && x.taskState === null && x.host === from);
        },
        describe: (x) => `${x.status}/${x.taskState ?? '-'} on ${x.host}`,
      });
      assert.equal(moved.host, to);
      // Before microversion 2.23 (Havana-Juno) os-migrations never lists live migrations: the
      // host change above is all a legacy cloud shows.
      if (!novaListsLiveMigrations(run.cloud)) {
        const listed = await nova().migrations({ serverId: s.id });
        assert.ok(Array.isArray(listed), 'os-migrations answers a list');
        return;
      }
      // The server is ACTIVE on the new host before Nova finishes the post-migration clean-up
      // on the old one: the record says `running` a little longer.
      const live = await waitFor(async () => (await nova().migrations({ serverId: s.id })).find((m) => m.type === 'live-migration'), (m) => m?.status === 'completed', {
        timeoutMs: run.timeouts.serverMs, intervalMs: run.timeouts.pollMs,
        what: `the live-migration record of server ${s.id} to completed`,
        fail: (m) => m?.status === 'error' || m?.status === 'failed',
        describe: (m) => m?.status ?? 'no live-migration record',
      });
      assert.equal(live?.sourceCompute, from);
      assert.equal(live?.destCompute, to);
    });

    a.step('snapshots the server into an image that turns active', async () => {
      const s = need(server, 'the server');
      const name = run.name('vm-snapshot');
      const imageId = await nova().servers.createImage(s.id, name, { phc: 'contract' });
      a.ledger.add(imageId, { label: `image ${name} (${imageId})`, remove: () => run.cloud.image.delete(imageId) });
      const img = await waitFor(() => run.cloud.image.get(imageId), (i) => i.status === 'active', {
        timeoutMs: run.timeouts.imageMs, intervalMs: run.timeouts.pollMs,
        what: `snapshot ${imageId} of server ${s.id} to active`,
        fail: (i) => i.status === 'killed' || i.status === 'deleted',
        describe: (i) => i.status,
      });
      assert.equal(img.name, name);
      assert.equal(img.properties['phc'], 'contract');
      assert.equal(img.properties['instance_uuid'], s.id);
      await until(s.id, 'ACTIVE');
      await run.cloud.image.delete(imageId);
      a.ledger.forget(imageId);
    });

    a.step('boots a server inside another project through a scoped session (its network, its default security group)', async () => {
      const project = run.tenant.project.id;
      const there = await run.cloud.scopedTo(project);
      const f = need(fx, 'the boot fixtures');
      let networks: ServerNetworkRequest[] | undefined;
      if (there.network) {
        const neutron = there.network;
        const net = await neutron.networks.create({ name: run.name('tenant-vm-net') });
        a.ledger.add(net.id, { label: `network ${net.name} (${net.id})`, remove: () => neutron.networks.delete(net.id) });
        const sub = await neutron.subnets.create({ networkId: net.id, cidr: '192.168.77.0/24', name: run.name('tenant-vm-subnet') });
        a.ledger.add(sub.id, { label: `subnet ${sub.name} (${sub.id})`, remove: () => neutron.subnets.delete(sub.id) });
        networks = [{ uuid: net.id }];
      } else if (run.target.capabilities.novaNetworkMode === 'vlan') {
        // VlanManager boots a project on the networks given to it: give it one, as a migration would.
        const nn = need(run.cloud.novaNetwork, 'the nova-network client');
        const label = run.name('tenant-vm-nnet');
        const n = await nn.networks.create({ label, cidr: `10.${randomInt(64, 250)}.${randomInt(0, 250)}.0/24`, vlanStart: randomInt(3000, 3900), projectId: project });
        a.ledger.add(n.id, {
          label: `nova-network ${label} (${n.id})`,
          remove: async () => {
            await nn.networks.disassociate(n.id, 'all');
            await nn.networks.delete(n.id);
          },
        });
        assert.equal(n.projectId, project);
        networks = [{ uuid: n.id }];
      }
      // The admin image is private to the admin project: share it the way a migration would.
      const glance = run.cloud.image;
      if (await glanceHasSharedVisibility(run.cloud)) await glance.update(f.image.id, { visibility: 'shared' });
      await glance.addMember(f.image.id, project);
      if (glance.version === '2') await glance.setMemberStatus(f.image.id, project, 'accepted');
      const name = run.name('tenant-vm');
      const created = await there.compute.servers.create({ name, flavorId: f.flavor.id, imageId: f.image.id, ...(networks ? { networks } : {}) });
      a.ledger.add(created.id, {
        label: `server ${name} (${created.id})`,
        remove: async () => {
          await nova().servers.delete(created.id);
          await waitGone(() => nova().servers.get(created.id), isNotFound, { timeoutMs: run.timeouts.serverMs, intervalMs: run.timeouts.pollMs, what: `server ${created.id} deletion` });
        },
      });
      const s = await until(created.id, 'ACTIVE');
      assert.equal(s.tenantId, project);
      assert.deepEqual(s.securityGroups, ['default'], "the project's own default group");
      assert.deepEqual((await there.compute.servers.list()).map((x) => x.id), [created.id], 'the project sees its server');
      assert.deepEqual((await nova().servers.list({ allTenants: true, projectId: project })).map((x) => x.id), [created.id]);
      assert.ok(!(await nova().servers.list()).some((x) => x.id === created.id), "not in the admin project's own list");
      await nova().servers.delete(created.id);
      await waitGone(() => nova().servers.get(created.id), isNotFound, { timeoutMs: run.timeouts.serverMs, intervalMs: run.timeouts.pollMs, what: `server ${created.id} deletion` });
      a.ledger.forget(created.id);
    });

    a.step('deletes the server; it is then a 404', async () => {
      const s = need(server, 'the server');
      await nova().servers.delete(s.id);
      await waitGone(() => nova().servers.get(s.id), isNotFound, { timeoutMs: run.timeouts.serverMs, intervalMs: run.timeouts.pollMs, what: `server ${s.id} deletion` });
      a.ledger.forget(s.id);
      await expectHttpError(nova().servers.get(s.id), { status: 404, service: 'compute', cloud: run.target.name, pathIncludes: s.id, faultType: 'itemNotFound' });
      if (run.cloud.network) assert.deepEqual(await run.cloud.network.ports.list({ device_id: s.id }), [], 'Nova deleted the port it made');
    });
  });
}

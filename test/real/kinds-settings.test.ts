/**
 * Tenant-settings kinds against the real Zed testbed: quotas, a private flavor with extra
 * specs (one of them a `$secret` read back from the source flavor), its access, and a user's
 * keypair, and a server group made with the tenant's scoped token; each create run twice to
 * prove adoption.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PumphouseError } from '../../src/errors/index.js';
import type { Action } from '../../src/plan/index.js';
import { kindsPart1, type KindsPart1 } from '../../src/kinds/index-part-1.js';
import { flavorAccessKind, flavorKind, keypairKind, quotaKind } from '../../src/kinds/settings/index.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../kinds/support/step-harness.js';
import { sshPublicKey } from '../kinds/support/ssh-key.js';
import { scopedProject, serverGroupScenario } from '../kinds/server/server-group-scenario.js';
import { Cleanup, openTestbed, testbedSkipReason, testPrefix, type Testbed } from './kinds-support.js';

const skip = await testbedSkipReason();

describe('tenant-settings kinds on the real testbed', { skip: skip ?? false, concurrency: false }, () => {
  let tb: Testbed;
  let kinds: KindsPart1;
  let h: StepHarness;
  const cleanup = new Cleanup();
  const prefix = testPrefix();
  let projectId = '';
  let userId = '';

  before(async () => {
    tb = await openTestbed();
    kinds = kindsPart1();
    h = new StepHarness(cloudAccess(tb.source, tb.destination), kinds.secrets);
    const d = tb.destination.identity;
    const p = await d.projects.create({ name: `${prefix}-acme` });
    cleanup.add('destination project', () => d.projects.delete(p.id));
    const u = await d.users.create({ name: `${prefix}-alice`, password: `Pw-${prefix}-1`, defaultProjectId: p.id });
    cleanup.add('destination user', () => d.users.delete(u.id));
    projectId = p.id;
    userId = u.id;
  });

  after(async () => {
    try {
      await cleanup.run();
    } finally {
      await kinds?.close();
      await tb?.close();
    }
  });

  it('sets Nova, Cinder and Neutron quotas of the project', async () => {
    const quota = makeAction({
      kind: 'quota',
      action: 'update',
      address: `tenant[${prefix}-acme].quota`,
      sourceId: 'src-project',
      after: { project_id: projectId, compute: { instances: 7, cores: 13 }, volume: { volumes: 9 }, network: { network: 11, port: 77 } },
    });
    const [r] = await h.run(quotaKind, quota);
    assert.deepEqual(r, { destinationId: projectId, outputs: { services: 'compute,volume,network' } });
    const dst = tb.destination;
    const nova = await dst.compute.quotas.get(projectId);
    assert.equal(nova['instances'], 7);
    assert.equal(nova['cores'], 13);
    assert.equal((await dst.volume!.quotas.get(projectId))['volumes'], 9);
    const neutron = await dst.network!.quotas.get(projectId);
    assert.equal(neutron['network'], 11);
    assert.equal(neutron['port'], 77);
    await h.run(quotaKind, quota); // setting again is harmless
  });

  it('creates a private flavor with its extra specs (secret ones read from the source), grants access, adopts on rerun', async () => {
    const s = tb.source.compute.flavors;
    const src = await s.create({ name: `${prefix}-src-flavor`, vcpus: 2, ramMb: 768, diskGb: 3, ephemeralGb: 1, swapMb: 128, isPublic: false });
    cleanup.add('source flavor', () => s.delete(src.id));
    await s.setExtraSpecs(src.id, { 'hw:cpu_policy': 'shared', 'pumphouse:db_password': 'hunter2-not-in-plan' });
    const name = `${prefix}-flavor`;
    const flavor = makeAction({
      kind: 'flavor',
      action: 'create',
      address: `flavor[${name}]`,
      sourceId: src.id,
      after: {
        name,
        vcpus: 2,
        ram: 768,
        disk: 3,
        ephemeral: 1,
        swap: 128,
        rxtx_factor: 1,
        is_public: false,
        extra_specs: {
          'hw:cpu_policy': 'shared',
          'pumphouse:db_password': { $secret: `nova/flavor_extra_specs/${encodeURIComponent(src.id)}:${encodeURIComponent('pumphouse:db_password')}/value` },
        },
      },
    });
    const d = tb.destination.compute.flavors;
    const [f] = await h.run(flavorKind, flavor);
    const flavorId = f!.destinationId!;
    cleanup.add('destination flavor', () => d.delete(flavorId));
    const made = await d.get(flavorId);
    assert.deepEqual(
      [made.name, made.vcpus, made.ramMb, made.diskGb, made.ephemeralGb, made.swapMb, made.isPublic],
      [name, 2, 768, 3, 1, 128, false],
    );
    assert.deepEqual({ ...made.extraSpecs }, { 'hw:cpu_policy': 'shared', 'pumphouse:db_password': 'hunter2-not-in-plan' });

    const access = makeAction({
      kind: 'flavor_access',
      action: 'create',
      address: `flavor[${name}].access[acme]`,
      sourceId: `${src.id}/src-project`,
      after: { flavor_id: ref(flavor), project_id: projectId },
    });
    assert.equal((await h.run(flavorAccessKind, access))[0]!.destinationId, `${flavorId}/${projectId}`);
    assert.deepEqual(await d.listAccess(flavorId), [projectId]);

    h.forget(flavor);
    h.forget(access);
    assert.equal((await h.run(flavorKind, flavor))[0]!.destinationId, flavorId);
    await h.run(flavorAccessKind, access);
    assert.equal((await d.list()).filter((x) => x.name === name).length, 1);
    assert.deepEqual(await d.listAccess(flavorId), [projectId]);
    const adopt = makeAction({ kind: 'flavor_access', action: 'adopt', address: `flavor[${name}].access[acme]`, sourceId: 'x', after: { flavor_id: flavorId, project_id: projectId } });
    await h.run(flavorAccessKind, adopt);

    // A destination flavor of that name but another shape is not taken over.
    const other = makeAction({ ...addressOf(flavor), sourceId: 'another-flavor', after: { ...flavor.after, vcpus: 4 } });
    await assert.rejects(h.run(flavorKind, other), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PRECONDITION_FAILED');
  });

  it("imports a user's keypair for that user (microversion 2.10) and adopts it on rerun", async () => {
    const key = sshPublicKey();
    const keypair = makeAction({
      kind: 'keypair',
      action: 'create',
      address: `user[${prefix}-alice].keypair[k1]`,
      sourceId: 'src-user/k1',
      after: { name: `${prefix}-k1`, user_id: userId, public_key: key.publicKey, type: 'ssh', fingerprint: key.fingerprint },
    });
    const kp = tb.destination.compute.keypairs;
    const [k] = await h.run(keypairKind, keypair);
    cleanup.add('destination keypair', () => kp.delete(`${prefix}-k1`, { userId }));
    assert.deepEqual(k, { destinationId: `${userId}/${prefix}-k1`, outputs: { name: `${prefix}-k1`, fingerprint: key.fingerprint } });
    const there = await kp.get(`${prefix}-k1`, { userId });
    assert.equal(there.publicKey.trim(), key.publicKey);
    // Not the admin's: the admin has no keypair of that name.
    assert.equal((await kp.list()).some((x) => x.name === `${prefix}-k1`), false);
    h.forget(keypair);
    assert.equal((await h.run(keypairKind, keypair))[0]!.destinationId, `${userId}/${prefix}-k1`);
    const other = sshPublicKey();
    const clash = makeAction({ ...addressOf(keypair), sourceId: 'src-user/k1b', after: { ...keypair.after, public_key: other.publicKey, fingerprint: other.fingerprint } });
    await assert.rejects(h.run(keypairKind, clash), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_PRECONDITION_FAILED');
  });
  it("makes a server group once in the tenant's project (tenant-scoped), adopts it, and asks to plan again when it is gone", async () => {
    const d = tb.destination;
    const scoped = await scopedProject(d, `${prefix}-groups`);
    cleanup.add('server group project', () => d.identity.projects.delete(scoped));
    await serverGroupScenario(d, h, scoped, `${prefix}-ha`);
  });
});

/** The kind, action and address of `a`: another source object planned at the same place. */
function addressOf(a: Action): Pick<Action, 'kind' | 'action' | 'address'> {
  return { kind: a.kind, action: a.action, address: a.address };
}

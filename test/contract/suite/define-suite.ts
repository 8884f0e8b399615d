import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { authArea } from './auth.js';
import { censusDiff, takeCensus, type Census } from './census.js';
import { computeArea } from './compute.js';
import { ContractRun, type ContractTenant } from './contract-run.js';
import { errorsArea } from './errors.js';
import { identityArea } from './identity.js';
import { imageArea } from './image.js';
import { neutronArea } from './neutron.js';
import { neutronRbacArea } from './neutron-rbac.js';
import { novaNetworkArea } from './nova-network.js';
import { serversArea } from './servers.js';
import type { ContractTarget } from './target.js';
import { volumeArea } from './volume.js';

/** The suite's parts, in the order they run. */
export const AREAS = ['auth', 'identity', 'compute', 'image', 'volume', 'network', 'servers', 'errors'] as const;
export type AreaName = (typeof AREAS)[number];

export interface SuiteOptions {
  /** Run only these parts (default all); also `PUMPHOUSE_CONTRACT_AREAS=image,volume`. */
  readonly areas?: readonly AreaName[];
}

/** Every object name the suite makes starts with this (then 8 hex digits per run). */
export const CONTRACT_PREFIX = 'phc-';

/**
 * Declares the contract suite for one target as a `describe` block: log in, exercise every
 * client the project has against the target, and check at the end that nothing the run made
 * is left. Call it at the top level of a test file (or inside a describe), once per target.
 */
export function defineContractSuite(target: ContractTarget, opts: SuiteOptions = {}): void {
  const run = new ContractRun(target);
  const fromEnv = process.env['PUMPHOUSE_CONTRACT_AREAS']?.split(',').map((s) => s.trim()).filter(Boolean);
  const wanted = new Set<string>(opts.areas ?? fromEnv ?? AREAS);
  // Steps build on each other: never inherit a parent's concurrency (node:test would).
  describe(`contract: ${target.name}`, { concurrency: false }, () => {
    let census: Census | undefined;

    before(async () => {
      await run.open();
      census = await takeCensus(run.cloud, CONTRACT_PREFIX);
      run.tenant = await makeTenant(run);
    });

    if (wanted.has('auth')) authArea(run);
    if (wanted.has('identity')) {
      identityArea(run, '3');
      identityArea(run, '2.0');
    }
    if (wanted.has('compute')) computeArea(run);
    if (wanted.has('image')) imageArea(run);
    if (wanted.has('volume')) volumeArea(run);
    if (wanted.has('network')) {
      neutronArea(run);
      neutronRbacArea(run);
      novaNetworkArea(run);
    }
    if (wanted.has('servers')) serversArea(run);
    if (wanted.has('errors')) errorsArea(run);

    it('leaves the cloud as it found it (nothing named with the run prefix, no failed deletion)', async (t) => {
      await run.settle(run.ledger, false);
      const start = census;
      assert.ok(start, 'the census before the run (the before hook failed)');
      const end = await takeCensus(run.cloud, CONTRACT_PREFIX);
      t.diagnostic(`run prefix ${run.prefix}`);
      const changed = censusDiff(start, end);
      t.diagnostic(changed.length ? `counts changed (other users of the cloud count too): ${changed.join('; ')}` : `counts unchanged: ${JSON.stringify(end.counts)}`);
      if (run.kept.length) t.diagnostic(`kept on purpose (cleanup ${target.cleanup}): ${run.kept.join('; ')}`);
      const older = end.named.filter((n) => !n.includes(run.prefix) && !start.named.includes(n));
      if (start.named.length) t.diagnostic(`objects of earlier runs found before this run: ${start.named.join('; ')}`);
      assert.deepEqual(older, [], 'objects with the contract prefix appeared that this run does not own');
      if (target.cleanup === 'always') {
        assert.deepEqual(run.leftovers, [], 'deletions that failed');
        assert.deepEqual(end.named.filter((n) => n.includes(run.prefix)), [], 'objects of this run still there');
      }
    });

    after(async () => {
      if (run.ledger.size > 0) await run.settle(run.ledger, true);
      await run.close();
    });
  });
}

/**
 * A project with a user, where the admin also holds the admin role (so that the run can
 * act inside it through a scoped session). Deleted last, with the security groups Neutron
 * made for it (Neutron keeps them after the project is gone).
 */
async function makeTenant(run: ContractRun): Promise<ContractTenant> {
  const idc = run.cloud.identity;
  const project = await idc.projects.create({ name: run.name('tenant'), description: 'pumphouse contract suite' });
  run.ledger.add(project.id, { label: `project ${project.name} (${project.id})`, remove: () => idc.projects.delete(project.id) });
  const password = `phc-${randomBytes(9).toString('base64url')}`;
  const user = await idc.users.create({ name: run.name('tenant-user'), password, defaultProjectId: project.id });
  run.ledger.add(user.id, { label: `user ${user.name} (${user.id})`, remove: () => idc.users.delete(user.id) });
  const admin = await idc.roles.findByName('admin');
  if (!admin) throw new Error(`${run.target.name}: no role named admin`);
  await idc.roleAssignments.grant({ userId: run.cloud.session.userId, projectId: project.id, roleId: admin.id });
  const neutron = run.cloud.network;
  if (neutron) {
    run.ledger.add(`${project.id}:sg`, {
      label: `security groups of project ${project.name}`,
      remove: async () => {
        for (const g of await neutron.securityGroups.list({ tenant_id: project.id })) await neutron.securityGroups.delete(g.id);
      },
    });
  }
  return { project, user, password };
}

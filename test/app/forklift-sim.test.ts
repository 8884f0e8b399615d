// The whole forklift on the simulator, as an operator runs it: `setup` seeds the source, one
// manifest moves every tenant (the source copies deleted after the cut-over) and frees one
// hypervisor, `plan` then `apply` with the built-in kinds; the host must end up evacuated,
// handed over in Fuel (a new node id, found by its MACs) and running nova-compute in the
// destination, and a second plan must find nothing to do.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { apply, plan, setup, type SetupResult } from '../../src/app/index.js';
import { seedBench, type SeedBench } from './seed-support.js';

describe('forklift on the simulator: setup -> plan (tenants + one host) -> apply', { concurrency: false }, () => {
  let b: SeedBench;
  let seeded: SetupResult;
  let host: string;
  let manifest: string;

  before(async () => {
    b = await seedBench({ fuel: true, source: { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' } });
    seeded = await setup({ configPath: b.config, statePath: join(b.dir, 'setup.state.json'), counts: { servers: 2 } });
    const src = await b.admin('source');
    host = (await src.compute.servers.get(seeded.tenants[0]!.servers[0]!)).host!;
    manifest = join(b.dir, 'manifest.yaml');
    await writeFile(
      manifest,
      stringify({
        version: 1,
        tenants: seeded.tenants.map((t) => ({ name: t.name, placement: 'destination', source_after: 'delete' })),
        identity: { users: 'tenant-members', roles: 'used', passwords: 'reset' },
        images: { public: 'all' },
        flavors: 'used',
        hosts: [{ name: host, environment: 'destination-env' }],
        options: { keep_fixed_ips: true, keep_floating_ips: true, server_consistency: 'stop' },
      }),
    );
  });
  after(async () => {
    await b?.close();
  });

  test('every tenant lands in the destination, the host is emptied, reassigned and computes there; a second plan has no changes', async () => {
    const dst = await b.admin('destination');
    const src = await b.admin('source');
    const computesBefore = (await dst.compute.services.list({ binary: 'nova-compute' })).filter((s) => s.state === 'up').length;
    const planPath = join(b.dir, 'plan.json');
    const p = await plan({ configPath: b.config, manifestPath: manifest, statePath: b.state, out: planPath });
    assert.equal(p.plan.applyable, true, JSON.stringify(p.plan.diagnostics.filter((d) => d.severity === 'error')));
    const evac = p.plan.actions.find((a) => a.kind === 'host_evacuate')!;
    const reassign = p.plan.actions.find((a) => a.kind === 'host_reassign')!;
    assert.ok(evac && reassign, 'an evacuate -> reassign chain for the host');
    assert.ok(reassign.depends_on.includes(evac.id));

    // The built-in kinds, as `pumphouse apply` builds them from the config.
    const r = await apply({ planPath, configPath: b.config, statePath: b.state, resetPasswordsPath: join(b.dir, 'passwords') });
    assert.equal(r.result, 'ok', JSON.stringify(r.failures));
    // identity.passwords: reset hands each user's new password to the operator, and only there.
    const passwords = join(b.dir, 'passwords');
    assert.equal((await stat(passwords)).mode & 0o777, 0o600);
    const lines = (await readFile(passwords, 'utf8')).trim().split('\n');
    assert.deepEqual(new Set(lines.map((l) => l.split('\t')[0])), new Set(seeded.tenants.map((t) => `${t.name}-user`)));
    assert.ok(!(await readFile(b.state, 'utf8')).includes(lines[0]!.split('\t')[2]!), 'the password is not in the state');

    for (const t of seeded.tenants) {
      const project = (await dst.identity.projects.list()).find((x) => x.name === t.name);
      assert.ok(project, `${t.name} is in the destination`);
      const servers = (await dst.compute.servers.list({ allTenants: true })).filter((s) => s.tenantId === project.id);
      assert.equal(servers.length, t.servers.length, `${t.name}: every server copied once`);
      assert.ok(servers.every((s) => s.status === 'ACTIVE'));
    }
    const left = (await src.compute.servers.list({ allTenants: true })).filter((s) => seeded.tenants.some((t) => t.servers.includes(s.id)));
    assert.deepEqual(left, [], 'source_after: delete removed the source servers');
    assert.ok(!(await src.compute.services.list({ binary: 'nova-compute' })).some((s) => s.host === host), 'the host left the source');
    const computesAfter = (await dst.compute.services.list({ binary: 'nova-compute' })).filter((s) => s.state === 'up' && s.status === 'enabled');
    assert.equal(computesAfter.length, computesBefore + 1, 'one more enabled nova-compute up in the destination');
    const hypervisors = await dst.compute.hypervisors.list();
    const added = computesAfter.map((s) => s.host);
    assert.ok(hypervisors.some((h) => h.servicehost !== null && added.includes(h.servicehost) && h.state !== 'down'), 'present as a hypervisor');

    const again = await plan({ configPath: b.config, manifestPath: manifest, statePath: b.state });
    const changes = again.plan.actions.filter((a) => a.action !== 'no-op').map((a) => `${a.action} ${a.address}`);
    assert.deepEqual(changes, []);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { plan } from '../../src/app/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { readPlan } from '../../src/plan/index.js';
import { StateLock } from '../../src/state/index.js';
import { configText, planBench, type PlanBench } from './plan-fixtures.js';

const IDENTITY = { plan_id: '00000000-0000-4000-8000-00000000cafe', created_at: '2026-11-26T12:00:00.000Z' };

let b: PlanBench;
before(async () => {
  b = await planBench();
});
after(async () => {
  await b.close();
});

describe('plan(): discover the two clouds, plan, write the file', () => {
  const reporter = new MemoryReporter();
  let result: Awaited<ReturnType<typeof plan>>;
  let out: string;
  before(async () => {
    out = join(b.dir, 'acme.plan');
    result = await plan({ configPath: b.config, manifestPath: b.manifest, statePath: b.state, out, reporter, targets: [], excludes: [] });
  });

  test('the plan file holds what was returned, and its sha256 is that of the bytes', async () => {
    const bytes = await readFile(out);
    assert.equal(result.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(result.path, out);
    const loaded = await readPlan(out);
    assert.equal(loaded.plan.plan_id, result.plan.plan_id);
    assert.equal(loaded.plan.actions.length, result.plan.actions.length);
  });

  test('the plan is made from what discovery saw of both clouds', () => {
    const p = result.plan;
    assert.equal(result.hasChanges, true);
    assert.equal(p.applyable, true);
    assert.equal(p.prior_state, null, 'no state file yet');
    assert.deepEqual([p.config.source.release, p.config.source.networking, p.config.source.identity_api], ['juno', 'nova-network', 'v2.0']);
    assert.deepEqual([p.config.destination.release, p.config.destination.networking], ['zed', 'neutron']);
    assert.equal(p.observed.source.calls, result.calls.source.total);
    assert.equal(p.actions.find((a) => a.address === 'tenant[acme]')?.action, 'adopt', 'the destination copy carries the marker');
    assert.equal(p.actions.find((a) => a.address === 'tenant[acme].server[app-2]')?.action, 'migrate');
  });

  test("what discovery could not see is in the plan's diagnostics, as warnings", () => {
    const w = result.plan.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.summary);
    assert.ok(w.some((s) => /keypairs of 1 user\(s\) are not copied/.test(s)));
    assert.ok(w.some((s) => /names source group 'ghost'/.test(s)));
  });

  test('events: discovery per cloud, one planned_change per change, the summary, the file', () => {
    assert.deepEqual(reporter.ofType('discovery_start').map((e) => e.cloud).sort(), ['destination', 'source']);
    const changes = result.plan.actions.filter((a) => a.action !== 'no-op');
    assert.deepEqual(reporter.ofType('planned_change').map((e) => e.address), changes.map((a) => a.address));
    const summary = reporter.ofType('change_summary')[0]!;
    assert.equal(summary.total, result.plan.summary.total);
    assert.equal(summary.counts['migrate'], result.plan.summary.by_action.migrate);
    assert.equal(reporter.ofType('diagnostic').length, result.plan.diagnostics.length);
    assert.deepEqual(reporter.ofType('plan_written').map((e) => [e.path, e.sha256, e.plan_id]), [[out, result.sha256, result.plan.plan_id]]);
    const types = reporter.events.map((e) => e.type);
    assert.ok(types.lastIndexOf('discovery_complete') < types.indexOf('planned_change'));
  });

  test('a reporter that does not accept planned_change gets none built, and every other event', async () => {
    const events: string[] = [];
    const asked = new Set<string>();
    await plan({
      configPath: b.config,
      manifestPath: b.manifest,
      statePath: b.state,
      reporter: {
        emit: (e) => void events.push(e.type),
        accepts: (type) => {
          asked.add(type);
          return type !== 'planned_change';
        },
      },
      identity: IDENTITY,
    });
    assert.ok(asked.has('planned_change'));
    assert.equal(events.includes('planned_change'), false);
    assert.ok(events.includes('change_summary') && events.includes('discovery_complete'));
  });

  test('planning never writes the state, and only GETs reached the clouds after login', async () => {
    await assert.rejects(stat(b.state), { code: 'ENOENT' });
    assert.deepEqual((await readdir(b.dir)).filter((f) => f.startsWith('state')), []);
    for (const cloud of [b.src, b.dst]) {
      assert.deepEqual(cloud.requests.filter((r) => r.method !== 'GET' && !/tokens$/.test(r.path)).map((r) => `${r.method} ${r.path}`), []);
    }
  });
});

test('a fixed identity makes two plans of unchanged clouds byte-identical', async () => {
  const one = await plan({ configPath: b.config, manifestPath: b.manifest, statePath: b.state, out: join(b.dir, 'one.plan'), identity: IDENTITY });
  const two = await plan({ configPath: b.config, manifestPath: b.manifest, statePath: b.state, out: join(b.dir, 'two.plan'), identity: IDENTITY });
  assert.equal(one.sha256, two.sha256);
  assert.equal(one.plan.observed.source.at, IDENTITY.created_at);
  assert.deepEqual(await readFile(join(b.dir, 'one.plan')), await readFile(join(b.dir, 'two.plan')));
});

test('targets and excludes reach the planner; without out nothing is written', async () => {
  const before = (await readdir(b.dir)).sort();
  const r = await plan({ configPath: b.config, manifestPath: b.manifest, statePath: b.state, targets: ['tenant[acme].volume[data]'], excludes: [] });
  assert.deepEqual(r.plan.options.targets, ['tenant[acme].volume[data]']);
  assert.ok(r.plan.actions.length < 10);
  assert.equal(r.sha256, undefined);
  assert.deepEqual((await readdir(b.dir)).sort(), before);
});

test('an empty manifest plans no changes', async () => {
  const r = await plan({ configPath: b.config, manifestPath: b.emptyManifest, statePath: b.state });
  assert.equal(r.hasChanges, false);
  assert.equal(r.plan.summary.total, 0);
});

test('a state locked by a running apply: planned anyway, with a warning', async () => {
  const statePath = join(b.dir, 'locked.state.json');
  const lock = await StateLock.acquire(statePath, { operation: 'apply', info: 'plan-123', who: 'ops@host' });
  try {
    const r = await plan({ configPath: b.config, manifestPath: b.emptyManifest, statePath });
    assert.ok(r.plan.diagnostics.some((d) => d.severity === 'warning' && /locked by ops@host for apply \(plan-123\)/.test(d.summary)));
  } finally {
    await lock.release();
  }
});

describe('clouds that cannot be used: typed errors, nothing written', () => {
  test('an unreachable destination is PH_CLOUD_UNREACHABLE', async () => {
    const port = await freePort();
    const config = join(b.dir, 'unreachable.yaml');
    await writeFile(config, configText(b.src, { url: `http://127.0.0.1:${port}`, password: 'x' }));
    const out = join(b.dir, 'never-1.plan');
    await assert.rejects(plan({ configPath: config, manifestPath: b.manifest, statePath: b.state, out }), (err: unknown) => (err as { code?: string }).code === 'PH_CLOUD_UNREACHABLE');
    await assert.rejects(stat(out), { code: 'ENOENT' });
  });

  test('a wrong password is PH_AUTH_FAILED, and the password is not in the message', async () => {
    const config = join(b.dir, 'badpw.yaml');
    await writeFile(config, configText({ url: b.src.url, password: 'wrong-secret-pw' }, b.dst));
    const out = join(b.dir, 'never-2.plan');
    await assert.rejects(plan({ configPath: config, manifestPath: b.manifest, statePath: b.state, out }), (err: unknown) => {
      const e = err as { code?: string; message: string };
      return e.code === 'PH_AUTH_FAILED' && !e.message.includes('wrong-secret-pw');
    });
    await assert.rejects(stat(out), { code: 'ENOENT' });
  });

  test('a bad manifest is PH_MANIFEST_INVALID even while a login (started with the config) fails, and only logins and reads reached the clouds', async () => {
    const config = join(b.dir, 'badpw-2.yaml');
    await writeFile(config, configText({ url: b.src.url, password: 'wrong-secret-pw' }, b.dst));
    const manifest = join(b.dir, 'bad.manifest.yaml');
    await writeFile(manifest, 'version: 1\ntenants:\n  - name: acme\n    placement: nowhere\n');
    const before = [b.src.requests.length, b.dst.requests.length];
    const out = join(b.dir, 'never-3.plan');
    await assert.rejects(plan({ configPath: config, manifestPath: manifest, statePath: b.state, out }), (err: unknown) => (err as { code?: string }).code === 'PH_MANIFEST_INVALID');
    await assert.rejects(stat(out), { code: 'ENOENT' });
    for (const [i, cloud] of [b.src, b.dst].entries()) {
      assert.deepEqual(cloud.requests.slice(before[i]).filter((r) => r.method !== 'GET' && !/tokens$/.test(r.path)).map((r) => `${r.method} ${r.path}`), []);
    }
  });

  test('a config without a destination is PH_CONFIG_INVALID before any cloud is contacted', async () => {
    const config = join(b.dir, 'half.yaml');
    await writeFile(config, configText(b.src, b.dst).split('  destination:')[0]!);
    const logins = b.src.logins;
    await assert.rejects(plan({ configPath: config, manifestPath: b.emptyManifest, statePath: b.state }), (err: unknown) => (err as { code?: string }).code === 'PH_CONFIG_INVALID');
    assert.equal(b.src.logins, logins);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

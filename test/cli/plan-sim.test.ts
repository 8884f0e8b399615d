// `pumphouse plan` and `pumphouse show` as an operator runs them, against the simulator:
// a Juno nova-network (FlatDHCP) source with generated tenants owning every kind (users,
// keypairs, security groups with rules, the shared network, private images, volumes, servers,
// floating IPs, quotas) and a modern Neutron destination. The simulator runs in this process;
// the CLI is a child process (`node --import tsx src/cli/run.ts`), so the calls are real HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { FIXED_IDENTITY_ENV } from '../../src/cli/commands/plan.js';
import { simConfigYaml, simManifestYaml } from '../../src/sim/cli/files.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { ROOT, runCli, type CliRun } from './run-cli.js';

const IDENTITY = JSON.stringify({ plan_id: '00000000-0000-4000-8000-00000000051e', created_at: '2026-11-26T12:00:00.000Z' });

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { ...process.env, NO_COLOR: '1', ...env });
}

const sha = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

let sim: Simulator;
let dir: string;
let config: string;
let manifest: string;
const state = () => join(dir, 'state.json');
const planPath = () => join(dir, 'first.plan.json');
const never = () => join(dir, 'never.plan.json');
let runs: Record<'first' | 'second' | 'empty' | 'missing' | 'badPassword', Promise<CliRun>>;

before(async () => {
  sim = await startSimulator({
    seed: 11,
    source: { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' },
    destination: { release: 'modern', network: 'neutron', hashCost: 'fast' },
    generate: { tenants: 2, serversPerTenant: 3, usersPerTenant: 2, volumesPerTenant: 2, imagesPerTenant: 1, floatingIpsPerTenant: 1 },
  });
  dir = await mkdtemp(join(tmpdir(), 'ph-plan-sim-'));
  config = join(dir, 'config.yaml');
  manifest = join(dir, 'manifest.yaml');
  await writeFile(config, simConfigYaml(sim.source, sim.destination, undefined), { mode: 0o600 });
  await writeFile(manifest, simManifestYaml(sim.generated));
  // Every plan run starts now, side by side (planning only reads the clouds), so the file stays
  // fast on 2 cores; the tests await the ones they judge.
  const files = { empty: join(dir, 'empty.yaml'), missing: join(dir, 'missing.yaml'), bad: join(dir, 'bad.yaml') };
  await writeFile(files.empty, 'version: 1\ntenants: []\n');
  await writeFile(files.missing, 'version: 1\ntenants:\n  - name: nowhere\n');
  await writeFile(files.bad, (await readFile(config, 'utf8')).replace(/password: .*/, 'password: not-the-secret-x1'), { mode: 0o600 });
  runs = {
    first: cli(['plan', '-c', config, '-m', manifest, '--state', state(), '-out', planPath(), '--detailed-exitcode'], { [FIXED_IDENTITY_ENV]: IDENTITY }),
    second: cli(['plan', '-c', config, '-m', manifest, '--state', state(), '--out', join(dir, 'second.plan.json')], { [FIXED_IDENTITY_ENV]: IDENTITY }),
    empty: cli(['plan', '-c', config, '-m', files.empty, '--state', state(), '--detailed-exitcode']),
    missing: cli(['plan', '-c', config, '-m', files.missing, '--state', state(), '--detailed-exitcode']),
    badPassword: cli(['plan', '-c', files.bad, '-m', manifest, '--state', state(), '--out', never(), '--detailed-exitcode']),
  };
});
after(async () => {
  await Promise.allSettled(Object.values(runs ?? {}));
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('pumphouse plan on the simulator (juno nova-network:flatdhcp -> modern neutron)', () => {
  let out: string;
  let again: string;
  let first: CliRun;
  let second: CliRun;
  before(async () => {
    out = planPath();
    again = join(dir, 'second.plan.json');
    [first, second] = await Promise.all([runs.first, runs.second]);
  });

  test('succeeds with changes: exit 2 under --detailed-exitcode, sha256 printed, nothing else written', async () => {
    assert.equal(first.code, 2, first.stderr + first.stdout);
    assert.match(first.stdout, new RegExp(`^  sha256:  ${await sha(out)}$`, 'm'));
    assert.doesNotMatch(first.stdout, /The plan has errors/);
    await assert.rejects(readFile(state()), { code: 'ENOENT' }, 'plan never writes the state');
  });

  test('the plan file validates against schemas/plan.schema.json (ajv, independent of the reader)', async () => {
    const schema = JSON.parse(await readFile(join(ROOT, 'schemas', 'plan.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
    const doc = JSON.parse(await readFile(out, 'utf8')) as unknown;
    assert.equal(validate(doc), true, JSON.stringify(validate.errors?.slice(0, 5)));
    // The same validator can say no: a plan with an unknown action type is refused.
    const broken = structuredClone(doc) as { actions: { action: string }[] };
    broken.actions[0]!.action = 'teleport';
    assert.equal(validate(broken), false);
  });

  test('every generated kind is planned, translated from nova-network to Neutron', async () => {
    const doc = JSON.parse(await readFile(out, 'utf8')) as { actions: { kind: string; action: string; address: string }[]; config: { source: { networking: string; release: string }; destination: { networking: string } }; diagnostics: { severity: string; summary: string }[] };
    assert.deepEqual([doc.config.source.release, doc.config.source.networking, doc.config.destination.networking], ['juno', 'nova-network', 'neutron']);
    const kinds = new Set(doc.actions.map((a) => a.kind));
    for (const k of ['project', 'user', 'role_assignment', 'password_hash', 'quota', 'flavor', 'security_group', 'security_group_rule', 'network', 'subnet', 'router', 'port', 'floating_ip', 'image', 'volume', 'server', 'source_after']) {
      assert.ok(kinds.has(k), `no ${k} action`);
    }
    const t = sim.generated.tenants[0]!;
    assert.equal(doc.actions.filter((a) => a.kind === 'server' && a.action === 'migrate' && a.address.startsWith(`tenant[${t.name}]`)).length, 3);
    assert.equal(doc.actions.filter((a) => a.kind === 'volume' && a.address.startsWith(`tenant[${t.name}]`)).length, 2);
    // Juno (no microversion 2.10) shows an admin only its own keypairs: said, not hidden.
    assert.ok(doc.diagnostics.some((d) => d.severity === 'warning' && /keypairs of 4 user\(s\) are not copied/.test(d.summary)));
  });

  test('two plans of unchanged clouds with a fixed id and time are byte-identical', async () => {
    assert.equal(second.code, 0, 'no --detailed-exitcode: 0 even with changes');
    assert.equal(await sha(again), await sha(out));
  });

  test('show: text and markdown lead with the counts, then the risky actions', async () => {
    const [text, md, json] = await Promise.all([cli(['show', out]), cli(['show', out, '--format', 'markdown']), cli(['show', out, '--format', 'json'])]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Pumphouse plan 00000000-0000-4000-8000-00000000051e$/m);
    assert.equal(md.code, 0, md.stderr);
    const lines = md.stdout.split('\n');
    const counts = lines.findIndex((l) => /migrate/.test(l) && /\|/.test(l));
    const downtime = lines.findIndex((l) => /downtime/i.test(l));
    assert.ok(counts >= 0 && counts < 40, 'counts on the first screen');
    assert.ok(downtime > 0 && downtime < 60, 'downtime actions on the first screen');
    for (const t of sim.generated.tenants) assert.ok(md.stdout.includes(t.name), t.name);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { plan_id: string }).plan_id, '00000000-0000-4000-8000-00000000051e');
  });
});

describe('pumphouse plan exit codes on the simulator', () => {
  let empty: CliRun;
  let missing: CliRun;
  let badPassword: CliRun;
  before(async () => {
    [empty, missing, badPassword] = await Promise.all([runs.empty, runs.missing, runs.badPassword]);
  });

  test('no changes (an empty tenants list): "No changes." and exit 0 with --detailed-exitcode', () => {
    const r = empty;
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^No changes\.$/m);
  });

  test('a tenant the source does not have: the plan is shown with its error, exit 1', () => {
    const r = missing;
    assert.equal(r.code, 1);
    assert.match(r.stdout, /nowhere.* not found in the source cloud/);
  });

  test('a wrong password: PH_AUTH_FAILED on stderr, exit 1, no plan file, no password echoed', async () => {
    const r = badPassword;
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PH_AUTH_FAILED/);
    assert.doesNotMatch(r.stdout + r.stderr, /not-the-secret-x1/);
    await assert.rejects(readFile(never()), { code: 'ENOENT' });
  });
});

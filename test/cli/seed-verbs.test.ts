// The original's verbs through the real CLI (`node --import tsx src/cli/run.ts`), in both
// argument orders: `pumphouse CONFIG verb ...` (the seed's) and `pumphouse verb ... -c CONFIG`.
// Child processes start slowly on the shared machine, so independent runs go in parallel.
// Whether apply can run the plans depends on the built-in kinds being wired into the registry
// (src/kinds/registry.ts builtinKinds): until then the verbs must stop at apply with
// PH_INTERNAL naming the missing kinds, with the plan kept; once wired they must succeed.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { terminalAsker } from '../../src/cli/commands/cleanup.js';
import { builtinKinds } from '../../src/kinds/registry.js';
import { runCli, seedBench, type SeedBench } from '../app/seed-support.js';

const wired = builtinKinds().kinds.length > 0;

describe('seed verbs through the CLI on the simulator', { concurrency: false }, () => {
  let b: SeedBench;
  before(async () => {
    b = await seedBench({ fuel: true, source: { release: 'juno', network: 'nova-network:flatdhcp', hashCost: 'fast' } });
  });
  after(() => b?.close());

  test('setup (-c order): made in the source; the password file is named, no password printed', async () => {
    const first = await runCli(['setup', '-c', b.config, '--state', b.state, '--num-servers', '1']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /setup: created server pumphouse-test-1-server-1/);
    assert.match(first.stdout, /passwords: .*state\.setup-passwords\.json/);
    const book = JSON.parse(await readFile(`${b.dir}/state.setup-passwords.json`, 'utf8')) as Record<string, Record<string, string>>;
    const passwords = Object.values(book).flatMap((u) => Object.values(u));
    assert.equal(passwords.length, 1);
    for (const pw of passwords) assert.ok(!first.stdout.includes(pw) && !first.stderr.includes(pw));
  });

  test('migrate resources (seed order, -i, the original name `servers`): plan kept next to the state with its sha256, then applied', async () => {
    const src = await b.admin('source');
    const server = (await src.compute.servers.list({ allTenants: true })).find((s) => s.name === 'pumphouse-test-1-server-1')!;
    const r = await runCli([b.config, 'migrate', 'servers', '-i', server.id, '--state', b.state]);
    const written = /written to (\S+\.plan\.json) \(sha256 ([0-9a-f]{64})\)/.exec(r.stdout);
    assert.ok(written, r.stdout);
    assert.ok(written[1]!.startsWith(b.dir) && existsSync(written[1]!));
    if (wired) {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Plan kept for the record/);
    } else {
      assert.equal(r.code, 1);
      assert.match(r.stderr, /PH_INTERNAL.*no apply code for kind\(s\): .*server/);
      const dst = await b.admin('destination');
      assert.ok(!(await dst.compute.servers.list({ allTenants: true })).some((s) => s.metadata['pumphouse_source']), 'nothing applied');
    }
  });

  test('in parallel: unknown ids and hosts exit 1 with PH_NOT_FOUND; evacuate HOST keeps and applies its plan; a cloud named wrongly, or cleanup without --yes off a terminal, is PH_USAGE', async () => {
    const [ids, host, host2, evac, elsewhere, refused, jsonFirst] = await Promise.all([
      runCli(['migrate', 'images', '--ids', 'nope-1', 'nope-2', '-c', b.config, '--state', b.state]),
      runCli([b.config, 'evacuate', 'node-99', '--state', b.state]),
      runCli(['reassign', 'NODE-2', '--config', b.config, '--state', b.state]),
      runCli(['evacuate', 'node-3', '-c', b.config, '--state', b.state]),
      runCli([b.config, 'cleanup', 'elsewhere']),
      runCli(['cleanup', 'source', '-c', b.config, '--state', b.state]),
      // Global flags before the config (the seed order): the config is still found.
      runCli(['--json', b.config, 'migrate', 'images', '--ids', 'nope-3', '--state', b.state]),
    ]);
    assert.equal(jsonFirst.code, 1, jsonFirst.stderr);
    const line = JSON.parse(jsonFirst.stdout.trim().split('\n').at(-1)!) as { code: string; '@message': string };
    assert.equal(line.code, 'PH_NOT_FOUND', jsonFirst.stdout);
    assert.match(line['@message'], /nope-3/);
    assert.equal(ids.code, 1);
    assert.match(ids.stderr, /PH_NOT_FOUND.*no image with id nope-1, nope-2/);
    assert.equal(host.code, 1);
    assert.match(host.stderr, /PH_NOT_FOUND.*'node-99'/);
    assert.equal(host2.code, 1);
    assert.match(host2.stderr, /PH_NOT_FOUND.*did you mean node-2/);
    assert.match(evac.stdout, /host\[node-3\]\.evacuation: (evacuate|no-op)/);
    if (wired) assert.equal(evac.code, 0, evac.stderr);
    else {
      assert.equal(evac.code, 1);
      assert.match(evac.stderr, /no apply code for kind\(s\): host_evacuate/);
    }
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.stderr, /PH_USAGE/);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /PH_USAGE.*--yes.*nothing was deleted/);
  });

  test('cleanup --yes (seed order, --json): everything setup made goes (it was all still there after the refusals)', async () => {
    const src = await b.admin('source');
    assert.ok((await src.identity.projects.list()).some((p) => p.name === 'pumphouse-test-1'), 'still there after the refusal');
    const done = await runCli([b.config, 'cleanup', 'source', '--yes', '--json', '--state', b.state]);
    assert.equal(done.code, 0, done.stderr);
    const events = done.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; change?: string; kind?: string });
    assert.ok(events.some((e) => e.type === 'seed_object' && e.change === 'delete' && e.kind === 'project'));
    assert.ok(!(await src.identity.projects.list()).some((p) => p.name === 'pumphouse-test-1'));
  });

});

test('the terminal question takes y/yes as yes, n/no as no, anything else as its default (no)', async () => {
  const ask = async (line: string): Promise<string> => {
    const input = new PassThrough();
    const output = new PassThrough();
    const answer = terminalAsker(input, output)({ id: 'q', text: 'Delete?', default: 'no' });
    input.end(`${line}\n`);
    return answer;
  };
  assert.deepEqual(await Promise.all(['y', 'YES', 'n', '', 'sure'].map(ask)), ['yes', 'yes', 'no', 'no', 'no']);
});

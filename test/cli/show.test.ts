import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/commands/show.js';
import type { CommandContext } from '../../src/cli/context.js';
import { PumphouseError } from '../../src/errors/index.js';
import { silentReporter } from '../../src/events/index.js';
import { readPlan, renderJson, renderText, sha256Hex } from '../../src/plan/index.js';

const root = join(import.meta.dirname, '..', '..');
const example = join(root, 'plans', 'example-small.plan.json');
const large = join(root, 'plans', 'example-500.plan.json');

function context(): { ctx: CommandContext; out: () => string } {
  const chunks: Buffer[] = [];
  const stdout = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  const ctx: CommandContext = { stdout, stderr: stdout, reporter: silentReporter, json: false, color: false, signal: new AbortController().signal, exitCode: 0 };
  return { ctx, out: () => Buffer.concat(chunks).toString('utf8') };
}

describe('pumphouse show', () => {
  const sha = sha256Hex(readFileSync(example));

  test('text (default) shows the file digest, the risky actions and the pinned apply command, without colour off a terminal', async () => {
    const { ctx, out } = context();
    await run([example], { format: 'text' }, ctx);
    const text = out();
    assert.match(text, new RegExp(`plan sha256: ${sha}`));
    assert.match(text, /^Downtime \(\d+\)$/m);
    assert.match(text, new RegExp(`pumphouse apply \\S+example-small\\.plan\\.json --expect-sha256 ${sha}\\n$`));
    assert.doesNotMatch(text, /\x1b\[/);
  });

  test('markdown and json', async () => {
    const md = context();
    await run([example], { format: 'markdown' }, md.ctx);
    assert.match(md.out(), /^## Pumphouse plan `/);
    assert.match(md.out(), /### Risky actions/);
    const json = context();
    await run([example], { format: 'json' }, json.ctx);
    const parsed = JSON.parse(json.out()) as { plan_id: string; checksum?: string };
    assert.equal(parsed.plan_id, '00000000-0000-4000-8000-000000000001');
    assert.equal(parsed.checksum, undefined);
    assert.equal(json.out(), renderJson(JSON.parse(json.out())));
  });

  test('text and json of a plan whose rendering is written in several pieces: the same bytes as the one-string renderers', async () => {
    const { plan, sha256 } = await readPlan(large);
    const text = context();
    await run([large], { format: 'text' }, text.ctx);
    const expected = renderText(plan, { sha256, path: large });
    assert.ok(expected.length > 2 ** 20, 'more than one 1 MB batch');
    assert.equal(text.out(), expected);
    const json = context();
    await run([large], { format: 'json' }, json.ctx);
    assert.equal(json.out(), renderJson(plan));
  });

  test('usage errors: no plan, unknown format', async () => {
    const { ctx } = context();
    await assert.rejects(run([], { format: 'text' }, ctx), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_USAGE');
    await assert.rejects(run([example], { format: 'html' }, ctx), (e: unknown) => PumphouseError.is(e) && e.code === 'PH_USAGE' && /html/.test(e.message));
  });

  test('a tampered plan is refused through the real CLI: exit 1, PH_PLAN_TAMPERED on stderr, nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-show-'));
    try {
      const path = join(dir, 'plan.json');
      copyFileSync(example, path);
      const original = readFileSync(path, 'utf8');
      assert.ok(original.includes('"tenant-0001-vm-1"'));
      writeFileSync(path, original.replace('"tenant-0001-vm-1"', '"tenant-0001-vm-9"'));
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'run.ts'), 'show', path], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /PH_PLAN_TAMPERED/);
      assert.equal(r.stdout, '');
      const ok = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'run.ts'), 'show', example, '--format', 'markdown'], { cwd: root, encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /^## Pumphouse plan/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

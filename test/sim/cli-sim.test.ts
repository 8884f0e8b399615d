import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const RUN = join(ROOT, 'src/cli/run.ts');

describe('pumphouse sim', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ph-sim-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('serves, writes a config and manifest that validate, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUN, '--json', 'sim', '--dir', dir, '--tenants', '3', '--servers-per-tenant', '2', '--seed', '4', '--source', 'icehouse:nova-network:vlan'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: dir },
    });
    let out = '';
    child.stderr.on('data', () => undefined);
    const ready = await new Promise<any>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        for (const line of out.split('\n')) {
          if (line.includes('"sim_ready"')) done(JSON.parse(line));
        }
      });
      child.on('exit', (code) => fail(new Error(`sim exited early (${code}): ${out}`)));
    });
    try {
      assert.equal(ready.config_path, join(dir, 'config.yaml'));
      assert.equal(ready.tenants, 3);
      const config = parse(await readFile(ready.config_path, 'utf8'));
      assert.match(config.CLOUDS.source.endpoint.auth_url, /\/identity\/v2\.0$/);
      assert.match(config.CLOUDS.destination.endpoint.auth_url, /\/identity\/v3$/);
      assert.equal(config.CLOUDS.source.environment, 'source-env');
      assert.equal(typeof config.CLOUDS.fuel.endpoint.port, 'number');
      const manifest = parse(await readFile(ready.manifest_path, 'utf8'));
      assert.deepEqual(manifest.tenants.map((t: any) => t.name), ['tenant-0001', 'tenant-0002', 'tenant-0003']);
      // The config's credentials log in to the running source.
      const login = await fetch(`${config.CLOUDS.source.endpoint.auth_url}/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ auth: { passwordCredentials: { username: 'admin', password: config.CLOUDS.source.endpoint.password }, tenantName: 'admin' } }),
      });
      assert.equal(login.status, 200);
      // And the real validate command accepts both files.
      const validated = await new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
        execFile(process.execPath, ['--import', 'tsx', RUN, 'validate', '-c', ready.config_path, '-m', ready.manifest_path], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: dir } }, (err, stdout, stderr) =>
          done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
        ),
      );
      assert.equal(validated.code, 0, validated.stdout + validated.stderr);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    assert.equal(code, 0, out);
    assert.match(out, /simulator stopped/);
  });

  test('bad profiles and numbers are usage errors', async () => {
    const r = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(process.execPath, ['--import', 'tsx', RUN, 'sim', '--dir', dir, '--source', 'modern:nova-network:vlan'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: dir } }, (err, _o, stderr) =>
        done({ code: err ? Number(err.code ?? 1) : 0, stderr }),
      ),
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--source: a modern cloud has no nova-network/);
  });
});

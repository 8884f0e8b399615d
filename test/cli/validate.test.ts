import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './run-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SECRETS = { PUMPHOUSE_SOURCE_PASSWORD: 'Src-S3cret!', PUMPHOUSE_DESTINATION_PASSWORD: 'Dst-S3cret!', PUMPHOUSE_SOURCE_DB_PASSWORD: 'Db1-S3cret', PUMPHOUSE_DESTINATION_DB_PASSWORD: 'Db2-S3cret', PUMPHOUSE_FUEL_PASSWORD: 'Fuel-S3cret' };

let dir: string;
let goodConfig: string;
let goodManifest: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ph-validate-'));
  goodConfig = await readFile(join(ROOT, 'examples/config.yaml'), 'utf8');
  goodManifest = await readFile(join(ROOT, 'examples/manifest.yaml'), 'utf8');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The real CLI, from the sources, with a clean environment (no OS_*, HOME in a temp dir). */
const cli = (args: string[], env: NodeJS.ProcessEnv = SECRETS) => runCli(args, { PATH: process.env.PATH, HOME: dir, ...env });

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `example lacks ${from}`);
  return text.replace(from, to);
}

describe('pumphouse validate (real CLI)', () => {
  test('the examples validate: exit 0 and a summary of clouds, tenants and hosts', async () => {
    const r = await cli(['validate', '-c', 'examples/config.yaml', '-m', 'examples/manifest.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /config examples\/config\.yaml: OK/);
    assert.match(r.stdout, /source: +http:\/\/127\.0\.0\.1:5000\/v3 as admin in admin \(from the config\), Fuel environment source-env/);
    assert.match(r.stdout, /tenants: +2 \(acme, id:5f0c/);
    assert.match(r.stdout, /hosts: +2 \(node-12\.domain\.tld -> destination-env/);
    for (const s of Object.values(SECRETS)) assert.ok(!r.stdout.includes(s));
  });

  test('--json prints a validate_complete event with the manifest digest', async () => {
    const r = await cli(['--json', 'validate', '-c', 'examples/config.yaml', '-m', 'examples/manifest.yaml']);
    assert.equal(r.code, 0, r.stderr);
    const event = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    assert.equal(event.type, 'validate_complete');
    assert.deepEqual(event.clouds, ['source', 'destination']);
    assert.match(String(event.manifest_digest), /^[0-9a-f]{64}$/);
  });

  const badConfigs: [string, string, string, RegExp][] = [
    ['auth_url', 'auth_url: http://127.0.0.1:5000/v3', 'auth_url: ftp://127.0.0.1:5000/v3', /bad-auth_url\.yaml:17:17 \(CLOUDS\.source\.endpoint\.auth_url\): must be an http/],
    ['typo', 'tenant_name: admin', 'tenant_nme: admin', /bad-typo\.yaml:22:7 \(CLOUDS\.source\.endpoint\.tenant_nme\): unknown key 'tenant_nme' \(did you mean 'tenant_name'\?\)/],
    ['port', 'port: 8000  ', 'port: 70000  ', /bad-port\.yaml:70:13 \(CLOUDS\.fuel\.endpoint\.port\): must be a whole number from 1 to 65535/],
    ['yaml', 'password: ${PUMPHOUSE_FUEL_PASSWORD}', 'password: "${PUMPHOUSE_FUEL_PASSWORD}', /bad-yaml\.yaml:72:17 \(CLOUDS\.fuel\.endpoint\.password\): YAML syntax error/],
  ];
  for (const [name, from, to, expected] of badConfigs) {
    test(`a malformed config (${name}) exits 1 naming file, line and field`, async () => {
      const config = await file(`bad-${name}.yaml`, edit(goodConfig, from, to));
      const r = await cli(['validate', '-c', config, '-m', 'examples/manifest.yaml']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error \[PH_CONFIG_INVALID\]: .*config file (is invalid|is not valid YAML) \(1 problem\)/);
      assert.match(r.stderr, expected);
      assert.equal(r.stderr.trim().split('\n').length, 2, r.stderr);
      for (const s of Object.values(SECRETS)) assert.ok(!r.stderr.includes(s), `${s} printed`);
    });
  }

  test('an unset ${VAR} exits 1 with PH_SECRET_UNSET and no value', async () => {
    const { PUMPHOUSE_FUEL_PASSWORD: _, ...rest } = SECRETS;
    const r = await cli(['validate', '-c', 'examples/config.yaml', '-m', 'examples/manifest.yaml'], rest);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error \[PH_SECRET_UNSET\]/);
    assert.match(r.stderr, /examples\/config\.yaml:72:17 \(CLOUDS\.fuel\.endpoint\.password\): \$\{PUMPHOUSE_FUEL_PASSWORD\}/);
    for (const s of Object.values(SECRETS)) assert.ok(!r.stderr.includes(s));
  });

  const badManifests: [string, string, string, RegExp][] = [
    ['source_after', 'source_after: keep ', 'source_after: kep ', /bad-source_after\.yaml:16:19 \(tenants\[0\]\.source_after\): "kep" must be one of: keep, stop, delete \(did you mean 'keep'\?\)/],
    ['environment', 'environment: destination-env   #', 'environment: source-env   #', /bad-environment\.yaml:40:18 \(hosts\[0\]\.environment\): "source-env" is the source's Fuel environment/],
    ['concurrency', 'server: 4 ', 'servers: 4 ', /bad-concurrency\.yaml:61:3 \(concurrency\.servers\): unknown key 'servers' \(did you mean 'server'\?\)/],
  ];
  for (const [name, from, to, expected] of badManifests) {
    test(`a manifest mistake (${name}) exits 1 naming file, line and field`, async () => {
      const manifest = await file(`bad-${name}.yaml`, edit(goodManifest, from, to));
      const r = await cli(['validate', '-c', 'examples/config.yaml', '-m', manifest]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error \[PH_MANIFEST_INVALID\]/);
      assert.match(r.stderr, expected);
      assert.equal(r.stderr.trim().split('\n').length, 2, r.stderr);
    });
  }

  test('both files bad (examples/bad-*.yaml): every problem of both in one run, in file order', async () => {
    const r = await cli(['validate', '-c', 'examples/bad-config.yaml', '-m', 'examples/bad-manifest.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /config and manifest are both invalid \(8 problems\)/);
    const fields = [...r.stderr.matchAll(/^  - (examples\/bad-\w+\.yaml):(\d+):\d+ \(([^)]+)\)/gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);
    assert.deepEqual(fields, [
      'examples/bad-config.yaml:7 CLOUDS.source.endpoint.auth_url',
      'examples/bad-config.yaml:10 CLOUDS.source.endpoint.tenat_name',
      'examples/bad-config.yaml:14 CLOUDS.fuel.endpoint.port',
      'examples/bad-config.yaml:18 PLUGINS.network',
      'examples/bad-manifest.yaml:6 tenants[0].source_after',
      'examples/bad-manifest.yaml:7 tenants[1].name',
      'examples/bad-manifest.yaml:11 hosts[0].copy_from',
      'examples/bad-manifest.yaml:14 concurrency.servr',
    ]);
    assert.ok(!r.stderr.includes('not-a-real-password'));
  });

  test('a missing config file exits 1 with PH_CONFIG_NOT_FOUND', async () => {
    const r = await cli(['validate', '-c', join(dir, 'absent.yaml'), '-m', 'examples/manifest.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error \[PH_CONFIG_NOT_FOUND\]: .*absent\.yaml: config file does not exist/);
  });
});

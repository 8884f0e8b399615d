import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAgainstConfig, loadManifest, type ConfigFacts, type LoadedManifest } from '../../src/manifest/index.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ph-cross-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function manifest(text: string): Promise<LoadedManifest> {
  const path = join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  return loadManifest(path);
}

const FULL: ConfigFacts = {
  file: 'c.yaml',
  clouds: { source: true, destination: true },
  fuel: true,
  environments: { source: 'old-env', destination: 'new-env' },
  identityDb: { source: true, destination: true },
};

const HOSTS = 'version: 1\ntenants: [{name: a}]\nhosts:\n  - name: n1\n    environment: new-env\n  - name: n2\n    environment: ENV\n';

describe('checkAgainstConfig', () => {
  test('a manifest that fits gives nothing', async () => {
    const r = checkAgainstConfig(await manifest(HOSTS.replace('ENV', 'new-env')), FULL);
    assert.deepEqual(r, { problems: [], warnings: [] });
  });

  test("a host aimed at the source's environment is named, at its line", async () => {
    const r = checkAgainstConfig(await manifest(HOSTS.replace('ENV', 'old-env')), FULL);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]?.location?.line, 7);
    assert.equal(r.problems[0]?.location?.field, 'hosts[1].environment');
    assert.match(r.problems[0]?.message ?? '', /source's Fuel environment; hosts move to the destination's, "new-env"/);
  });

  test('an unknown environment gets a suggestion', async () => {
    const r = checkAgainstConfig(await manifest(HOSTS.replace('ENV', 'old-evn')), FULL);
    assert.match(r.problems[0]?.message ?? '', /unknown Fuel environment "old-evn".*did you mean 'old-env'/);
  });

  test('hosts without Fuel in the config, and without a destination environment', async () => {
    const m = await manifest(HOSTS.replace('ENV', 'new-env'));
    const r = checkAgainstConfig(m, { ...FULL, fuel: false, environments: {} });
    assert.deepEqual(
      r.problems.map((p) => [p.location?.field, /CLOUDS\.fuel|CLOUDS\.destination\.environment/.test(p.message)]),
      [
        ['hosts', true],
        ['hosts[0].environment', true],
        ['hosts[1].environment', true],
      ],
    );
  });

  test('tenants need both clouds', async () => {
    const r = checkAgainstConfig(await manifest('version: 1\ntenants: [{name: a}]\n'), { ...FULL, clouds: { source: true, destination: false } });
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]?.message ?? '', /no destination cloud/);
  });

  test('copy-hash without identity databases is a warning, not a problem', async () => {
    const r = checkAgainstConfig(await manifest('version: 1\ntenants: [{name: a}]\n'), { ...FULL, identityDb: { source: true, destination: false } });
    assert.deepEqual(r.problems, []);
    assert.match(r.warnings[0]?.message ?? '', /CLOUDS\.destination\.identity\.connection/);
    const reset = checkAgainstConfig(await manifest('version: 1\ntenants: [{name: a}]\nidentity: {passwords: reset}\n'), { ...FULL, identityDb: { source: false, destination: false } });
    assert.deepEqual(reset.warnings, []);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { targetsFromFile } from './from-file.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phc-targets-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const clouds = `clouds:
  source:
    auth: { auth_url: 'http://127.0.0.1:5000/v3', username: admin, password: pw1, project_name: admin, user_domain_name: Default, project_domain_name: Default }
    region_name: RegionOne
  destination:
    auth: { auth_url: 'http://127.0.0.1:15000/v3', username: admin, password: pw2, project_name: admin }
`;

test('a clouds.yaml gives one target per cloud, credentials read like the config does', async () => {
  const file = join(dir, 'clouds.yaml');
  await writeFile(file, clouds);
  const targets = await targetsFromFile(file);
  assert.deepEqual(targets.map((t) => t.name), ['source', 'destination']);
  assert.equal(targets[0]?.credentials.authUrl, 'http://127.0.0.1:5000/v3');
  assert.equal(targets[0]?.credentials.region, 'RegionOne');
  assert.equal(targets[0]?.credentials.userDomainName, 'Default');
  assert.equal(targets[1]?.credentials.password, 'pw2');
  assert.deepEqual(targets[0]?.capabilities, {}, 'capabilities are discovered');
  assert.equal(targets[0]?.cleanup, 'always');
  assert.deepEqual((await targetsFromFile(file, { only: ['destination'] })).map((t) => t.name), ['destination']);
});

test('a pumphouse config gives its source and destination', async () => {
  const file = join(dir, 'config.yaml');
  await writeFile(join(dir, 'clouds.yaml'), clouds);
  await writeFile(
    file,
    `CLOUDS:
  source:
    cloud: source
  destination:
    endpoint: { auth_url: 'http://127.0.0.1:15000/v3', username: admin, password: pw3, tenant_name: admin }
`,
  );
  const targets = await targetsFromFile(file, { cwd: dir });
  assert.deepEqual(targets.map((t) => [t.name, t.credentials.authUrl]), [
    ['source', 'http://127.0.0.1:5000/v3'],
    ['destination', 'http://127.0.0.1:15000/v3'],
  ]);
});

test('a file that is neither is refused', async () => {
  const file = join(dir, 'other.yaml');
  await writeFile(file, 'foo: 1\n');
  await assert.rejects(targetsFromFile(file), /neither a clouds.yaml/);
});

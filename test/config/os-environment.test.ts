import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadConfigOptions } from '../../src/config/index.js';
import { PumphouseError } from '../../src/errors/index.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ph-osenv-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const OPENRC = {
  OS_AUTH_URL: 'http://env:5000/v3',
  OS_USERNAME: 'admin',
  OS_PASSWORD: 'Env-S3cret',
  OS_PROJECT_NAME: 'admin',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
  OS_REGION_NAME: 'RegionOne',
  OS_ENDPOINT_TYPE: 'internalURL',
  OS_INSECURE: 'true',
};

const DESTINATION = 'CLOUDS:\n  destination:\n    endpoint: {auth_url: "http://dst:5000/v3", username: a, password: b, tenant_name: c}\n';

async function load(text: string, env: NodeJS.ProcessEnv): Promise<Awaited<ReturnType<typeof loadConfig>>> {
  const path = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  const opts: LoadConfigOptions = { env, cwd: dir, home: join(dir, 'home'), systemDir: join(dir, 'etc') };
  return loadConfig(path, opts);
}

describe('OS_* variables stand in for a missing cloud section', () => {
  test('the one missing section is taken from an openrc', async () => {
    const config = await load(DESTINATION, OPENRC);
    assert.deepEqual(config.source?.credentials, {
      authUrl: 'http://env:5000/v3',
      username: 'admin',
      password: 'Env-S3cret',
      projectName: 'admin',
      userDomainName: 'Default',
      projectDomainName: 'Default',
      region: 'RegionOne',
      interface: 'internal',
      insecure: true,
    });
    assert.equal(config.source?.origin.kind, 'environment');
    assert.equal(config.destination?.credentials.authUrl, 'http://dst:5000/v3');
  });

  test('OS_TENANT_NAME works as the project (v2.0 openrc)', async () => {
    const { OS_PROJECT_NAME: _, ...v2 } = OPENRC;
    const config = await load(DESTINATION, { ...v2, OS_TENANT_NAME: 'legacy' });
    assert.equal(config.source?.credentials.projectName, 'legacy');
  });

  test('with no CLOUDS at all the environment is the source', async () => {
    const config = await load('PLUGINS:\n  network: neutron\n', OPENRC);
    assert.equal(config.source?.credentials.authUrl, 'http://env:5000/v3');
    assert.equal(config.destination, undefined);
  });

  test('a section in the file wins; the ignored variables give a warning', async () => {
    const both = `${DESTINATION}  source:\n    endpoint: {auth_url: "http://file:5000/v3", username: a, password: b, tenant_name: c}\n`;
    const config = await load(both, OPENRC);
    assert.equal(config.source?.credentials.authUrl, 'http://file:5000/v3');
    assert.match(config.warnings[0]?.message ?? '', /OS_\* variables are set but ignored/);
  });

  test('OS_CLOUD wins over OS_AUTH_URL and names a clouds.yaml entry', async () => {
    const clouds = join(dir, 'clouds-env.yaml');
    await writeFile(clouds, 'clouds:\n  picked:\n    auth: {auth_url: "http://picked:5000/v3", username: u, password: p, project_name: x}\n');
    const config = await load(DESTINATION, { ...OPENRC, OS_CLOUD: 'picked', OS_CLIENT_CONFIG_FILE: clouds });
    assert.equal(config.source?.credentials.authUrl, 'http://picked:5000/v3');
    assert.equal(config.source?.origin.kind === 'clouds.yaml' && config.source.origin.via, 'OS_CLOUD');
  });

  test('an incomplete openrc names the missing variable and never a value', async () => {
    const { OS_PASSWORD: _, ...partial } = OPENRC;
    await assert.rejects(load(DESTINATION, partial), (err: unknown) => {
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_CONFIG_INVALID');
      assert.equal(err.problems.length, 1);
      assert.equal(err.problems[0]?.location?.field, 'OS_PASSWORD');
      assert.ok(!JSON.stringify(err.problems).includes('http://env'));
      return true;
    });
  });

  test('no OS_* variables and no section: the cloud is simply absent', async () => {
    const config = await load(DESTINATION, { HOME: '/nonexistent' });
    assert.equal(config.source, undefined);
  });
});

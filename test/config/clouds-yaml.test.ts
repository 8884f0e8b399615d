import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cloudsYamlCandidates, loadConfig, type LoadConfigOptions } from '../../src/config/index.js';
import { PumphouseError } from '../../src/errors/index.js';

let dir: string;
let cwd: string;
let home: string;
let etc: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ph-clouds-'));
  cwd = join(dir, 'work');
  home = join(dir, 'home');
  etc = join(dir, 'etc', 'openstack');
  await mkdir(cwd, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

/** A clouds.yaml whose entry `c` logs in to `url`, so a test can tell which file won. */
const cloudsFile = (url: string, extra = ''): string =>
  `clouds:\n  c:\n    auth:\n      auth_url: ${url}\n      username: admin\n      password: pw\n      project_name: admin\n${extra}`;

const CONFIG = 'CLOUDS:\n  source:\n    cloud: c\n';

function opts(env: NodeJS.ProcessEnv = {}): LoadConfigOptions {
  return { env, cwd, home, systemDir: etc };
}

describe('clouds.yaml lookup order', () => {
  test('candidates: OS_CLIENT_CONFIG_FILE, ./, ~/.config/openstack, /etc/openstack', () => {
    const list = cloudsYamlCandidates({ env: { OS_CLIENT_CONFIG_FILE: 'mine.yaml' }, cwd, home, systemDir: etc }).filter((p) => p.endsWith('clouds.yaml') || p.endsWith('mine.yaml'));
    assert.deepEqual(list, [join(cwd, 'mine.yaml'), join(cwd, 'clouds.yaml'), join(home, '.config/openstack/clouds.yaml'), join(etc, 'clouds.yaml')]);
  });

  test('each place wins over the ones after it; the first file found is the only one read', async () => {
    const config = await put(join(cwd, 'pumphouse.yaml'), CONFIG);
    await put(join(etc, 'clouds.yaml'), cloudsFile('http://etc:5000/v3'));
    assert.equal((await loadConfig(config, opts())).source?.credentials.authUrl, 'http://etc:5000/v3');
    await put(join(home, '.config/openstack/clouds.yaml'), cloudsFile('http://home:5000/v3'));
    assert.equal((await loadConfig(config, opts())).source?.credentials.authUrl, 'http://home:5000/v3');
    await put(join(cwd, 'clouds.yaml'), cloudsFile('http://cwd:5000/v3'));
    assert.equal((await loadConfig(config, opts())).source?.credentials.authUrl, 'http://cwd:5000/v3');
    await put(join(dir, 'explicit.yaml'), cloudsFile('http://explicit:5000/v3'));
    const loaded = await loadConfig(config, opts({ OS_CLIENT_CONFIG_FILE: join(dir, 'explicit.yaml') }));
    assert.equal(loaded.source?.credentials.authUrl, 'http://explicit:5000/v3');
    assert.deepEqual(loaded.source?.origin, {
      kind: 'clouds.yaml',
      file: join(dir, 'explicit.yaml'),
      cloud: 'c',
      via: 'config',
      location: { file: join(dir, 'explicit.yaml'), line: 2, column: 3, field: 'clouds.c' },
    });
  });

  test('XDG_CONFIG_HOME replaces ~/.config', async () => {
    const config = await put(join(cwd, 'pumphouse.yaml'), CONFIG);
    await put(join(dir, 'xdg/openstack/clouds.yaml'), cloudsFile('http://xdg:5000/v3'));
    const loaded = await loadConfig(config, opts({ XDG_CONFIG_HOME: join(dir, 'xdg') }));
    assert.equal(loaded.source?.credentials.authUrl, 'http://xdg:5000/v3');
  });
});

describe('clouds.yaml entries', () => {
  test('auth, region, interface, cacert, verify and domains map onto credentials; secure.yaml is merged over', async () => {
    await put(
      join(cwd, 'clouds.yaml'),
      cloudsFile(
        'https://k:5000/v3',
        '      user_domain_name: Users\n      project_domain_id: default\n    region_name: R1\n    interface: admin\n    cacert: /ca.pem\n    verify: false\n',
      ).replace('      password: pw\n', ''),
    );
    await put(join(cwd, 'secure.yaml'), 'clouds:\n  c:\n    auth:\n      password: from-secure\n');
    const config = await put(join(cwd, 'pumphouse.yaml'), 'CLOUDS:\n  source:\n    cloud: c\n    region: R2\n    identity:\n      connection: mysql://k@db/keystone\n');
    const loaded = await loadConfig(config, opts());
    assert.deepEqual(loaded.source?.credentials, {
      authUrl: 'https://k:5000/v3',
      username: 'admin',
      password: 'from-secure',
      projectName: 'admin',
      userDomainName: 'Users',
      projectDomainId: 'default',
      region: 'R2', // the config's region overrides the entry's region_name
      interface: 'admin',
      cacert: '/ca.pem',
      insecure: true,
    });
    assert.equal(loaded.source?.identityDbUrl, 'mysql://k@db/keystone');
  });

  test('a missing entry is PH_CONFIG_NOT_FOUND at the config line, with a suggestion', async () => {
    await put(join(cwd, 'clouds.yaml'), cloudsFile('http://k:5000/v3').replace('  c:', '  old-cloud:'));
    const config = await put(join(cwd, 'pumphouse.yaml'), 'CLOUDS:\n  source:\n    cloud: old-clod\n');
    await assert.rejects(loadConfig(config, opts()), (err: unknown) => {
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_CONFIG_NOT_FOUND');
      assert.equal(err.problems.length, 1);
      assert.deepEqual(err.problems[0]?.location, { file: config, line: 3, column: 12, field: 'CLOUDS.source.cloud' });
      assert.match(err.problems[0]?.message ?? '', /no cloud named 'old-clod'.*did you mean 'old-cloud'/);
      return true;
    });
  });

  test('no clouds.yaml anywhere is PH_CONFIG_NOT_FOUND listing the places searched', async () => {
    const config = await put(join(cwd, 'pumphouse.yaml'), CONFIG);
    await assert.rejects(loadConfig(config, opts()), (err: unknown) => {
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_CONFIG_NOT_FOUND');
      assert.ok(err.problems[0]?.message.includes(join(home, '.config/openstack/clouds.yaml')));
      return true;
    });
  });

  test('a bad entry is PH_CONFIG_INVALID located in clouds.yaml, without values', async () => {
    const clouds = await put(join(cwd, 'clouds.yaml'), cloudsFile('ftp://Secret-In-Url', '    interface: private\n').replace('password: pw', 'password: 1234'));
    const config = await put(join(cwd, 'pumphouse.yaml'), CONFIG);
    await assert.rejects(loadConfig(config, opts()), (err: unknown) => {
      assert.ok(PumphouseError.is(err));
      assert.equal(err.code, 'PH_CONFIG_INVALID');
      assert.deepEqual(
        err.problems.map((p) => [p.location?.file, p.location?.line, p.location?.field]),
        [
          [clouds, 4, 'clouds.c.auth.auth_url'],
          [clouds, 6, 'clouds.c.auth.password'],
          [clouds, 8, 'clouds.c.interface'],
        ],
      );
      assert.ok(!JSON.stringify(err.problems).includes('Secret-In-Url'));
      assert.ok(!JSON.stringify(err.problems).includes('1234'));
      return true;
    });
  });

  test('token auth types are refused', async () => {
    await put(join(cwd, 'clouds.yaml'), cloudsFile('http://k:5000/v3', '    auth_type: v3token\n'));
    const config = await put(join(cwd, 'pumphouse.yaml'), CONFIG);
    await assert.rejects(loadConfig(config, opts()), /is invalid/);
  });
});

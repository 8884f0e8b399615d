import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, redactedConfig, type LoadConfigOptions } from '../../src/config/index.js';
import { PumphouseError } from '../../src/errors/index.js';

const SECRETS = ['Src-S3cret!', 'Dst-S3cret!', 'Db-S3cret', 'Fuel-S3cret', 'Env-S3cret'];

const GOOD = `# a comment
CLOUDS:
  source:
    endpoint:
      auth_url: http://127.0.0.1:5000/v2.0
      username: admin
      password: Src-S3cret!
      tenant_name: admin
    identity:
      connection: mysql+mysqlconnector://root:Db-S3cret@10.0.0.1/keystone
    environment: env-old
    urls:
      horizon: http://10.0.0.1/
    populate:
      num_tenants: 3
      num_servers: 3
    workloads:
      flavors:
        - &small {name: small, ram: 1024, vcpu: 1, disk: 10}
      tenants:
        - name: t1
          servers:
            - name: s1
              flavor:
                <<: *small
    fake:
      delays: true
  destination:
    endpoint:
      auth_url: https://keystone.new:5000/v3
      username: admin
      password: Dst-S3cret!
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region: RegionTwo
    interface: internal
    cacert: /etc/ssl/ca.pem
    identity:
      connection: mysql://keystone:\${DST_DB_PASSWORD}@10.0.0.2/keystone
    environment: env-new
  fuel:
    endpoint:
      host: 10.20.0.2
      port: 8000
      username: admin
      password: Fuel-S3cret
PLUGINS:
  network: neutron
  assignment: fixed
  assignment_parameters:
    roles: [compute]
    disks:
      - {name: sdb, size: 10, volumes: [{name: vm, size: 10}]}
      - {name: sda, size: 20, volumes: [{name: os, size: 20}]}
    ifaces:
      - {name: eth0, assigned_networks: [fuelweb_admin]}
PARAMETERS:
  volume_tasks_timeout: 300
LOGGING:
  handlers: {}
DEBUG: false
SERVER_NAME: 127.0.0.1:5000
BIND_HOST: 127.0.0.1:5000
CLOUD_DRIVER: pumphouse.fake.Cloud
CLOUDS_RESET: true
cmds:
  ping: &ping
    cmd: "ping -c 4 \${PUBLIC_IP}"
`;

let dir: string;
let options: LoadConfigOptions;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ph-config-'));
  options = { env: { DST_DB_PASSWORD: 'Env-S3cret' }, cwd: dir, home: join(dir, 'home'), systemDir: join(dir, 'etc') };
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Loads and returns the PumphouseError it must throw. */
async function failure(text: string, opts: LoadConfigOptions = options, name = 'bad.yaml'): Promise<PumphouseError> {
  const path = await write(name, text);
  try {
    await loadConfig(path, opts);
  } catch (err) {
    assert.ok(PumphouseError.is(err), `not a PumphouseError: ${String(err)}`);
    return err;
  }
  assert.fail('loadConfig accepted a bad config');
}

/** Every text an operator could see from an error. */
function visible(e: PumphouseError): string {
  return [e.message, JSON.stringify(e.location), JSON.stringify(e.problems), JSON.stringify(e.details ?? {})].join('\n');
}

describe('loadConfig: the seed format', () => {
  test('normalizes both clouds, Fuel, plugins and parameters', async () => {
    const config = await loadConfig(await write('good.yaml', GOOD), options);
    assert.equal(config.path, join(dir, 'good.yaml'));
    assert.deepEqual(config.source?.credentials, {
      authUrl: 'http://127.0.0.1:5000/v2.0',
      username: 'admin',
      password: 'Src-S3cret!',
      projectName: 'admin',
    });
    assert.equal(config.source?.identityDbUrl, 'mysql+mysqlconnector://root:Db-S3cret@10.0.0.1/keystone');
    assert.equal(config.source?.environment, 'env-old');
    assert.deepEqual(config.source?.populate, { numTenants: 3, numServers: 3 });
    assert.deepEqual(config.source?.urls, { horizon: 'http://10.0.0.1/' });
    // The merge key of the original sample is resolved.
    const workloads = config.source?.workloads as { tenants: { servers: { flavor: { ram: number } }[] }[] };
    assert.equal(workloads.tenants[0]?.servers[0]?.flavor.ram, 1024);
    assert.equal(config.source?.origin.kind, 'config');
    assert.equal(config.source?.location?.line, 3);
    assert.deepEqual(config.destination?.credentials, {
      authUrl: 'https://keystone.new:5000/v3',
      username: 'admin',
      password: 'Dst-S3cret!',
      projectName: 'admin',
      userDomainName: 'Default',
      projectDomainName: 'Default',
      region: 'RegionTwo',
      interface: 'internal',
      cacert: '/etc/ssl/ca.pem',
    });
    assert.equal(config.destination?.identityDbUrl, 'mysql://keystone:Env-S3cret@10.0.0.2/keystone');
    assert.deepEqual(config.fuel?.credentials, { host: '10.20.0.2', port: 8000, username: 'admin', password: 'Fuel-S3cret' });
    assert.equal(config.plugins.network, 'neutron');
    assert.equal(config.plugins.provisionServer, 'image');
    assert.deepEqual(config.plugins.assignmentParameters?.disks.map((d) => d.name), ['sda', 'sdb']);
    assert.equal(config.parameters.volumeTasksTimeoutSeconds, 300);
    assert.deepEqual(config.server, { serverName: '127.0.0.1:5000', bindHost: '127.0.0.1:5000', debug: false, cloudsReset: true });
    assert.deepEqual(config.warnings, []);
  });

  test('defaults: plugins of the original, Fuel port 8000, volume timeout 120 s', async () => {
    const config = await loadConfig(
      await write('min.yaml', 'CLOUDS:\n  fuel:\n    endpoint: {host: fuel.local, username: admin, password: x}\n'),
      options,
    );
    assert.deepEqual(config.plugins, { network: 'nova', provisionServer: 'image', assignment: 'fixed', postMortem: false });
    assert.equal(config.fuel?.credentials.port, 8000);
    assert.equal(config.parameters.volumeTasksTimeoutSeconds, 120);
    assert.equal(config.source, undefined);
  });

  test('redactedConfig and redactedRaw hold no secret', async () => {
    const config = await loadConfig(await write('good.yaml', GOOD), options);
    const shown = JSON.stringify(redactedConfig(config));
    for (const s of SECRETS) assert.ok(!shown.includes(s), `${s} leaked into the redacted view`);
    assert.match(shown, /"identity_db":"mysql:\/\/keystone:\*\*\*@10\.0\.0\.2\/keystone"/);
    assert.match(shown, /"password":"\*\*\*"/);
    assert.ok(shown.includes('"auth_url":"http://127.0.0.1:5000/v2.0"'));
  });
});

describe('loadConfig: ${ENV} secrets', () => {
  test('expands variables in credential fields, keeps $${ literal and leaves workloads alone', async () => {
    const text = `CLOUDS:
  source:
    endpoint:
      auth_url: \${AUTH}
      username: admin
      password: pre-\${PW}-$\${NOT_A_VAR}
      tenant_name: admin
    workloads:
      cmd: "curl http://\${PUBLIC_IP}/"
`;
    const config = await loadConfig(await write('env.yaml', text), { ...options, env: { AUTH: 'http://k:5000/v3', PW: 'Env-S3cret' } });
    assert.equal(config.source?.credentials.authUrl, 'http://k:5000/v3');
    assert.equal(config.source?.credentials.password, 'pre-Env-S3cret-${NOT_A_VAR}');
    assert.deepEqual(config.source?.workloads, { cmd: 'curl http://${PUBLIC_IP}/' });
  });

  test('an unset or empty variable is PH_SECRET_UNSET naming file, line and field', async () => {
    const text = 'CLOUDS:\n  fuel:\n    endpoint:\n      host: fuel\n      username: admin\n      password: ${FUEL_PW}\n';
    const e = await failure(text, { ...options, env: { FUEL_PW: '' } });
    assert.equal(e.code, 'PH_SECRET_UNSET');
    assert.equal(e.problems.length, 1);
    assert.deepEqual(e.problems[0]?.location, { file: join(dir, 'bad.yaml'), line: 6, column: 17, field: 'CLOUDS.fuel.endpoint.password' });
    assert.match(e.problems[0]?.message ?? '', /\$\{FUEL_PW\}.*not set/);
  });

  test('a variable that expands to a bad value is checked like a written one, without showing it', async () => {
    const text = 'CLOUDS:\n  source:\n    endpoint: {auth_url: "${AUTH}", username: a, password: b, tenant_name: c}\n';
    const e = await failure(text, { ...options, env: { AUTH: 'Env-S3cret' } });
    assert.equal(e.code, 'PH_CONFIG_INVALID');
    assert.equal(e.problems[0]?.location?.field, 'CLOUDS.source.endpoint.auth_url');
    assert.ok(!visible(e).includes('Env-S3cret'));
  });
});

const BASE = `CLOUDS:
  source:
    endpoint:
      auth_url: http://127.0.0.1:5000/v2.0
      username: admin
      password: Src-S3cret!
      tenant_name: admin
    identity:
      connection: mysql://root:Db-S3cret@10.0.0.1/keystone
  fuel:
    endpoint:
      host: 10.20.0.2
      port: 8000
      username: admin
      password: Fuel-S3cret
PLUGINS:
  network: nova
`;

interface BadCase {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly code?: string;
  readonly line: number;
  readonly field?: string;
  readonly message: RegExp;
}

/** Malformed configs: each must give exactly one problem, at the right line and field. */
export const BAD_CONFIGS: readonly BadCase[] = [
  { name: 'auth_url is not http(s)', from: 'http://127.0.0.1:5000/v2.0', to: 'ftp://127.0.0.1:5000/v2.0', line: 4, field: 'CLOUDS.source.endpoint.auth_url', message: /http:\/\/ or https:\/\/ URL/ },
  { name: 'auth_url is not a URL', from: 'http://127.0.0.1:5000/v2.0', to: 'keystone:5000', line: 4, field: 'CLOUDS.source.endpoint.auth_url', message: /URL/ },
  { name: 'misspelt key', from: 'tenant_name: admin', to: 'tenat_name: admin', line: 7, field: 'CLOUDS.source.endpoint.tenat_name', message: /unknown key 'tenat_name' \(did you mean 'tenant_name'\?\)/ },
  { name: 'misspelt required key', from: 'password: Src-S3cret!', to: 'pasword: Src-S3cret!', line: 6, field: 'CLOUDS.source.endpoint.pasword', message: /did you mean 'password'/ },
  { name: 'missing password', from: '      password: Src-S3cret!\n', to: '', line: 3, field: 'CLOUDS.source.endpoint.password', message: /missing required key 'password'/ },
  { name: 'missing tenant', from: '      tenant_name: admin\n', to: '', line: 3, field: 'CLOUDS.source.endpoint.tenant_name', message: /tenant_name \(or project_name, project_id\)/ },
  { name: 'Fuel port out of range', from: 'port: 8000', to: 'port: 80000', line: 13, field: 'CLOUDS.fuel.endpoint.port', message: /1 to 65535/ },
  { name: 'Fuel port not a number', from: 'port: 8000', to: 'port: "8000x"', line: 13, field: 'CLOUDS.fuel.endpoint.port', message: /whole number/ },
  { name: 'Fuel host given as URL', from: 'host: 10.20.0.2', to: 'host: http://10.20.0.2:8000/', line: 12, field: 'CLOUDS.fuel.endpoint.host', message: /host name or IP/ },
  { name: 'identity DB is not MySQL', from: 'mysql://root:Db-S3cret@10.0.0.1/keystone', to: 'postgresql://root:Db-S3cret@10.0.0.1/keystone', line: 9, field: 'CLOUDS.source.identity.connection', message: /MySQL URL/ },
  { name: 'identity DB URL without database', from: 'mysql://root:Db-S3cret@10.0.0.1/keystone', to: 'mysql+pymysql://root:Db-S3cret@10.0.0.1', line: 9, field: 'CLOUDS.source.identity.connection', message: /MySQL URL/ },
  { name: 'unknown plugin value', from: 'network: nova', to: 'network: neutorn', line: 17, field: 'PLUGINS.network', message: /one of: nova, neutron \(did you mean 'neutron'\?\)/ },
  { name: 'misspelt cloud name', from: '  source:', to: '  sourse:', line: 2, field: 'CLOUDS.sourse', message: /did you mean 'source'/ },
  { name: 'misspelt top-level key', from: 'PLUGINS:', to: 'PLUGIN:', line: 16, field: 'PLUGIN', message: /did you mean 'PLUGINS'/ },
  { name: 'password YAML reads as a number', from: 'password: Fuel-S3cret', to: 'password: 12345', line: 15, field: 'CLOUDS.fuel.endpoint.password', message: /quote/ },
  { name: 'endpoint and cloud together', from: '  source:\n', to: '  source:\n    cloud: old\n', line: 3, field: 'CLOUDS.source.cloud', message: /either 'endpoint'.*or 'cloud'/ },
  { name: 'neither endpoint nor cloud', from: '  fuel:', to: '  destination:\n    environment: x\n  fuel:', line: 10, field: 'CLOUDS.destination', message: /needs 'endpoint'/ },
  { name: 'tenant_name and project_name disagree', from: 'tenant_name: admin', to: 'tenant_name: admin\n      project_name: other', line: 8, field: 'CLOUDS.source.endpoint.project_name', message: /different projects/ },
  { name: 'interface not known', from: '    identity:', to: '    interface: private\n    identity:', line: 8, field: 'CLOUDS.source.interface', message: /one of: public, internal, admin/ },
  { name: 'SERVER_NAME port out of range', from: 'PLUGINS:', to: 'SERVER_NAME: 127.0.0.1:99999\nPLUGINS:', line: 16, field: 'SERVER_NAME', message: /1 to 65535/ },
  { name: 'a section is a list', from: 'PLUGINS:\n  network: nova\n', to: 'PLUGINS:\n  - nova\n', line: 17, field: 'PLUGINS', message: /must be a mapping/ },
  { name: 'YAML: unclosed quote', from: 'password: Fuel-S3cret', to: 'password: "Fuel-S3cret', line: 15, field: 'CLOUDS.fuel.endpoint.password', message: /YAML syntax error: Missing closing "quote/ },
  { name: 'YAML: duplicate key', from: '      username: admin\n      password: Src', to: '      username: admin\n      username: root\n      password: Src', line: 6, field: 'CLOUDS.source.endpoint.username', message: /duplicate key/ },
  { name: 'YAML: bad indentation', from: '      tenant_name: admin', to: '     tenant_name: admin', line: 7, message: /YAML syntax error/ },
  { name: 'YAML: tab indentation', from: '      tenant_name: admin', to: '\ttenant_name: admin', line: 7, message: /YAML syntax error/ },
];

describe('loadConfig: malformed configs give one clear problem each', () => {
  for (const c of BAD_CONFIGS) {
    test(c.name, async () => {
      assert.ok(BASE.includes(c.from), `fixture does not contain ${c.from}`);
      const e = await failure(BASE.replace(c.from, c.to));
      assert.equal(e.code, c.code ?? 'PH_CONFIG_INVALID');
      assert.equal(e.problems.length, 1, `expected one problem, got: ${JSON.stringify(e.problems, null, 1)}`);
      const p = e.problems[0]!;
      assert.equal(p.location?.file, join(dir, 'bad.yaml'));
      assert.equal(p.location?.line, c.line, p.message);
      assert.ok((p.location?.column ?? 0) >= 1);
      if (c.field) assert.equal(p.location?.field, c.field);
      assert.match(p.message, c.message);
      for (const s of SECRETS) assert.ok(!visible(e).includes(s), `${s} appears in the error`);
    });
  }

  test('every problem of a file is reported at once, in file order', async () => {
    const text = BASE.replace('http://127.0.0.1:5000/v2.0', 'ftp://x').replace('port: 8000', 'port: 0').replace('network: nova', 'network: x');
    const e = await failure(text);
    assert.deepEqual(
      e.problems.map((p) => [p.location?.line, p.location?.field]),
      [
        [4, 'CLOUDS.source.endpoint.auth_url'],
        [13, 'CLOUDS.fuel.endpoint.port'],
        [17, 'PLUGINS.network'],
      ],
    );
    assert.match(e.message, /3 problems/);
  });

  test('a missing file is PH_CONFIG_NOT_FOUND', async () => {
    await assert.rejects(loadConfig(join(dir, 'nope.yaml'), options), (err: unknown) => PumphouseError.is(err) && err.code === 'PH_CONFIG_NOT_FOUND');
  });

  test('an empty file is one problem at line 1', async () => {
    const e = await failure('# nothing here\n');
    assert.equal(e.code, 'PH_CONFIG_INVALID');
    assert.equal(e.problems[0]?.location?.line, 1);
  });

  test('no secret appears in any message, whatever the mistake', async () => {
    // Secrets sitting right where the mistakes are: wrong types, bad URLs, syntax errors.
    const texts = [
      'CLOUDS:\n  source:\n    endpoint: {auth_url: "Src-S3cret!", username: a, password: [Dst-S3cret!], tenant_name: t}\n',
      'CLOUDS:\n  source:\n    endpoint:\n      password: "Src-S3cret!\n',
      'CLOUDS:\n  source:\n    endpoint: {auth_url: "http://x", username: a, password: "Src-\\qS3cret!", tenant_name: t}\n',
      'CLOUDS:\n  source:\n    identity: {connection: "Db-S3cret"}\n    cloud: x\n',
      'CLOUDS:\n  fuel:\n    endpoint: {host: "Fuel-S3cret!", username: a, password: b, port: "Fuel-S3cret"}\n',
      'x: 1\nCLOUDS:\n  source:\n    endpoint: {auth_url: "http://u:Src-S3cret!@x", username: a, password: b, tenant_name: !!int Dst-S3cret!}\n',
      'Src-S3cret!: 1\n',
      'CLOUDS: Src-S3cret!\n',
    ];
    for (const text of texts) {
      const e = await failure(text);
      const shown = visible(e);
      for (const s of SECRETS) assert.ok(!shown.includes(s), `${s} leaked for ${JSON.stringify(text)}: ${shown}`);
    }
  });
});

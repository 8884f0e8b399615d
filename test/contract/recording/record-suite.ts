import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session, type CloudCredentials } from '../../../src/openstack/index.js';
import { ComputeClient } from '../../../src/openstack/index.js';
import { buildFixtures, type ServiceFixture } from './fixture.js';
import { RecordingProxy, type Exchange } from './recording-proxy.js';
import type { Volatile } from './templates.js';

/** Catalog type -> the client label the fixtures are filed under. */
const SERVICE_OF_TYPE: Readonly<Record<string, string>> = {
  identity: 'identity',
  compute: 'compute',
  image: 'image',
  network: 'network',
  volumev3: 'volume',
  'block-storage': 'volume',
  volumev2: 'volume',
  volume: 'volume',
  placement: 'placement',
};

export interface RecordingResult {
  readonly fixtures: ServiceFixture[];
  readonly exchanges: readonly Exchange[];
  /** Exit code of the contract suite run through the proxy (0: every test passed). */
  readonly suiteStatus: number;
  /** The suite's TAP/spec output. */
  readonly suiteOutput: string;
  /** Tokens seen on the wire (to prove the fixtures do not hold them); never written anywhere. */
  readonly secrets: readonly string[];
}

/**
 * Runs the contract suite against one cloud through a RecordingProxy and folds what went
 * over the wire into per-service fixtures. The cloud's services must listen on 127.0.0.1.
 * `cwd` is the repository root (the suite is run with `node --import tsx --test`).
 */
export async function recordSuite(
  creds: CloudCredentials,
  opts: { readonly cwd: string; readonly name: string; readonly areas?: string; /** First pause between probes of the suite's waits (a simulator needs ~10 ms). */ readonly pollMs?: number },
): Promise<RecordingResult> {
  const direct = await Session.login(creds, { name: opts.name });
  const serviceByOrigin = new Map<string, string>();
  let hosts: string[] = [];
  try {
    for (const e of direct.catalog) {
      const label = SERVICE_OF_TYPE[e.type];
      if (label && !serviceByOrigin.has(new URL(e.url).origin)) serviceByOrigin.set(new URL(e.url).origin, label);
    }
    const nova = await ComputeClient.open(direct);
    const hvs = await nova.hypervisors.list();
    const svcs = await nova.services.list();
    hosts = [...new Set([...hvs.map((h) => h.hostname), ...svcs.map((s) => s.host)])];
  } finally {
    await direct.close();
  }
  const volatile: Volatile = { projectIds: [direct.projectId ?? ''].filter(Boolean), namePrefix: 'phc-', hosts };

  const proxy = new RecordingProxy();
  const dir = await mkdtemp(join(tmpdir(), 'phc-record-'));
  try {
    const keystone = new URL(creds.authUrl);
    const front = await proxy.proxyFor(keystone.origin);
    const authUrl = `${front}${keystone.pathname}`;
    const file = join(dir, 'clouds.yaml');
    await writeFile(file, cloudsYaml(opts.name, { ...creds, authUrl }), { mode: 0o600 });
    const { status, output } = await runSuite(opts.cwd, file, opts.areas, opts.pollMs);
    const serviceOf = (upstream: string) => serviceByOrigin.get(upstream);
    const secrets = new Set<string>();
    for (const e of proxy.exchanges) {
      const t = e.requestHeaders['x-auth-token'];
      if (t) secrets.add(t);
      const s = e.responseHeaders['x-subject-token'];
      if (s) secrets.add(s);
    }
    return { fixtures: buildFixtures(proxy.exchanges, serviceOf, volatile), exchanges: proxy.exchanges, suiteStatus: status, suiteOutput: output, secrets: [...secrets] };
  } finally {
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function cloudsYaml(name: string, c: CloudCredentials): string {
  const q = (s: string) => JSON.stringify(s);
  const auth: Array<[string, string | undefined]> = [
    ['auth_url', c.authUrl],
    ['username', c.username],
    ['password', c.password],
    ['project_name', c.projectName],
    ['project_id', c.projectId],
    ['user_domain_name', c.userDomainName],
    ['user_domain_id', c.userDomainId],
    ['project_domain_name', c.projectDomainName],
    ['project_domain_id', c.projectDomainId],
  ];
  const lines = ['clouds:', `  ${q(name)}:`, '    auth:', ...auth.filter(([, v]) => v !== undefined).map(([k, v]) => `      ${k}: ${q(v as string)}`)];
  if (c.region) lines.push(`    region_name: ${q(c.region)}`);
  if (c.interface) lines.push(`    interface: ${q(c.interface)}`);
  return `${lines.join('\n')}\n`;
}

function runSuite(cwd: string, configFile: string, areas: string | undefined, pollMs: number | undefined): Promise<{ status: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/contract/from-config.test.ts'], {
      cwd,
      env: {
        ...process.env,
        PUMPHOUSE_CONTRACT_CONFIG: configFile,
        ...(areas ? { PUMPHOUSE_CONTRACT_AREAS: areas } : {}),
        ...(pollMs !== undefined ? { PUMPHOUSE_CONTRACT_POLL_MS: String(pollMs) } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ status: code ?? 1, output }));
  });
}

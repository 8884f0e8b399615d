import { stringify } from 'yaml';
import type { SimCloud } from '../cloud/sim-cloud.js';
import type { FuelSimulator } from '../fuel/index.js';
import type { GeneratedCloud } from '../generator/index.js';

/**
 * The config `pumphouse sim` writes: the seed format (CLOUDS.source/destination endpoint,
 * environment, CLOUDS.fuel.endpoint). The simulator's admin passwords are written as is: they
 * are fixed test values, not secrets of a real cloud.
 */
export function simConfigYaml(
  source: SimCloud,
  destination: SimCloud,
  fuel: FuelSimulator | undefined,
  identityDbs: { readonly source?: string | undefined; readonly destination?: string | undefined } = {},
): string {
  const cloud = (c: SimCloud, env: string, db: string | undefined) => ({
    endpoint: {
      auth_url: c.authUrl,
      username: c.admin.username,
      password: c.admin.password,
      tenant_name: c.admin.projectName,
      ...(c.profile.keystoneV2 ? {} : { user_domain_name: 'Default', project_domain_name: 'Default' }),
    },
    region: c.profile.region,
    ...(db !== undefined ? { identity: { connection: db } } : {}),
    ...(fuel ? { environment: env } : {}),
  });
  const doc: Record<string, unknown> = {
    CLOUDS: {
      source: cloud(source, 'source-env', identityDbs.source),
      destination: cloud(destination, 'destination-env', identityDbs.destination),
      ...(fuel
        ? { fuel: { endpoint: { host: new URL(fuel.url).hostname, port: Number(new URL(fuel.url).port), username: fuel.credentials.username, password: fuel.credentials.password } } }
        : {}),
    },
    PLUGINS: { network: source.profile.neutron ? 'neutron' : 'nova' },
  };
  return `# Written by \`pumphouse sim\`: simulated ${source.profile.label} -> ${destination.profile.label} clouds.\n# Valid while the simulator runs (ports change on every start unless --port is given).\n${stringify(doc)}`;
}

/** An example manifest moving every generated tenant to the destination. */
export function simManifestYaml(generated: GeneratedCloud, copyHashes = false): string {
  const doc = {
    version: 1,
    tenants: generated.tenants.map((t) => ({ name: t.name, placement: 'destination', source_after: 'keep' })),
    // Hashes can be copied only when both clouds keep them in a Keystone database.
    identity: { users: 'tenant-members', roles: 'used', passwords: copyHashes ? 'copy-hash' : 'reset' },
    images: { public: 'none' },
    flavors: 'used',
    options: { keep_fixed_ips: true, keep_floating_ips: true, server_consistency: 'stop' },
  };
  return `# Written by \`pumphouse sim\`: move every generated tenant to the destination.\n${stringify(doc)}`;
}

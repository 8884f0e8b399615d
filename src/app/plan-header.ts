import type { CloudConfig, PumphouseConfig } from '../config/index.js';
import type { FuelInventory, Inventory } from '../inventory/index.js';
import type { CloudEndpoint, FuelEndpoint } from '../plan/index.js';

/**
 * The plan's `config` header: enough to recognise the clouds a plan was made for, never a
 * credential (user info is stripped from URLs).
 */
export function planEndpoints(
  config: PumphouseConfig,
  source: Inventory,
  destination: Inventory,
  fuel: FuelInventory | undefined,
): { readonly source: CloudEndpoint; readonly destination: CloudEndpoint; readonly fuel?: FuelEndpoint } {
  return {
    source: cloudEndpoint(config.source!, source),
    destination: cloudEndpoint(config.destination!, destination),
    ...(config.fuel ? { fuel: fuelEndpoint(config, fuel) } : {}),
  };
}

function cloudEndpoint(cloud: CloudConfig, inv: Inventory): CloudEndpoint {
  const caps = inv.capabilities;
  return {
    auth_url: withoutUserInfo(cloud.credentials.authUrl),
    ...(cloud.credentials.region ? { region: cloud.credentials.region } : {}),
    identity_api: caps.identityApi,
    ...(caps.release ? { release: caps.release } : {}),
    networking: caps.networkModel,
  };
}

function fuelEndpoint(config: PumphouseConfig, fuel: FuelInventory | undefined): FuelEndpoint {
  const c = config.fuel!.credentials;
  const envId = (name: string | undefined): number | undefined => (name === undefined ? undefined : fuel?.environments.find((e) => e.name === name)?.id);
  const src = envId(config.source?.environment);
  const dst = envId(config.destination?.environment);
  return {
    url: `${c.https ? 'https' : 'http'}://${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}`,
    ...(src !== undefined ? { source_environment: src } : {}),
    ...(dst !== undefined ? { destination_environment: dst } : {}),
  };
}

function withoutUserInfo(url: string): string {
  if (!url.includes('@')) return url;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

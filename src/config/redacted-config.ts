import { redactUrl } from '../errors/index.js';
import type { CloudConfig, PumphouseConfig } from './types.js';

const MASK = '***';

/** A cloud as `show`, `validate --json` and the API display it: everything but secrets. */
export interface RedactedCloud {
  readonly name: string;
  readonly origin: CloudConfig['origin'];
  readonly auth_url: string;
  readonly username: string;
  readonly password: typeof MASK;
  readonly project_name?: string;
  readonly project_id?: string;
  readonly user_domain_name?: string;
  readonly user_domain_id?: string;
  readonly project_domain_name?: string;
  readonly project_domain_id?: string;
  readonly region?: string;
  readonly interface?: string;
  readonly cacert?: string;
  readonly insecure?: boolean;
  /** `identity.connection` with its password masked. */
  readonly identity_db?: string;
  readonly environment?: string;
  readonly urls: Readonly<Record<string, string>>;
}

export interface RedactedConfig {
  readonly path: string;
  readonly clouds: { readonly source?: RedactedCloud; readonly destination?: RedactedCloud };
  readonly fuel?: { readonly host: string; readonly port: number; readonly username: string; readonly password: typeof MASK; readonly https?: boolean; readonly keystone_url?: string };
  readonly plugins: PumphouseConfig['plugins'];
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The file as written, secrets masked. */
  readonly raw: unknown;
}

/**
 * The config with every secret replaced by `***` (passwords, URL passwords of
 * `identity.connection`), safe to print, log or return from the API.
 */
export function redactedConfig(config: PumphouseConfig): RedactedConfig {
  const fuel = config.fuel?.credentials;
  return {
    path: config.path,
    clouds: {
      ...(config.source ? { source: redactedCloud(config.source) } : {}),
      ...(config.destination ? { destination: redactedCloud(config.destination) } : {}),
    },
    ...(fuel
      ? {
          fuel: {
            host: fuel.host,
            port: fuel.port,
            username: fuel.username,
            password: MASK,
            ...(fuel.https === undefined ? {} : { https: fuel.https }),
            ...(fuel.keystoneUrl === undefined ? {} : { keystone_url: redactUrl(fuel.keystoneUrl) }),
          },
        }
      : {}),
    plugins: config.plugins,
    parameters: config.parameters.all,
    raw: config.redactedRaw,
  };
}

function redactedCloud(cloud: CloudConfig): RedactedCloud {
  const c = cloud.credentials;
  const pick = <T>(key: string, value: T | undefined): Record<string, T> => (value === undefined ? {} : { [key]: value });
  return {
    name: cloud.name,
    origin: cloud.origin,
    auth_url: redactUrl(c.authUrl),
    username: c.username,
    password: MASK,
    ...pick('project_name', c.projectName),
    ...pick('project_id', c.projectId),
    ...pick('user_domain_name', c.userDomainName),
    ...pick('user_domain_id', c.userDomainId),
    ...pick('project_domain_name', c.projectDomainName),
    ...pick('project_domain_id', c.projectDomainId),
    ...pick('region', c.region),
    ...pick('interface', c.interface),
    ...pick('cacert', c.cacert),
    ...pick('insecure', c.insecure),
    ...pick('identity_db', cloud.identityDbUrl === undefined ? undefined : redactUrl(cloud.identityDbUrl)),
    ...pick('environment', cloud.environment),
    urls: cloud.urls,
  };
}

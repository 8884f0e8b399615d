import type { Problem } from '../errors/index.js';
import type { CloudCredentials } from '../openstack/credentials.js';
import { isHttpUrl } from './input/index.js';
import { optional } from './shape.js';

/** What the OS_* variables (an "openrc") describe. */
export type EnvironmentCloud =
  | { readonly kind: 'none' }
  | { readonly kind: 'os-cloud'; readonly name: string }
  | { readonly kind: 'credentials'; readonly credentials: CloudCredentials; readonly variables: readonly string[] }
  | { readonly kind: 'incomplete'; readonly problems: readonly Problem[] };

const INTERFACE_ALIASES: Readonly<Record<string, CloudCredentials['interface']>> = {
  public: 'public',
  publicURL: 'public',
  internal: 'internal',
  internalURL: 'internal',
  admin: 'admin',
  adminURL: 'admin',
};

/**
 * Reads the cloud the environment describes. `OS_CLOUD` wins: it names a clouds.yaml entry
 * and the other OS_* variables are then ignored (as openstacksdk does). Otherwise
 * `OS_AUTH_URL`, `OS_USERNAME`, `OS_PASSWORD` and a project (`OS_PROJECT_NAME`,
 * `OS_TENANT_NAME`, `OS_PROJECT_ID` or `OS_TENANT_ID`) make a cloud; setting some of them
 * but not all is a problem naming the missing variables (never a value).
 */
export function cloudFromEnvironment(env: NodeJS.ProcessEnv, forCloud: string): EnvironmentCloud {
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const cloud = get('OS_CLOUD');
  if (cloud) return { kind: 'os-cloud', name: cloud };
  const core = ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD'];
  if (!core.some((n) => get(n) !== undefined)) return { kind: 'none' };
  const problems: Problem[] = [];
  const present = core.filter((n) => get(n) !== undefined);
  for (const name of core) {
    if (get(name) === undefined) {
      problems.push({ message: `${present.join(' and ')} ${present.length > 1 ? 'are' : 'is'} set but ${name} is not: the ${forCloud} cloud cannot be built from OS_* variables`, location: { field: name } });
    }
  }
  const projectVars = ['OS_PROJECT_NAME', 'OS_TENANT_NAME', 'OS_PROJECT_ID', 'OS_TENANT_ID'];
  if (!projectVars.some((n) => get(n) !== undefined)) {
    problems.push({ message: `no project for the ${forCloud} cloud: set OS_PROJECT_NAME (or OS_TENANT_NAME, OS_PROJECT_ID)`, location: { field: 'OS_PROJECT_NAME' } });
  }
  const authUrl = get('OS_AUTH_URL');
  if (authUrl !== undefined && !isHttpUrl(authUrl)) problems.push({ message: 'must be an http:// or https:// URL with a host', location: { field: 'OS_AUTH_URL' } });
  const ifaceName = get('OS_INTERFACE') ?? get('OS_ENDPOINT_TYPE');
  const iface = ifaceName === undefined ? undefined : INTERFACE_ALIASES[ifaceName];
  if (ifaceName !== undefined && iface === undefined) {
    problems.push({ message: 'must be one of: public, internal, admin', location: { field: get('OS_INTERFACE') ? 'OS_INTERFACE' : 'OS_ENDPOINT_TYPE' } });
  }
  if (problems.length > 0) return { kind: 'incomplete', problems };
  const insecure = get('OS_INSECURE');
  const credentials: CloudCredentials = {
    authUrl: authUrl!,
    username: get('OS_USERNAME')!,
    password: get('OS_PASSWORD')!,
    ...optional('projectName', get('OS_PROJECT_NAME') ?? get('OS_TENANT_NAME')),
    ...optional('projectId', get('OS_PROJECT_ID') ?? get('OS_TENANT_ID')),
    ...optional('userDomainName', get('OS_USER_DOMAIN_NAME')),
    ...optional('userDomainId', get('OS_USER_DOMAIN_ID')),
    ...optional('projectDomainName', get('OS_PROJECT_DOMAIN_NAME')),
    ...optional('projectDomainId', get('OS_PROJECT_DOMAIN_ID')),
    ...optional('region', get('OS_REGION_NAME')),
    ...optional('interface', iface),
    ...optional('cacert', get('OS_CACERT')),
    ...(insecure !== undefined && /^(1|true|yes|on)$/i.test(insecure) ? { insecure: true } : {}),
  };
  const variables = Object.keys(env)
    .filter((k) => k.startsWith('OS_') && get(k) !== undefined)
    .sort();
  return { kind: 'credentials', credentials, variables };
}

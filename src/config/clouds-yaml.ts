import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PumphouseError, type Problem, type SourceLocation } from '../errors/index.js';
import type { CloudCredentials } from '../openstack/credentials.js';
import { didYouMean, isHttpUrl, readYamlInput, type YamlInput } from './input/index.js';
import { asRecord, deepMerge, optional } from './shape.js';

/** Where to look for clouds.yaml and secure.yaml. */
export interface CloudsYamlSearch {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string;
  readonly systemDir: string;
}

/** A clouds.yaml entry turned into credentials. */
export interface CloudsYamlEntry {
  readonly credentials: CloudCredentials;
  /** Absolute path of the clouds.yaml holding the entry. */
  readonly file: string;
  readonly cloud: string;
  readonly location: SourceLocation;
}

export type CloudsYamlResult =
  | { readonly kind: 'found'; readonly entry: CloudsYamlEntry }
  | { readonly kind: 'not-found'; readonly problems: readonly Problem[] }
  | { readonly kind: 'invalid'; readonly problems: readonly Problem[] };

const SUFFIXES = ['.yaml', '.yml', '.json'];

function configDirs(search: CloudsYamlSearch): string[] {
  const userConfig = search.env.XDG_CONFIG_HOME ? join(search.env.XDG_CONFIG_HOME, 'openstack') : join(search.home, '.config', 'openstack');
  return [search.cwd, userConfig, search.systemDir];
}

/**
 * The files openstacksdk would read, in order: `$OS_CLIENT_CONFIG_FILE`, then
 * `./clouds.yaml`, `~/.config/openstack/clouds.yaml`, `/etc/openstack/clouds.yaml` (each
 * also as `.yml` and `.json`). The first that exists is used; files are not merged.
 */
export function cloudsYamlCandidates(search: CloudsYamlSearch): string[] {
  const explicit = search.env.OS_CLIENT_CONFIG_FILE ? [resolve(search.cwd, search.env.OS_CLIENT_CONFIG_FILE)] : [];
  return [...explicit, ...configDirs(search).flatMap((d) => SUFFIXES.map((s) => join(d, `clouds${s}`)))];
}

/** Same search for secure.yaml (`$OS_CLIENT_SECURE_FILE` first), whose entries are merged over clouds.yaml's. */
export function secureYamlCandidates(search: CloudsYamlSearch): string[] {
  const explicit = search.env.OS_CLIENT_SECURE_FILE ? [resolve(search.cwd, search.env.OS_CLIENT_SECURE_FILE)] : [];
  return [...explicit, ...configDirs(search).flatMap((d) => SUFFIXES.map((s) => join(d, `secure${s}`)))];
}

/** Reads clouds.yaml files once per config load. */
export class CloudsYamlFiles {
  private readonly cache = new Map<string, Promise<YamlInput | Problem[]>>();
  constructor(private readonly search: CloudsYamlSearch) {}

  /** Resolves the entry `name`; `referencedAt` is where the config (or OS_CLOUD) named it. */
  async resolve(name: string, referencedAt: SourceLocation): Promise<CloudsYamlResult> {
    const candidates = cloudsYamlCandidates(this.search);
    const path = candidates.find((p) => existsSync(p));
    if (!path) {
      const searched = candidates.filter((p) => p.endsWith('.yaml')).join(', ');
      return { kind: 'not-found', problems: [{ message: `names clouds.yaml entry '${name}' but no clouds.yaml was found (searched ${searched})`, location: referencedAt }] };
    }
    const clouds = await this.read(path);
    if (Array.isArray(clouds)) return { kind: 'invalid', problems: clouds };
    const entries = asRecord(asRecord(clouds.data)?.clouds);
    if (!entries) {
      return { kind: 'invalid', problems: [{ message: "must have a top-level 'clouds' mapping", location: clouds.locate([]) }] };
    }
    const entry = asRecord(entries[name]);
    if (!entry) {
      const suggestion = didYouMean(name, Object.keys(entries));
      const hint = suggestion ? ` (did you mean '${suggestion}'?)` : `; it has: ${Object.keys(entries).join(', ') || 'no clouds'}`;
      return { kind: 'not-found', problems: [{ message: `no cloud named '${name}' in ${path}${hint}`, location: referencedAt }] };
    }
    const secure = await this.secureEntry(name);
    if (Array.isArray(secure)) return { kind: 'invalid', problems: secure };
    return entryCredentials(clouds, name, deepMerge(entry, secure ?? {}));
  }

  private async secureEntry(name: string): Promise<Record<string, unknown> | undefined | Problem[]> {
    const path = secureYamlCandidates(this.search).find((p) => existsSync(p));
    if (!path) return undefined;
    const secure = await this.read(path);
    if (Array.isArray(secure)) return secure;
    return asRecord(asRecord(asRecord(secure.data)?.clouds)?.[name]);
  }

  private read(path: string): Promise<YamlInput | Problem[]> {
    let pending = this.cache.get(path);
    if (!pending) {
      pending = readYamlInput(path, { what: 'clouds.yaml', notFound: 'PH_CONFIG_NOT_FOUND', invalid: 'PH_CONFIG_INVALID' }).catch((err: unknown) => {
        if (PumphouseError.is(err)) return err.problems.length > 0 ? [...err.problems] : [{ message: err.message, location: { file: path } }];
        throw err;
      });
      this.cache.set(path, pending);
    }
    return pending;
  }
}

const PASSWORD_AUTH = new Set(['password', 'v2password', 'v3password']);
const INTERFACES = new Set(['public', 'internal', 'admin']);

function entryCredentials(input: YamlInput, name: string, entry: Record<string, unknown>): CloudsYamlResult {
  const base = ['clouds', name];
  const problems: Problem[] = [];
  const at = (...rest: string[]): SourceLocation => input.locate([...base, ...rest], rest.length === 0 ? 'key' : 'value');
  const auth = asRecord(entry.auth);
  if (!auth) {
    return { kind: 'invalid', problems: [{ message: "has no 'auth' section (auth_url, username, password, project_name)", location: at() }] };
  }
  const authType = entry.auth_type;
  if (authType !== undefined && !(typeof authType === 'string' && PASSWORD_AUTH.has(authType))) {
    problems.push({ message: 'auth_type must be password (v2password, v3password); other methods are not supported', location: at('auth_type') });
  }
  const text = (key: string, required: boolean): string | undefined => {
    const v = auth[key];
    if (v === undefined || v === null) {
      if (required) problems.push({ message: `missing required key '${key}'`, location: { ...input.locate([...base, 'auth'], 'key'), field: `clouds.${name}.auth.${key}` } });
      return undefined;
    }
    if (typeof v !== 'string' || v === '') {
      problems.push({ message: 'must be a non-empty string (quote values YAML would read as a number or true/false)', location: at('auth', key) });
      return undefined;
    }
    return v;
  };
  const authUrl = text('auth_url', true);
  if (authUrl !== undefined && !isHttpUrl(authUrl)) problems.push({ message: 'must be an http:// or https:// URL with a host', location: at('auth', 'auth_url') });
  const username = text('username', true);
  const password = text('password', true);
  const projectName = text('project_name', false) ?? text('tenant_name', false);
  const projectId = text('project_id', false) ?? text('tenant_id', false);
  const defaultDomain = typeof entry.default_domain === 'string' ? entry.default_domain : undefined;
  const region = regionOf(entry);
  const iface = entry.interface;
  if (iface !== undefined && !(typeof iface === 'string' && INTERFACES.has(iface))) {
    problems.push({ message: 'must be one of: public, internal, admin', location: at('interface') });
  }
  const verify = entry.verify;
  if (verify !== undefined && typeof verify !== 'boolean') problems.push({ message: 'must be true or false (use cacert for a CA bundle)', location: at('verify') });
  if (entry.cacert !== undefined && typeof entry.cacert !== 'string') problems.push({ message: 'must be the path of a CA bundle', location: at('cacert') });
  if (problems.length > 0 || authUrl === undefined || username === undefined || password === undefined) return { kind: 'invalid', problems };
  const credentials: CloudCredentials = {
    authUrl,
    username,
    password,
    ...optional('projectName', projectName),
    ...optional('projectId', projectId),
    ...optional('userDomainName', text('user_domain_name', false)),
    ...optional('userDomainId', text('user_domain_id', false) ?? defaultDomain),
    ...optional('projectDomainName', text('project_domain_name', false)),
    ...optional('projectDomainId', text('project_domain_id', false) ?? defaultDomain),
    ...optional('region', region),
    ...(typeof iface === 'string' ? { interface: iface as CloudCredentials['interface'] } : {}),
    ...optional('cacert', typeof entry.cacert === 'string' ? entry.cacert : undefined),
    ...(verify === false ? { insecure: true } : {}),
  };
  return { kind: 'found', entry: { credentials, file: input.absolutePath, cloud: name, location: at() } };
}

/** `region_name`, or the only entry of `regions` (a name or `{name}`). */
function regionOf(entry: Record<string, unknown>): string | undefined {
  if (typeof entry.region_name === 'string' && entry.region_name !== '') return entry.region_name;
  if (Array.isArray(entry.regions) && entry.regions.length === 1) {
    const only: unknown = entry.regions[0];
    if (typeof only === 'string') return only;
    const named = asRecord(only)?.name;
    if (typeof named === 'string') return named;
  }
  return undefined;
}

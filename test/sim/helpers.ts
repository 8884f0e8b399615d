import { openCloud, type Cloud } from '../../src/openstack/index.js';
import type { CloudSpec, SimCloud } from '../../src/sim/index.js';
import { startSimCloud } from '../../src/sim/index.js';

/** A cloud with cheap password hashes and instant transitions. */
export function cloudOf(label: string, extra: Partial<CloudSpec> = {}, seed = 1): Promise<SimCloud> {
  const [release, ...rest] = label.split(':');
  return startSimCloud({ release: release as CloudSpec['release'], network: rest.join(':') as CloudSpec['network'], hashCost: 'fast', ...extra }, { seed, knobs: { timeScale: 0 } });
}

/** A project `name` with a member user `<name>-user` (password `secret`, no admin role), put straight into the store. */
export function memberOf(sim: SimCloud, name: string): { readonly projectId: string; readonly userId: string; readonly username: string } {
  const { identity, ids } = sim.store;
  const project = identity.projects.insert({ id: ids.hex(), name, domainId: 'default', description: '', enabled: true, parentId: null, tags: [], extra: undefined });
  const user = identity.users.insert({ id: ids.hex(), name: `${name}-user`, domainId: 'default', email: undefined, description: undefined, enabled: true, defaultProjectId: project.id, createdAt: sim.store.now() });
  identity.passwords.setPassword(user, 'secret');
  const role = identity.roleByName('_member_') ?? identity.roleByName('member');
  if (!role) throw new Error('no member role');
  identity.grant({ userId: user.id, roleId: role.id, scope: { kind: 'project', id: project.id } });
  return { projectId: project.id, userId: user.id, username: user.name };
}

/** memberOf, logged in through the clients (`cloud`, no retries) and with a v3 token for raw calls. */
export async function memberLogin(sim: SimCloud, name: string): Promise<{ readonly projectId: string; readonly cloud: Cloud; readonly token: string }> {
  const m = memberOf(sim, name);
  const cloud = await openCloud({ authUrl: sim.authUrl, username: m.username, password: 'secret', projectName: name }, { name, retry: { attempts: 1 } });
  const { id: token } = await loginV3(sim, m.username, 'secret', name);
  return { projectId: m.projectId, cloud, token };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

/** One HTTP call; `body` is the parsed JSON when the answer is JSON. */
export async function call(method: string, url: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers['X-Auth-Token'] = opts.token;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  return send(method, url, headers, opts.body);
}

async function send(method: string, url: string, headers: Record<string, string>, body: unknown): Promise<Answer> {
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** v2.0 password login; returns the access document. */
export async function loginV2(cloud: SimCloud, username = 'admin', password = 'admin', tenantName: string | null = 'admin'): Promise<any> {
  const r = await call('POST', `${cloud.authUrlV2}/tokens`, { body: { auth: { passwordCredentials: { username, password }, ...(tenantName ? { tenantName } : {}) } } });
  if (r.status !== 200) throw new Error(`v2 login ${username}: ${r.status} ${r.text}`);
  return r.body.access;
}

/** v3 password login scoped to a project; returns token id and body. */
export async function loginV3(cloud: SimCloud, username = 'admin', password = 'admin', project: string | null = 'admin'): Promise<{ id: string; token: any }> {
  const r = await call('POST', `${cloud.authUrlV3}/auth/tokens`, {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: username, domain: { id: 'default' }, password } } },
        ...(project ? { scope: { project: { name: project, domain: { id: 'default' } } } } : {}),
      },
    },
  });
  if (r.status !== 201) throw new Error(`v3 login ${username}: ${r.status} ${r.text}`);
  return { id: r.headers.get('x-subject-token')!, token: r.body.token };
}

/** Options of a raw call made by `rawCaller`. */
export interface RawCallOptions {
  readonly body?: unknown;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/**
 * A raw HTTP caller below `base` with `token` unless the call names another. Unlike `call`,
 * the caller's headers win (a JSON-patch Content-Type, another Accept).
 */
export function rawCaller(base: string, token: string) {
  return (method: string, path: string, opts: RawCallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Auth-Token': opts.token ?? token };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    Object.assign(headers, opts.headers ?? {});
    return send(method, `${base}${path}`, headers, opts.body);
  };
}

import { loadConfig, type PumphouseConfig } from '../../config/index.js';
import { PumphouseError } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import type { DesiredState } from '../../manifest/index.js';
import { openCloud } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { PlanSelector } from '../plan.js';
import { verbDesired, type VerbScope, type VerbTenant } from './desired.js';
import { MIGRATE_WHATS, resolveIds, type MigrateWhat, type Resolved } from './resolve.js';
import { exactSelection, pickActions } from './selection.js';
import { planAndApply, type VerbOptions, type VerbResult } from './verb-run.js';

export interface MigrateOptions extends VerbOptions {
  readonly what: MigrateWhat;
  /** Source ids: images, tenants (identity), servers (resources) or volumes. */
  readonly ids: readonly string[];
}

const IDENTITY_KINDS: ReadonlySet<string> = new Set(['project', 'user', 'role', 'role_assignment', 'password_hash']);

/**
 * `pumphouse migrate images|identity|resources|volumes --ids ID...`, the original's verb as
 * a thin shell: the ids are looked up in the source (PH_NOT_FOUND naming every unknown one,
 * nothing planned), a desired state naming their tenants is built in memory, and plan() keeps
 * exactly the named objects and what they need (exactSelection); the plan is written next to
 * the state and applied at once (planAndApply).
 * - images: those images (public ones through `images.public`, private ones through their
 *   owner tenant, which is created if missing);
 * - identity: those tenants' project, users in them, roles used, assignments, password hashes;
 * - resources: those servers with everything they need (flavor, image, keypair, groups,
 *   network, ports, volumes, floating IPs), their owner's identity; the source copy is kept;
 * - volumes: those detached volumes (an attached one moves with its server: PH_USAGE).
 * Passwords are copied as hashes when both `identity.connection`s are configured, else not at
 * all (a warning says so).
 */
export async function migrate(options: MigrateOptions): Promise<VerbResult> {
  const { what, ids } = options;
  if (!MIGRATE_WHATS.includes(what)) {
    throw new PumphouseError('PH_USAGE', `migrate takes one of ${MIGRATE_WHATS.join(', ')}, not '${what}'`);
  }
  if (ids.length === 0) throw new PumphouseError('PH_USAGE', `migrate ${what} needs --ids ID...`);
  const config = await loadConfig(options.configPath, options.env ? { env: options.env } : {});
  const resolved = await resolveInSource(config, what, ids, options);
  const passwords = passwordMode(config);
  if (passwords === 'skip' && (what === 'identity' || what === 'resources')) {
    emit(options.reporter, 'log', 'warn', 'password hashes are not copied: CLOUDS.source and CLOUDS.destination both need identity.connection', {
      text: 'password hashes are not copied: CLOUDS.source and CLOUDS.destination both need identity.connection',
    });
  }
  const desired = verbDesired({ ...migrateScope(resolved), passwords });
  const label = `pumphouse migrate ${what} --ids ${[...new Set(ids)].join(' ')}`;
  return planAndApply(`migrate-${what}`, label, desired, migrateSelector(what, resolved), options);
}

async function resolveInSource(config: PumphouseConfig, what: MigrateWhat, ids: readonly string[], options: MigrateOptions): Promise<Resolved[]> {
  if (!config.source) {
    throw new PumphouseError('PH_CONFIG_INVALID', `${config.file} names no source cloud (CLOUDS.source); migrate needs both clouds`, {
      location: { file: config.file, field: 'CLOUDS.source' },
    });
  }
  const source = await openCloud(config.source.credentials, {
    name: 'source',
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    return await resolveIds(source, what, ids);
  } finally {
    await source.close();
  }
}

function passwordMode(config: PumphouseConfig): DesiredState['identity']['passwords'] {
  return config.source?.identityDbUrl && config.destination?.identityDbUrl ? 'copy-hash' : 'skip';
}

/** The tenants (and public images) whose plan holds the named objects; PH_USAGE for an attached volume. */
export function migrateScope(resolved: readonly Resolved[]): VerbScope {
  const tenants = new Map<string, string[]>();
  const inTenant = (projectId: string, serverId?: string): void => {
    const list = tenants.get(projectId) ?? [];
    if (serverId) list.push(serverId);
    tenants.set(projectId, list);
  };
  const publicImages: string[] = [];
  for (const r of resolved) {
    if (r.what === 'images') {
      if (r.public) publicImages.push(r.id);
      else if (r.owner) inTenant(r.owner);
    } else if (r.what === 'identity') inTenant(r.id);
    else if (r.what === 'resources') inTenant(r.projectId, r.id);
    else if (r.what === 'volumes') {
      if (r.serverIds.length > 0 || r.status === 'in-use') {
        throw new PumphouseError(
          'PH_USAGE',
          `volume ${r.id} (${r.name}) is attached to server ${r.serverIds.join(', ') || '(unknown)'}: it moves with its server, use pumphouse migrate resources --ids ${r.serverIds.join(' ') || 'SERVER'}; nothing was changed`,
          { details: { volume: r.id, servers: r.serverIds } },
        );
      }
      if (r.projectId) inTenant(r.projectId);
    }
  }
  const list: VerbTenant[] = [...tenants].map(([id, servers]) => ({ id, servers }));
  return { tenants: list, publicImages };
}

/** Which actions of the whole plan the verb keeps (with what they depend on). */
export function migrateSelector(what: MigrateWhat, resolved: readonly Resolved[]): PlanSelector {
  const ids = new Set(resolved.map((r) => r.id));
  const requested = [...ids];
  return ({ plan: whole }) => {
    let wanted: Action[];
    switch (what) {
      case 'images':
        wanted = pickActions(whole, requested, 'image', (a) => (a.kind === 'image' && a.source && ids.has(a.source.id) ? a.source.id : undefined));
        break;
      case 'volumes':
        wanted = pickActions(whole, requested, 'volume', (a) => (a.kind === 'volume' && a.source && ids.has(a.source.id) ? a.source.id : undefined));
        break;
      case 'identity':
        // The plan holds only these tenants, so every identity action in it is theirs.
        wanted = pickActions(whole, requested, 'tenant', (a) => (IDENTITY_KINDS.has(a.kind) ? (a.kind === 'project' ? (a.source?.id ?? '') : '') : undefined));
        break;
      case 'resources': {
        const owners = new Map(resolved.flatMap((r) => (r.what === 'resources' ? [[r.userId, r.projectId] as const] : [])));
        wanted = pickActions(whole, requested, 'server', (a) => resourceKey(a, ids, owners));
        break;
      }
    }
    return exactSelection(whole, wanted);
  };
}

/** A server named by id (its key), its source_after, and its owner's identity in its tenant. */
function resourceKey(a: Action, servers: ReadonlySet<string>, owners: ReadonlyMap<string, string>): string | undefined {
  const id = a.source?.id;
  if (id === undefined) return undefined;
  if (a.kind === 'server') return servers.has(id) ? id : undefined;
  if (a.kind === 'source_after') return servers.has(id) ? '' : undefined;
  if (a.kind === 'user' || a.kind === 'password_hash') return owners.has(id) ? '' : undefined;
  if (a.kind === 'role_assignment') {
    const [user, , project] = id.split('/');
    return user !== undefined && owners.get(user) === project ? '' : undefined;
  }
  return undefined;
}

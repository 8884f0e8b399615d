import { json, type SimReply } from '../../http/reply.js';
import type { MigrationRecord } from '../../store/types/compute.js';
import { requireAdmin, type NovaCall, type NovaRoute } from './context.js';

/** Migration types older releases record (Havana–Kilo list resizes and cold migrations only). */
const LEGACY_TYPES = new Set(['migration', 'resize']);

/** A flavor's integer DB id as Nova shows it in migrations (its position among the flavors). */
function flavorDbId(c: NovaCall, flavorId: string | undefined): number | null {
  if (flavorId === undefined) return null;
  let i = 1;
  for (const f of c.store.flavors.values()) {
    if (f.id === flavorId) return i;
    i++;
  }
  return null;
}

function view(c: NovaCall, m: MigrationRecord): Record<string, unknown> {
  const server = c.store.servers.get(m.instanceUuid);
  const flavor = flavorDbId(c, server?.flavorId);
  const node = (host: string | null) => (host ? (c.store.hypervisors.find((h) => h.host === host)?.hostname ?? host) : null);
  const out: Record<string, unknown> = {
    id: m.id,
    source_compute: m.sourceCompute,
    dest_compute: m.destCompute,
    source_node: node(m.sourceCompute),
    dest_node: node(m.destCompute),
    dest_host: null,
    status: m.status,
    instance_uuid: m.instanceUuid,
    old_instance_type_id: flavor,
    new_instance_type_id: flavor,
    created_at: m.createdAt.replace('Z', '.000000'),
    updated_at: m.updatedAt.replace('Z', '.000000'),
  };
  if (c.mv >= 23) {
    out['migration_type'] = m.type;
    if (m.type === 'live-migration' && ['queued', 'preparing', 'running'].includes(m.status)) {
      out['links'] = [
        { rel: 'self', href: `${c.apiUrl}/servers/${m.instanceUuid}/migrations/${m.id}` },
        { rel: 'bookmark', href: `${c.bookmarkUrl}/servers/${m.instanceUuid}/migrations/${m.id}` },
      ];
    }
  }
  if (c.mv >= 59) out['uuid'] = m.uuid;
  if (c.mv >= 80) Object.assign(out, { user_id: server?.userId ?? null, project_id: server?.projectId ?? null });
  return out;
}

/**
 * `GET /os-migrations` (admin): filters `host` (source or destination), `status`,
 * `instance_uuid`, `migration_type` (2.23+). Releases before Liberty record only resizes and
 * cold migrations, so live migrations and evacuations are not listed there (legacy-apis.md §2.2).
 */
function list(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-migrations:index');
  const q = c.req.query;
  const host = q.get('host');
  const status = q.get('status');
  const server = q.get('instance_uuid');
  const type = c.mv >= 23 ? q.get('migration_type') : null;
  const items = [...c.store.migrations.values()]
    .filter((m) => c.profile.novaMigrationsListLive || LEGACY_TYPES.has(m.type))
    .filter((m) => (host === null || m.sourceCompute === host || m.destCompute === host) && (status === null || m.status === status))
    .filter((m) => (server === null || m.instanceUuid === server) && (type === null || m.type === type))
    .sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt > b.createdAt ? -1 : 1) : b.id - a.id));
  return json(200, { migrations: items.map((m) => view(c, m)) });
}

/** os-migrations (the per-server `/servers/{id}/migrations` view is not simulated). */
export function migrationRoutes(): NovaRoute[] {
  return [{ method: 'GET', path: '/os-migrations', auth: 'token', handler: list }];
}

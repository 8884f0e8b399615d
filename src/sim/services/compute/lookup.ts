import { notFound } from '../../http/errors.js';
import type { ServerRecord } from '../../store/types/compute.js';
import type { NovaCall } from './context.js';

/**
 * The server a request names: any project's for an admin, the token project's otherwise
 * (Nova answers 404 rather than 403 for another tenant's server).
 */
export function serverOf(c: NovaCall, id: string | undefined): ServerRecord {
  const s = id === undefined ? undefined : c.store.servers.get(id);
  if (!s || (!c.auth.isAdmin && s.projectId !== c.projectId)) throw notFound(`Instance ${id} could not be found.`);
  return s;
}

/** Projects a flavor is visible to: public ones, or private ones granted to the project (admins see all). */
export function flavorVisible(c: NovaCall, f: { isPublic: boolean; access: readonly string[] }): boolean {
  return f.isPublic || c.auth.isAdmin || f.access.includes(c.projectId);
}

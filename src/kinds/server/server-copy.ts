import { markerFromEntries } from '../../inventory/marker.js';
import type { Marker } from '../../inventory/types.js';
import { isNotFound, type Cloud, type Server } from '../../openstack/index.js';
import { markerOf, sameMarker } from '../common/marker.js';
import type { DataStep } from '../image/data-step.js';

/** True when the destination server carries this action's marker. */
export function isOurServer(s: DataStep, sv: Server): boolean {
  return sameMarker(markerFromEntries(sv.metadata), markerOf(s.ctx));
}

/** How to find a server copy: by a known id, else by name and marker. */
export interface ServerLookup {
  readonly marker: Marker;
  /** The id recorded or planned, checked first. */
  readonly knownId: string | null;
  readonly name: string;
  /** The project to look in; null: every project. */
  readonly projectId: string | null;
}

const GONE = new Set(['DELETED', 'SOFT_DELETED']);

// Nova's name filter is a regular expression (matched by the database): only names that
// mean themselves as one are sent; others are matched here over the project's servers.
const PLAIN_NAME = /^[A-Za-z0-9 _-]+$/;

/** The server, or null when Nova no longer has it. */
export async function serverOrNull(cloud: Cloud, id: string): Promise<Server | null> {
  try {
    const sv = await cloud.compute.servers.get(id);
    return GONE.has(sv.status) ? null : sv;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * The destination copy an earlier run booted: the recorded (or planned) id when it carries
 * our marker, else a server of the planned name in the project that does (running ones
 * first). Unmarked servers are never ours.
 */
export async function findServerCopy(s: DataStep, destination: Cloud, projectId: string, name: string): Promise<Server | undefined> {
  return findServer(destination, { marker: markerOf(s.ctx), knownId: s.ctx.recorded.destinationId, name, projectId });
}

/** findServerCopy's lookup with an explicit marker (source_after looks for the server's copy). */
export async function findServer(destination: Cloud, l: ServerLookup): Promise<Server | undefined> {
  const ours = (sv: Server) => sameMarker(markerFromEntries(sv.metadata), l.marker);
  if (l.knownId) {
    const sv = await serverOrNull(destination, l.knownId);
    if (sv && ours(sv)) return sv;
  }
  const listed = await destination.compute.servers.list({
    allTenants: true,
    ...(l.projectId ? { projectId: l.projectId } : {}),
    ...(PLAIN_NAME.test(l.name) ? { name: `^${l.name}$` } : {}),
  });
  const mine = listed.filter((sv) => sv.name === l.name && !GONE.has(sv.status) && ours(sv));
  return mine.find((sv) => sv.status === 'ACTIVE' || sv.status === 'SHUTOFF') ?? mine.find((sv) => sv.status !== 'ERROR') ?? mine[0];
}

/** Deletes a server and waits until Nova has it gone (its ports are free again then). */
export async function deleteServer(s: DataStep, cloud: Cloud, id: string, timeoutS: number): Promise<void> {
  try {
    await cloud.compute.servers.delete(id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await s.ctx.wait(
    `server ${id} to be deleted`,
    async () => {
      const sv = await serverOrNull(cloud, id);
      return sv ? { done: false, status: sv.taskState ? `${sv.status}/${sv.taskState}` : sv.status } : { done: true, value: undefined };
    },
    { timeoutS, intervalMs: s.settings.pollIntervalMs },
  );
}

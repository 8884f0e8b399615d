import { PumphouseError } from '../../errors/index.js';
import { isNotFound, type Cloud } from '../../openstack/index.js';

/** What `pumphouse migrate` moves (the original's RESOURCE argument). */
export type MigrateWhat = 'images' | 'identity' | 'resources' | 'volumes';

export const MIGRATE_WHATS: readonly MigrateWhat[] = ['images', 'identity', 'resources', 'volumes'];

/** One source object named by `--ids`, with what the desired state needs of it. */
export type Resolved =
  | { readonly what: 'images'; readonly id: string; readonly name: string; readonly public: boolean; readonly owner: string | null }
  | { readonly what: 'identity'; readonly id: string; readonly name: string }
  | { readonly what: 'resources'; readonly id: string; readonly name: string; readonly projectId: string; readonly userId: string }
  | { readonly what: 'volumes'; readonly id: string; readonly name: string; readonly projectId: string | null; readonly status: string; readonly serverIds: readonly string[] };

const AT_ONCE = 8;

/**
 * Looks each id up in the source (one GET each, at most 8 at once), before anything is
 * planned. Ids the source does not know are PH_NOT_FOUND, all named at once; nothing is
 * planned or changed then. Other cloud errors pass through as they came.
 */
export async function resolveIds(source: Cloud, what: MigrateWhat, ids: readonly string[]): Promise<Resolved[]> {
  const unique = [...new Set(ids)];
  const found: (Resolved | undefined)[] = new Array(unique.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const i = next++;
      found[i] = await lookUp(source, what, unique[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, unique.length) }, worker));
  const missing = unique.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) {
    throw new PumphouseError('PH_NOT_FOUND', `the source cloud has no ${noun(what)} with id ${missing.join(', ')}; nothing was planned or changed`, {
      details: { what, missing },
    });
  }
  return found as Resolved[];
}

function noun(what: MigrateWhat): string {
  return { images: 'image', identity: 'tenant (project)', resources: 'server', volumes: 'volume' }[what];
}

async function lookUp(source: Cloud, what: MigrateWhat, id: string): Promise<Resolved | undefined> {
  try {
    switch (what) {
      case 'images': {
        const i = await source.image.get(id);
        return { what, id: i.id, name: i.name, public: i.visibility === 'public', owner: i.owner };
      }
      case 'identity': {
        const p = await source.identity.projects.get(id);
        return { what, id: p.id, name: p.name };
      }
      case 'resources': {
        const s = await source.compute.servers.get(id);
        return { what, id: s.id, name: s.name, projectId: s.tenantId, userId: s.userId };
      }
      case 'volumes': {
        if (!source.volume) {
          throw new PumphouseError('PH_CATALOG_MISSING', 'the source cloud has no block storage (Cinder) in its catalog: there are no volumes to migrate');
        }
        const v = await source.volume.volumes.get(id);
        return { what, id: v.id, name: v.name, projectId: v.tenantId, status: v.status, serverIds: v.attachments.map((a) => a.serverId) };
      }
    }
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

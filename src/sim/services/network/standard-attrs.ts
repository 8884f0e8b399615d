import type { SimStore } from '../../store/store.js';

/**
 * Neutron's standard attributes that the shared store records do not carry: tags,
 * revision_number and updated_at (modern profiles). Kept beside the store, per cloud, and only
 * for objects the API changed: a record nobody touched through Neutron (made by the generator
 * or by Nova) renders its defaults, so 100,000 generated ports cost nothing here.
 */
export interface StandardAttrs {
  tags: string[];
  revision: number;
  updatedAt: string;
}

/** Kinds with standard attributes, as the URL names them. */
export type TaggableKind = 'networks' | 'subnets' | 'ports' | 'routers' | 'floatingips' | 'security-groups';

/** Revision a fresh object shows (what Zed answers right after the create). */
const FIRST_REVISION: Readonly<Record<TaggableKind | 'security-group-rules', number>> = {
  networks: 1,
  subnets: 0,
  ports: 1,
  routers: 1,
  floatingips: 0,
  'security-groups': 1,
  'security-group-rules': 0,
};

const tables = new WeakMap<SimStore, Map<string, StandardAttrs>>();

function table(store: SimStore): Map<string, StandardAttrs> {
  let t = tables.get(store);
  if (!t) {
    t = new Map();
    tables.set(store, t);
  }
  return t;
}

/** What an object shows: its entry, or the defaults of an untouched object made at `createdAt`. */
export function attrsOf(store: SimStore, kind: keyof typeof FIRST_REVISION, id: string, createdAt: string): Readonly<StandardAttrs> {
  return table(store).get(id) ?? { tags: [], revision: FIRST_REVISION[kind], updatedAt: createdAt };
}

/** Records a change: revision + 1, updated_at now (and the entry, if the object had none). */
export function touch(store: SimStore, kind: keyof typeof FIRST_REVISION, id: string, createdAt: string): StandardAttrs {
  const t = table(store);
  let a = t.get(id);
  if (!a) {
    a = { tags: [], revision: FIRST_REVISION[kind], updatedAt: createdAt };
    t.set(id, a);
  }
  a.revision += 1;
  a.updatedAt = store.now();
  return a;
}

/** Forgets a deleted object. */
export function forget(store: SimStore, id: string): void {
  table(store).delete(id);
}

/**
 * A stable integer per object for `standard_attr_id` (Zed shows it on the rules a security
 * group embeds): derived from the uuid, so nothing is stored.
 */
export function standardAttrId(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 7), 16) || 1;
}

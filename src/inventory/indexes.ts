import type { Inventory, Marker } from './types.js';

/** Records grouped by a key; each group keeps the inventory's order. */
export type Groups<T> = ReadonlyMap<string, readonly T[]>;

/**
 * Index records by `key`. When two records share a key the first wins (ids are unique in a
 * cloud; names are not: use groupBy for names).
 */
export function indexBy<T>(records: readonly T[], key: (record: T) => string): ReadonlyMap<string, T> {
  // One map operation per record (a has() and a set() cost twice that, ~2 µs each in a map of
  // 100,000 ids): a key seen before is told by the size, and its first record put back after.
  const map = new Map<string, T>();
  let repeated: Set<string> | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as T;
    const k = key(r);
    const size = map.size;
    map.set(k, r);
    if (map.size === size) (repeated ??= new Set()).add(k);
  }
  if (repeated !== undefined) {
    // set() on a key already there keeps its place in the map's order.
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i] as T;
      const k = key(r);
      if (repeated.has(k)) map.set(k, r);
    }
  }
  return map;
}

/** Group records by `key`, keeping the input order inside each group. */
export function groupBy<T>(records: readonly T[], key: (record: T) => string | null): Groups<T> {
  const map = new Map<string, T[]>();
  for (const r of records) {
    const k = key(r);
    if (k === null) continue;
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

/** The key markerIndex() uses: kind and source id. */
export function markerKey(kind: string, sourceId: string): string {
  return `${kind}\u0000${sourceId}`;
}

/** A destination object that carries a pumphouse marker. */
export interface MarkedObject {
  readonly kind: string;
  /** Destination id (keypairs: `<user id>/<name>`; security group rules: the rule id). */
  readonly id: string;
  readonly marker: Marker;
}

/**
 * Every marked object of an inventory by `markerKey(kind, sourceId)`: the planner's way to
 * recognise an object an earlier (maybe crashed) apply made. The kind is the marker's own
 * kind, not the collection's, so a volume made from a server disk can say so.
 */
export function markerIndex(inventory: Inventory): ReadonlyMap<string, MarkedObject> {
  const map = new Map<string, MarkedObject>();
  const add = (id: string, marker: Marker | undefined): void => {
    if (!marker) return;
    const key = markerKey(marker.kind, marker.sourceId);
    if (!map.has(key)) map.set(key, { kind: marker.kind, id, marker });
  };
  for (const r of inventory.projects) add(r.id, r.marker);
  for (const r of inventory.users) add(r.id, r.marker);
  for (const r of inventory.roles) add(r.id, r.marker);
  for (const r of inventory.flavors) add(r.id, r.marker);
  for (const r of inventory.keypairs) add(`${r.userId}/${r.name}`, r.marker);
  for (const g of inventory.securityGroups) {
    add(g.id, g.marker);
    for (const rule of g.rules) add(rule.id, rule.marker);
  }
  for (const r of inventory.networks) add(r.id, r.marker);
  for (const r of inventory.subnets) add(r.id, r.marker);
  for (const r of inventory.routers) add(r.id, r.marker);
  for (const r of inventory.ports) add(r.id, r.marker);
  for (const r of inventory.floatingIps) add(r.id, r.marker);
  for (const r of inventory.images) add(r.id, r.marker);
  for (const r of inventory.volumes) add(r.id, r.marker);
  for (const r of inventory.servers) add(r.id, r.marker);
  return map;
}

/**
 * True when a Glance image is the snapshot of a boot-from-volume server: zero bytes, a
 * `block_device_mapping` property pointing at Cinder snapshots. Migrating it is pointless
 * (its data lives in volume snapshots); the server's volumes are migrated instead (DESIGN §8).
 */
export function isVolumeSnapshotImage(image: {
  readonly sizeBytes: number | null;
  readonly properties: Readonly<Record<string, string>>;
}): boolean {
  const bdm = image.properties['block_device_mapping'];
  if (bdm === undefined) return false;
  if (image.sizeBytes !== null && image.sizeBytes > 0) return false;
  return bdm.includes('snapshot');
}

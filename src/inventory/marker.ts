/**
 * The pumphouse marker: how a destination object says which source object it copies. Written
 * by the kinds when they create an object, read by discovery (the planner then sees the copy
 * as done) and by resume after a crash (adopt, never create twice). One module, so the writer
 * and the readers cannot disagree.
 *
 * Carriers, per what each API can hold:
 * - key/value stores (Nova server metadata, Glance image properties, Cinder volume metadata,
 *   Keystone v3 project/user extra attributes): `pumphouse_source = <source id>` and
 *   `pumphouse_kind = <kind>`;
 * - Neutron tags (networks, subnets, routers, ports, floating IPs, security groups):
 *   `pumphouse_source=<source id>` and `pumphouse_kind=<kind>`;
 * - a description suffix ` [pumphouse_source=<id> kind=<kind>]` where neither exists (Neutron
 *   without the tag extension, Keystone v2.0 tenants).
 * Objects matched by natural key (roles, flavors, keypairs, security group rules, role
 * assignments) carry no marker.
 * `setup` marks what it seeds with `pumphouse_setup = 1` (same carriers) so that `cleanup`
 * deletes only what pumphouse made.
 */
import type { Marker } from './types.js';

export const MARKER_SOURCE_KEY = 'pumphouse_source';
export const MARKER_KIND_KEY = 'pumphouse_kind';
export const SETUP_MARKER_KEY = 'pumphouse_setup';

/** Key/value pairs to merge into metadata, properties or Keystone extra attributes. */
export function markerEntries(marker: Marker): Record<string, string> {
  return { [MARKER_SOURCE_KEY]: marker.sourceId, [MARKER_KIND_KEY]: marker.kind };
}

/** Reads a marker from metadata/properties/extra attributes; undefined when absent. */
export function markerFromEntries(entries: Readonly<Record<string, unknown>> | null | undefined, fallbackKind?: string): Marker | undefined {
  const sourceId = entries?.[MARKER_SOURCE_KEY];
  if (typeof sourceId !== 'string' || sourceId === '') return undefined;
  const kind = entries?.[MARKER_KIND_KEY];
  return { sourceId, kind: typeof kind === 'string' && kind ? kind : (fallbackKind ?? 'unknown') };
}

/** Neutron tags carrying the marker. */
export function markerTags(marker: Marker): string[] {
  return [`${MARKER_SOURCE_KEY}=${marker.sourceId}`, `${MARKER_KIND_KEY}=${marker.kind}`];
}

/** Reads a marker from Neutron tags. */
export function markerFromTags(tags: readonly string[] | null | undefined, fallbackKind?: string): Marker | undefined {
  if (!tags) return undefined;
  const entries: Record<string, string> = {};
  for (const tag of tags) {
    const eq = tag.indexOf('=');
    if (eq > 0) entries[tag.slice(0, eq)] = tag.slice(eq + 1);
  }
  return markerFromEntries(entries, fallbackKind);
}

const DESCRIPTION_MARKER = /\s*\[pumphouse_source=([^\s\]]+)(?: kind=([a-z_]+))?\]\s*$/;

/** A description with the marker appended (replacing an earlier marker). */
export function markDescription(description: string | null | undefined, marker: Marker): string {
  const base = unmarkDescription(description);
  return `${base}${base ? ' ' : ''}[pumphouse_source=${marker.sourceId} kind=${marker.kind}]`;
}

/** Reads a marker from a description suffix. */
export function markerFromDescription(description: string | null | undefined, fallbackKind?: string): Marker | undefined {
  const m = description ? DESCRIPTION_MARKER.exec(description) : null;
  if (!m?.[1]) return undefined;
  return { sourceId: m[1], kind: m[2] ?? fallbackKind ?? 'unknown' };
}

/** The description without a marker suffix (what the source had). */
export function unmarkDescription(description: string | null | undefined): string {
  return (description ?? '').replace(DESCRIPTION_MARKER, '');
}

/** True when metadata/properties/tags say `setup` seeded this object. */
export function isSetupMarked(entries: Readonly<Record<string, unknown>> | null | undefined, tags?: readonly string[] | null): boolean {
  if (entries && String(entries[SETUP_MARKER_KEY] ?? '') === '1') return true;
  return Boolean(tags?.includes(`${SETUP_MARKER_KEY}=1`));
}

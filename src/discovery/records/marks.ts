import {
  MARKER_KIND_KEY,
  MARKER_SOURCE_KEY,
  SETUP_MARKER_KEY,
  markerFromDescription,
  markerFromEntries,
  markerFromTags,
  unmarkDescription,
  type Marker,
} from '../../inventory/index.js';
import { byCodeUnits } from '../../json/code-unit-order.js';

/**
 * Decoding the pumphouse marker (src/inventory/marker.ts) out of the carriers a record has,
 * and giving back the carrier without it: inventory records keep the marker in `marker` and
 * what the operator set in `metadata`/`properties`/`description`, so that comparing a copy
 * with its source never sees the marker as a difference.
 */

/**
 * Every description suffix marker.ts writes contains this: a description without it has no
 * marker and nothing to take out, so the regular expressions are skipped (tens of thousands
 * of descriptions in a large discovery, nearly all unmarked on a source cloud).
 */
const SUFFIX = '[pumphouse_source=';

function fromDescription(description: string | null | undefined, kind: string): Marker | undefined {
  return description?.includes(SUFFIX) ? markerFromDescription(description, kind) : undefined;
}

function unmarked(description: string | null | undefined): string {
  return description?.includes(SUFFIX) ? unmarkDescription(description) : (description ?? '');
}

/** `{ marker }` when there is one, `{}` otherwise (records omit the field when unmarked). */
export function markerField(marker: Marker | undefined): { readonly marker?: Marker } {
  return marker ? { marker } : {};
}

/** `{ description }` when there is text, `{}` otherwise (Neutron records omit an empty one). */
export function descriptionField(description: string): { readonly description?: string } {
  return description ? { description } : {};
}

/**
 * `{ tags }`: a Neutron object's own tags, sorted (Neutron keeps a set), without pumphouse's
 * (`pumphouse_source`, `pumphouse_kind`, `pumphouse_setup`: a copy's marker is its own, and a
 * seeded source's must not mark the copy as seeded); `{}` when none are left.
 */
export function tagsField(tags: readonly string[]): { readonly tags?: readonly string[] } {
  if (tags.length === 0) return {};
  const own = tags.filter((t) => !OUR_TAG.test(t));
  return own.length === 0 ? {} : { tags: own.sort(byCodeUnits) };
}

const OUR_TAG = new RegExp(`^(${MARKER_SOURCE_KEY}|${MARKER_KIND_KEY}|${SETUP_MARKER_KEY})=`);

/** A key/value carrier (server metadata, image properties, volume metadata) split in two. */
export function splitEntries(entries: Readonly<Record<string, string>>, kind: string): { readonly marker: Marker | undefined; readonly rest: Readonly<Record<string, string>> } {
  const marker = markerFromEntries(entries, kind);
  if (!marker) return { marker, rest: entries };
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(entries)) if (k !== MARKER_SOURCE_KEY && k !== MARKER_KIND_KEY) rest[k] = v;
  return { marker, rest };
}

/**
 * Neutron objects: tags where the cloud has the tag extension, else the description suffix.
 * Both are read whatever the extension says (a tag set by hand is still a tag).
 */
export function neutronMarker(tags: readonly string[], description: string, kind: string): { readonly marker: Marker | undefined; readonly description: string } {
  const marker = markerFromTags(tags, kind) ?? fromDescription(description, kind);
  return { marker, description: unmarked(description) };
}

/** Objects whose only free text is a description (volumes' fallback, security group rules). */
export function descriptionMarker(description: string | null | undefined, kind: string): { readonly marker: Marker | undefined; readonly description: string } {
  return { marker: fromDescription(description, kind), description: unmarked(description) };
}

/**
 * Keystone projects and users: extra attributes when the record carries them (the identity
 * client does not expose them today), else the description suffix.
 */
export function keystoneMarker(record: { readonly description?: string | null }, kind: string): { readonly marker: Marker | undefined; readonly description: string } {
  const extra = (record as { readonly extra?: Readonly<Record<string, unknown>> }).extra;
  const marker = markerFromEntries(extra, kind) ?? fromDescription(record.description, kind);
  return { marker, description: unmarked(record.description) };
}

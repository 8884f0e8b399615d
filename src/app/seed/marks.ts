/**
 * How setup marks what it seeds, and how cleanup recognises what is ours. The keys and the
 * tag come from src/inventory/marker.ts (`pumphouse_setup`, `pumphouse_source`); what this
 * file adds is the description form of the setup marker (` [pumphouse_setup=1]`), for
 * objects whose only free text is a description (Keystone projects and users, Neutron
 * objects without tags, nova-network security groups), and readers over every carrier.
 */
import { isSetupMarked, markerFromDescription, markerFromEntries, markerFromTags, SETUP_MARKER_KEY } from '../../inventory/marker.js';
import type { Marker } from '../../inventory/types.js';

/** The carrier value: metadata/properties/extra attributes `pumphouse_setup: "1"`. */
export const SETUP_ENTRIES: Readonly<Record<string, string>> = Object.freeze({ [SETUP_MARKER_KEY]: '1' });
/** The Neutron tag. */
export const SETUP_TAG = `${SETUP_MARKER_KEY}=1`;
const SUFFIX = `[${SETUP_MARKER_KEY}=1]`;

/** A description carrying the setup marker. */
export function setupDescription(text: string): string {
  return hasSetupSuffix(text) ? text : `${text}${text ? ' ' : ''}${SUFFIX}`;
}

export function hasSetupSuffix(description: string | null | undefined): boolean {
  return (description ?? '').trimEnd().endsWith(SUFFIX);
}

/** Everything an object may carry a marker in; absent carriers are simply not given. */
export interface Carriers {
  readonly entries?: Readonly<Record<string, unknown>> | null;
  readonly tags?: readonly string[] | null;
  readonly description?: string | null;
}

/** Setup seeded it: the setup marker in entries, tags or description. */
export function isSetupObject(c: Carriers): boolean {
  return isSetupMarked(c.entries ?? null, c.tags ?? null) || hasSetupSuffix(c.description);
}

/** Pumphouse made it as the copy of a source object (the `pumphouse_source` marker). */
export function pumphouseMarker(c: Carriers): Marker | undefined {
  return markerFromEntries(c.entries ?? null) ?? markerFromTags(c.tags ?? null) ?? markerFromDescription(c.description ?? null);
}

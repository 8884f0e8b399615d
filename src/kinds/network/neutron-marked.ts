import { markDescription, markerFromDescription, markerFromTags, markerTags, unmarkDescription } from '../../inventory/marker.js';
import type { Marker } from '../../inventory/types.js';
import type { NetworkClient, NeutronCollection, Query, TaggableCollection } from '../../openstack/index.js';
import { sameMarker } from '../common/marker.js';

/** Neutron's limit on description length (standard-attr-description). */
const DESCRIPTION_MAX = 255;
/** Neutron's limit on one tag; tags may not hold commas (and a slash would break the tag URL). */
const TAG_MAX = 60;

/** What the marker lookups need of a Neutron record. */
export interface NeutronRecord {
  readonly id: string;
  readonly description: string;
  readonly tags: readonly string[];
}

/**
 * The marker on Neutron objects. Written twice, on purpose: in the description at create
 * time (part of the POST, so a crash cannot leave an unmarked copy) and as tags right after
 * (Neutron filters on tags server-side; Zed cannot take tags in the POST). Lookups try the
 * tags first, then the descriptions of the objects in scope (the object made just before a
 * crash, not tagged yet; clouds without tags). Descriptions keep the source text before the
 * suffix; `unmarkDescription` gives it back.
 */
export class NeutronMarks {
  constructor(readonly net: NetworkClient) {}

  /** True when Neutron stores descriptions (Mitaka+); legacy Neutron rejects unknown attributes. */
  get hasDescriptions(): boolean {
    return this.net.extensions.has('standard-attr-description');
  }

  /** The description to send at create: the base with the marker suffix, within Neutron's limit. */
  description(base: string | null, marker: Marker): string | undefined {
    if (!this.hasDescriptions) return undefined;
    return markedDescription(base, marker);
  }

  /** The marker tags, or null when this collection takes no tags or the source id cannot be one. */
  tags(collection: TaggableCollection, marker: Marker): string[] | null {
    if (!this.net.supportsTags(collection)) return null;
    const tags = markerTags(marker);
    return tags.every(tagOk) ? tags : null;
  }

  /**
   * Tags `record` with the marker and `own` (the source's tags the plan carries), unless it
   * has them already; answers the `own` tags it could not set (the collection takes no tags,
   * or a tag Neutron would refuse), for the kind to warn about.
   */
  async tag(collection: TaggableCollection, record: NeutronRecord, marker: Marker, own: readonly string[] = []): Promise<string[]> {
    if (!this.net.supportsTags(collection)) return [...own];
    const carried = own.filter(tagOk);
    const want = [...(this.tags(collection, marker) ?? []), ...carried];
    if (!want.every((t) => record.tags.includes(t))) await this.net.setTags(collection, record.id, [...new Set([...record.tags, ...want])]);
    return own.filter((t) => !tagOk(t));
  }

  /**
   * The object of `collection` within `scope` (e.g. `{ tenant_id }`) carrying `marker`, by
   * tags then by description; the lowest id wins when a broken earlier run left several.
   */
  async find<T extends NeutronRecord>(
    collection: TaggableCollection,
    api: NeutronCollection<T, unknown>,
    marker: Marker,
    scope: Query,
  ): Promise<T | undefined> {
    const tags = this.tags(collection, marker);
    if (tags) {
      const hit = first((await api.list({ ...scope, tags: tags.join(',') })).filter((r) => sameMarker(markerFromTags(r.tags), marker)));
      if (hit) return hit;
    }
    if (!this.hasDescriptions) return undefined;
    return first((await api.list(scope)).filter((r) => sameMarker(markerFromDescription(r.description), marker)));
  }
}

/** `base` plus the marker suffix, the base cut so that the whole fits 255 characters. */
export function markedDescription(base: string | null, marker: Marker): string {
  const suffix = markDescription('', marker);
  const text = unmarkDescription(base);
  const room = DESCRIPTION_MAX - suffix.length - 1;
  return room <= 0 ? suffix : markDescription(text.length > room ? text.slice(0, room).trimEnd() : text, marker);
}

function tagOk(tag: string): boolean {
  return tag.length <= TAG_MAX && !tag.includes(',') && !tag.includes('/');
}

function first<T extends { readonly id: string }>(items: readonly T[]): T | undefined {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

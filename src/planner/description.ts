import { markDescription } from '../inventory/index.js';

/** Neutron's limit on a description (standard-attr-description); the kinds cut to it too. */
const DESCRIPTION_MAX = 255;

/**
 * The `description` and `tags` attributes of a Neutron object's action (network, subnet,
 * router, port, floating IP): the source's text and own tags, each absent when the source has
 * none, so plans of clouds without them stay as they were. At apply the kind sends the text
 * with pumphouse's marker appended (` [pumphouse_source=<id> kind=<kind>]`, the crash-safe
 * carrier written in the same POST), and the tags beside the marker's; `warnings` says when
 * the text must be cut to leave room for the marker.
 */
export function describedAs(
  record: { readonly description?: string; readonly tags?: readonly string[] },
  sourceId: string,
  kind: string,
): { readonly after: { readonly description?: string; readonly tags?: string[] }; readonly warnings: readonly string[] } {
  const text = record.description;
  const tags = record.tags ? { tags: [...record.tags] } : {};
  if (!text) return record.tags ? { after: tags, warnings: NO_TEXT.warnings } : NO_TEXT;
  const room = DESCRIPTION_MAX - markDescription('', { sourceId, kind }).length - 1;
  const warnings =
    text.length > room
      ? [`the description (${text.length} characters) is cut to ${Math.max(room, 0)} in the destination: Neutron keeps 255 and pumphouse's marker takes the rest`]
      : [];
  return { after: { description: text, ...tags }, warnings };
}

// Most objects have no description: one shared answer.
const NO_TEXT = Object.freeze({ after: Object.freeze({}), warnings: Object.freeze([]) as readonly string[] });

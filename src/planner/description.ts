import { markDescription } from '../inventory/index.js';

/** Neutron's limit on a description (standard-attr-description); the kinds cut to it too. */
const DESCRIPTION_MAX = 255;

/**
 * The `description` attribute of a Neutron object's action (network, subnet, router, port,
 * floating IP): the source's text, absent when the source has none, so plans of clouds
 * without descriptions stay as they were. At apply the kind sends it with pumphouse's marker
 * appended (` [pumphouse_source=<id> kind=<kind>]`, the crash-safe carrier written in the
 * same POST); `warnings` says when the text must be cut to leave room for the marker.
 */
export function describedAs(
  record: { readonly description?: string },
  sourceId: string,
  kind: string,
): { readonly after: { readonly description?: string }; readonly warnings: readonly string[] } {
  const text = record.description;
  if (!text) return NO_TEXT;
  const room = DESCRIPTION_MAX - markDescription('', { sourceId, kind }).length - 1;
  const warnings =
    text.length > room
      ? [`the description (${text.length} characters) is cut to ${Math.max(room, 0)} in the destination: Neutron keeps 255 and pumphouse's marker takes the rest`]
      : [];
  return { after: { description: text }, warnings };
}

// Most objects have no description: one shared answer.
const NO_TEXT = Object.freeze({ after: Object.freeze({}), warnings: Object.freeze([]) as readonly string[] });

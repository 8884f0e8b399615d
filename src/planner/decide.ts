import type { ActionType, Reason } from '../plan/index.js';
import type { StateObject } from '../state/types.js';
import type { Existing } from './existing.js';

/** What to do with one source object, and why. */
export interface Decision {
  readonly action: ActionType;
  readonly reason: Reason;
  /** The destination object the action works on, when one exists. */
  readonly destinationId: string | null;
  /** Set when state said done but the destination lost the object (reported as drift). */
  readonly vanished?: StateObject;
}

export interface DecideOptions {
  /** The action that makes the object: `create`, or `migrate` for kinds that carry data. */
  readonly make: ActionType;
  /**
   * A destination object that already is this one without our marker (a name match...).
   * `id` null: it exists (or the destination makes it by itself) but its id is not known yet.
   */
  readonly natural?: { readonly id: string | null; readonly why: string } | null;
  /**
   * For data kinds: whether a marked destination object is complete (an image `active`, a
   * server running). An incomplete one is resumed with `make`, not adopted.
   */
  readonly complete?: (destinationId: string) => boolean;
  /** Reason code for `make` when nothing exists (default missing_in_destination). */
  readonly makeReason?: Reason;
}

/** The reason of most actions of a first plan: one shared object. */
const NOT_YET: Reason = { code: 'missing_in_destination', text: 'not in the destination yet' };

/**
 * Turns what memory says about an object into an action. Already-migrated objects become
 * `no-op`, so planning right after a full apply yields no changes.
 */
export function decide(existing: Existing, opts: DecideOptions): Decision {
  const make = opts.make;
  switch (existing.state) {
    case 'ready':
      return {
        action: 'no-op',
        reason: { code: 'up_to_date', text: `already migrated (destination id ${existing.destinationId})` },
        destinationId: existing.destinationId,
      };
    case 'marked': {
      if (opts.complete && !opts.complete(existing.destinationId)) {
        return {
          action: make,
          reason: {
            code: 'found_half_made',
            text: `an unfinished copy ${existing.destinationId} carries our source-id marker; it is completed`,
          },
          destinationId: existing.destinationId,
        };
      }
      return {
        action: 'adopt',
        reason: {
          code: 'found_half_made',
          text: `destination object ${existing.destinationId} carries our source-id marker; it is recorded, not made again`,
        },
        destinationId: existing.destinationId,
      };
    }
    case 'resume': {
      const step = existing.object.pending?.step ?? existing.object.step;
      const at = step ? ` at step ${step}` : '';
      const half = existing.destinationId ? `; the half-made copy ${existing.destinationId} is adopted` : '';
      return {
        action: make,
        reason: {
          code: 'tainted_in_state',
          text: `an earlier apply left it ${existing.object.status}${at}${half}`,
        },
        destinationId: existing.destinationId,
      };
    }
    case 'vanished':
      if (opts.natural) {
        return {
          action: 'adopt',
          reason: { code: 'exists_in_destination', text: opts.natural.why },
          destinationId: opts.natural.id,
          vanished: existing.object,
        };
      }
      return {
        action: make,
        reason: {
          code: 'missing_in_destination',
          text: `state recorded destination id ${existing.object.destination_id ?? '?'} but it is gone; made again`,
        },
        destinationId: null,
        vanished: existing.object,
      };
    case 'none':
      if (opts.natural) {
        return {
          action: 'adopt',
          reason: { code: 'exists_in_destination', text: opts.natural.why },
          destinationId: opts.natural.id,
        };
      }
      if (opts.makeReason !== undefined) return { action: make, reason: opts.makeReason, destinationId: null };
      return toMake(make);
  }
}

// The decision of most actions of a first plan, one per action type (decisions are read-only).
const TO_MAKE = new Map<ActionType, Decision>();

function toMake(make: ActionType): Decision {
  let d = TO_MAKE.get(make);
  if (d === undefined) {
    d = Object.freeze({ action: make, reason: NOT_YET, destinationId: null });
    TO_MAKE.set(make, d);
  }
  return d;
}

/** True when the decision changes nothing in the destination. */
export function isNoop(d: Decision): boolean {
  return d.action === 'no-op';
}

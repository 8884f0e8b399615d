import { isAmbiguous } from '../../openstack/index.js';

/** What `createOnce` found or made. */
export interface Made<T> {
  readonly value: T;
  /** False when an existing object was adopted (found before creating, or after an ambiguous failure). */
  readonly created: boolean;
}

/**
 * Creates an object at most once: looks it up first (marker or natural key) and adopts what
 * it finds; otherwise creates it. A create that failed ambiguously (the cloud may have acted:
 * 5xx or a connection lost after sending, `err.ambiguous`) is followed by a second lookup,
 * which adopts the object if it was made; if it was not found the error is thrown as is and
 * never retried here, because a cloud still processing the request could make it later: the
 * next run looks up again before creating.
 */
export async function createOnce<T>(find: () => Promise<T | undefined>, create: () => Promise<T>): Promise<Made<T>> {
  const existing = await find();
  if (existing !== undefined) return { value: existing, created: false };
  try {
    return { value: await create(), created: true };
  } catch (err) {
    if (!isAmbiguous(err)) throw err;
    const made = await find();
    if (made !== undefined) return { value: made, created: false };
    throw err;
  }
}

import { sendSettled, type SettleOptions } from './settle.js';

/** What `createOnce` found or made. */
export interface Made<T> {
  readonly value: T;
  /** False when an existing object was adopted (found before creating, or after an ambiguous failure). */
  readonly created: boolean;
}

/**
 * Creates an object at most once: looks it up first (marker or natural key) and adopts what
 * it finds; otherwise creates it. A create that failed ambiguously (the cloud may have acted:
 * 5xx or a connection lost after sending, `err.ambiguous`) is followed by lookups at once and
 * after a settle time (1 s, then 2 s); the object is adopted when one finds it, and the
 * create is sent again only when none did, at most 5 times in all (`sendSettled`). A 409 on a
 * create sent again (a cloud enforcing unique names that acted late) is adopted by lookup.
 * WHY not fail at the first ambiguous create (as before): a single apply then fails at any
 * real error rate; WHY never resend blind: a cloud that did act would hold two copies.
 * The lookup must find what a lost create made (same marker or natural key).
 */
export async function createOnce<T>(find: () => Promise<T | undefined>, create: () => Promise<T>, options?: SettleOptions): Promise<Made<T>> {
  const existing = await find();
  if (existing !== undefined) return { value: existing, created: false };
  const r = await sendSettled(create, find, { what: 'the create', ...options });
  return { value: r.value, created: r.sent };
}

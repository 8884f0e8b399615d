import { createHash } from 'node:crypto';
import { SPILLED_ACTIONS, SplicedActions } from './spilled-action.js';
import { OBJECT_END, hasJsonText, jsonValue, memberChunks, memberPrefix, type StringWatch } from './canonical-writer.js';
import type { PlanTextHashes } from './text-thread.js';

/** What planFileBytes() found once every byte was handed out. */
export interface PlanTextDigest {
  /** sha256 of the canonical text of the plan without `checksum` (the file's `checksum`). */
  readonly checksum: string;
  /** sha256 of the file text (what `plan` prints). */
  readonly sha256: string;
}

/**
 * Bytes of the plan file that the plan text thread writes itself (a big plan's spilled
 * actions, see PlanTextHashes.splice): the file's next `elsewhere` bytes.
 */
export interface WrittenElsewhere {
  readonly elsewhere: number;
}

/** What planFileBytes hands out: bytes to write, or how many the thread writes there. */
export type PlanFileChunk = Uint8Array | WrittenElsewhere;

/**
 * The plan file's bytes in chunks of about 1 MB: exactly the UTF-8 of
 * `canonicalJson({ ...body, checksum })` where `checksum = planChecksum(body)`, made in one
 * pass and never held whole (a 600,000-action plan is about 750 MB). Both texts are the same
 * members in the same order, the file's with one member more: the members sorting before
 * `checksum` (`actions`, the bulk of a plan) are fed to both hashes and handed out as they
 * are made; the few after it are kept until the checksum is known. Returns both digests.
 * `watch` is told about every string written (the secret scan rides along this way).
 * `hashes` computes the digests (on this thread unless given: see PlanTextThread); when it
 * can splice, the text of the actions the thread spilled is written by the thread, and
 * WrittenElsewhere chunks stand for it (never without `splice`).
 */
export function* planFileBytes(
  body: Readonly<Record<string, unknown>>,
  watch?: StringWatch,
  hashes: PlanTextHashes = hashesHere(),
): Generator<PlanFileChunk, PlanTextDigest, undefined> {
  const members: [string, unknown][] = [];
  for (const key of Object.keys(body)) {
    if (key === 'checksum') continue;
    const v = jsonValue(body[key]);
    if (hasJsonText(v)) members.push([key, v]);
  }
  members.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const tail: Uint8Array[] = [];
  let placed = false;
  let checksumFirst = true;
  let bodyFirst = true;
  let fileFirst = true;
  let at = OPEN.length;
  yield both(OPEN, hashes);
  for (const [key, v] of members) {
    if (!placed && key > 'checksum') {
      placed = true;
      checksumFirst = fileFirst;
      fileFirst = false;
    }
    if (!placed) {
      const prefix = memberPrefix(key, bodyFirst);
      at += prefix.length;
      yield both(prefix, hashes);
      if (key === 'actions' && hashes.splice) {
        const written = yield* splicedChunks(v, watch, hashes.splice, at);
        at += written;
      } else {
        for (const chunk of memberChunks(v, key, watch, key === 'actions' ? SPILLED_ACTIONS : undefined)) {
          at += chunk.length;
          yield both(chunk, hashes);
        }
      }
    } else {
      hashes.update(memberPrefix(key, bodyFirst), 'body');
      tail.push(memberPrefix(key, fileFirst));
      for (const chunk of memberChunks(v, key, watch)) {
        hashes.update(chunk, 'body');
        tail.push(chunk);
      }
    }
    bodyFirst = false;
    fileFirst = false;
  }
  if (!placed) checksumFirst = fileFirst;
  hashes.update(OBJECT_END, 'body');
  const checksum = hashes.digest('body');
  const checksumMember = Buffer.concat([memberPrefix('checksum', checksumFirst), Buffer.from(JSON.stringify(checksum))]);
  // The rest is small (every member after `checksum`): one chunk.
  const last = Buffer.concat([checksumMember, ...tail, OBJECT_END]);
  hashes.update(last, 'file');
  yield last;
  return { checksum, sha256: hashes.digest('file') };
}

/**
 * The `actions` member's text when the plan text thread writes the spilled text it made: this
 * thread writes the rest (separators, the two holes of each action, actions not spilled
 * there) and the thread splices the spilled stretches in between, at their file offsets from
 * `at`, and hashes all of it. Returns the bytes the member takes in the file.
 */
function* splicedChunks(
  v: unknown,
  watch: StringWatch | undefined,
  splice: NonNullable<PlanTextHashes['splice']>,
  at: number,
): Generator<WrittenElsewhere, number, undefined> {
  const items = new SplicedActions();
  const ops = items.ops;
  let litAt = 0;
  let written = 0;
  const hand = (chunk: Uint8Array, last: boolean): WrittenElsewhere => {
    // Ops at the chunk's end go with it: they come before the next chunk's first byte.
    const end = litAt + chunk.length;
    let k = 0;
    while (k < ops.length && (last || ops[k]! <= end)) k += 4;
    const n = splice(at + written, chunk, litAt, k === ops.length ? ops : ops.slice(0, k));
    ops.splice(0, k);
    litAt = end;
    written += n;
    return { elsewhere: n };
  };
  let held: Uint8Array | undefined;
  for (const chunk of memberChunks(v, 'actions', watch, items)) {
    if (held) yield hand(held, false);
    held = chunk;
  }
  // The last chunk takes every op left (those at its very end).
  yield hand(held ?? new Uint8Array(0), true);
  return written;
}

const OPEN = Buffer.from('{');

function both(bytes: Uint8Array, hashes: PlanTextHashes): Uint8Array {
  hashes.update(bytes, 'both');
  return bytes;
}

/** Both digests computed on this thread as the bytes go by. */
export function hashesHere(): PlanTextHashes {
  const body = createHash('sha256');
  const file = createHash('sha256');
  return {
    update: (bytes, to) => {
      if (to !== 'file') body.update(bytes);
      if (to !== 'body') file.update(bytes);
    },
    digest: (which) => (which === 'body' ? body : file).digest('hex'),
  };
}

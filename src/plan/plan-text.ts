import { createHash } from 'node:crypto';
import { SPILLED_ACTIONS } from './action-spill.js';
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
 * The plan file's bytes in chunks of about 1 MB: exactly the UTF-8 of
 * `canonicalJson({ ...body, checksum })` where `checksum = planChecksum(body)`, made in one
 * pass and never held whole (a 600,000-action plan is about 750 MB). Both texts are the same
 * members in the same order, the file's with one member more: the members sorting before
 * `checksum` (`actions`, the bulk of a plan) are fed to both hashes and handed out as they
 * are made; the few after it are kept until the checksum is known. Returns both digests.
 * `watch` is told about every string written (the secret scan rides along this way).
 * `hashes` computes the digests (on this thread unless given: see PlanTextThread).
 */
export function* planFileBytes(
  body: Readonly<Record<string, unknown>>,
  watch?: StringWatch,
  hashes: PlanTextHashes = hashesHere(),
): Generator<Uint8Array, PlanTextDigest, undefined> {
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
  yield both(OPEN, hashes);
  for (const [key, v] of members) {
    if (!placed && key > 'checksum') {
      placed = true;
      checksumFirst = fileFirst;
      fileFirst = false;
    }
    if (!placed) {
      yield both(memberPrefix(key, bodyFirst), hashes);
      for (const chunk of memberChunks(v, key, watch, key === 'actions' ? SPILLED_ACTIONS : undefined)) yield both(chunk, hashes);
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

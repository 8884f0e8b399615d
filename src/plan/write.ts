import { randomUUID } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PumphouseError } from '../errors/index.js';
import { hashesHere, planFileBytes } from './plan-text.js';
import { PlanTextThread, TEXT_THREAD_FROM } from './text-thread.js';
import { SecretFinds, checkedPlanBody, refusal } from './write-checks.js';
import type { Plan, PlanFile } from './types.js';

/** The two fields that make a plan unique even when made from the same inputs. */
export interface PlanIdentity {
  readonly plan_id: string;
  readonly created_at: string;
}

/** A fresh identity: a random UUID and the current time (RFC 3339, UTC, milliseconds). */
export function newPlanIdentity(now: Date = new Date()): PlanIdentity {
  return { plan_id: randomUUID(), created_at: now.toISOString() };
}

export interface SerializeOptions {
  /** Overrides `plan_id` and `created_at` (golden files, tests, reproducible builds). */
  readonly fixedIdentity?: PlanIdentity;
}

export interface WritePlanOptions extends SerializeOptions {
  /** Plans with at least this many actions are hashed on the plan text thread (default TEXT_THREAD_FROM). */
  readonly hashOnThreadFrom?: number;
}

export interface SerializedPlan {
  /** The exact file text: canonical JSON with a trailing newline. */
  readonly text: string;
  /** sha256 of `text` as UTF-8: what `plan` prints and `apply --expect-sha256` takes. */
  readonly sha256: string;
  /** The plan as stored, with its `checksum`. */
  readonly plan: PlanFile;
}

/**
 * Turns a plan into its canonical file text, in one string: for plans whose text fits in one
 * (writePlan streams any size). Same plan (and identity), same bytes as writePlan. Refuses
 * (PH_INTERNAL: a planner bug, listing every problem) a plan that violates the schema, is
 * inconsistent (ids, dependency order, summary) or holds a secret value.
 */
export function serializePlan(plan: Plan, options: SerializeOptions = {}): SerializedPlan {
  const body = checkedPlanBody(plan, options.fixedIdentity);
  const secrets = new SecretFinds();
  const chunks: Uint8Array[] = [];
  const bytes = planFileBytes(body, secrets.watch);
  let step = bytes.next();
  while (!step.done) {
    // Without a thread's hashes nothing is written elsewhere.
    if (!(step.value instanceof Uint8Array)) throw new Error('serializePlan: text written elsewhere');
    chunks.push(step.value);
    step = bytes.next();
  }
  if (secrets.problems.length > 0) throw refusal(secrets.problems);
  const text = Buffer.concat(chunks).toString('utf8');
  return { text, sha256: step.value.sha256, plan: JSON.parse(text) as PlanFile };
}

/**
 * Writes the plan's canonical text to `path` atomically (temp file in the same directory,
 * fsync, rename, fsync of the directory) and returns the sha256 of the bytes written. The text
 * is made, hashed and written piece by piece, so memory stays flat whatever the plan's size
 * (a 600,000-action plan is about 750 MB of text). Errors: PH_INTERNAL for an invalid plan
 * (see serializePlan; checked before any file is made), PH_PLAN_IO when the file cannot be
 * written.
 */
export async function writePlan(plan: Plan, path: string, options: WritePlanOptions = {}): Promise<string> {
  const body = checkedPlanBody(plan, options.fixedIdentity);
  const secrets = new SecretFinds();
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  let sha256: string;
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      // A big plan's two sha256 (~1.4 s at 750 MB) run on the other core.
      const onThread = plan.actions.length >= (options.hashOnThreadFrom ?? TEXT_THREAD_FROM);
      // There, the thread also writes the text of the actions it spilled (see PlanTextHashes.splice).
      const bytes = planFileBytes(body, secrets.watch, onThread ? PlanTextThread.shared().hashes(fh.fd) : hashesHere());
      // Up to IN_FLIGHT writes at their own offsets: the next chunk is made while the
      // previous ones are written (on libuv's threads), instead of waiting for each.
      const writing = new Set<Promise<void>>();
      let failed: unknown;
      let at = 0;
      let step = bytes.next();
      while (!step.done) {
        if (!(step.value instanceof Uint8Array)) {
          at += step.value.elsewhere;
          step = bytes.next();
          continue;
        }
        const w: Promise<void> = writeAll(fh, step.value, at).then(
          () => void writing.delete(w),
          (err: unknown) => {
            failed ??= err;
            writing.delete(w);
          },
        );
        writing.add(w);
        at += step.value.length;
        if (writing.size >= IN_FLIGHT) await Promise.race(writing);
        if (failed) throw failed;
        step = bytes.next();
      }
      await Promise.all(writing);
      if (failed) throw failed;
      sha256 = step.value.sha256;
      // The secret scan rode along with the writing: a plan holding one never becomes the file.
      if (secrets.problems.length > 0) throw refusal(secrets.problems);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    if (PumphouseError.is(err) && err.code === 'PH_INTERNAL') throw err;
    throw new PumphouseError('PH_PLAN_IO', `cannot write the plan file: ${(err as Error).message}`, {
      cause: err,
      location: { file: path },
    });
  }
  await syncDirectory(dirname(path));
  return sha256;
}

const IN_FLIGHT = 4;

/** Writes all of `chunk` at `position` (a write may take less than it was given). */
async function writeAll(fh: FileHandle, chunk: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, done, chunk.length - done, position + done);
    done += bytesWritten;
  }
}

// Makes the rename itself durable; some filesystems refuse to open a directory: best effort.
async function syncDirectory(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // The data is written and renamed; only durability across a power cut is weaker.
  }
}

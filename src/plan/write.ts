import { randomUUID } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PumphouseError } from '../errors/index.js';
import { canonicalJson, planChecksum, sha256Hex } from './canonical.js';
import { planProblems } from './validate.js';
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

export interface SerializedPlan {
  /** The exact file text: canonical JSON with a trailing newline. */
  readonly text: string;
  /** sha256 of `text` as UTF-8: what `plan` prints and `apply --expect-sha256` takes. */
  readonly sha256: string;
  /** The plan as stored, with its `checksum`. */
  readonly plan: PlanFile;
}

/**
 * Turns a plan into its canonical file text. Same plan (and identity), same bytes. Refuses
 * (PH_INTERNAL: a planner bug, listing every problem) a plan that violates the schema, is
 * inconsistent (ids, dependency order, summary) or holds a secret value.
 */
export function serializePlan(plan: Plan, options: SerializeOptions = {}): SerializedPlan {
  // A JSON round trip drops `undefined` fields so that they cannot change the bytes.
  const data = JSON.parse(JSON.stringify({ ...plan, ...options.fixedIdentity })) as Plan & { checksum?: string };
  delete data.checksum;
  const file: PlanFile = { ...data, checksum: planChecksum(data) };
  const problems = planProblems(file);
  if (problems.length > 0) {
    throw new PumphouseError('PH_INTERNAL', `refusing to write an invalid plan: ${problems[0]!.message}${more(problems.length)}`, {
      problems,
      source: 'internal',
    });
  }
  const text = canonicalJson(file);
  return { text, sha256: sha256Hex(text), plan: file };
}

/**
 * Writes the plan's canonical text to `path` atomically (temp file in the same directory,
 * fsync, rename, fsync of the directory) and returns the sha256 of the bytes written.
 * Errors: PH_INTERNAL for an invalid plan (see serializePlan), PH_PLAN_IO when the file
 * cannot be written.
 */
export async function writePlan(plan: Plan, path: string, options: SerializeOptions = {}): Promise<string> {
  const { text, sha256 } = serializePlan(plan, options);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new PumphouseError('PH_PLAN_IO', `cannot write the plan file: ${(err as Error).message}`, {
      cause: err,
      location: { file: path },
    });
  }
  await syncDirectory(dirname(path));
  return sha256;
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

function more(n: number): string {
  return n > 1 ? ` (and ${n - 1} more)` : '';
}

import { readFile } from 'node:fs/promises';
import { PumphouseError, type Problem } from '../errors/index.js';
import { toolVersion } from '../package-info.js';
import { ObjectPieces, SyntaxIssue, type ItemHook } from '../json/object-pieces.js';
import { readObjectInChunks, type ChunkedObject } from '../json/read-in-chunks.js';
import { BodyHash } from './body-hash.js';
import { planFileBytes } from './plan-text.js';
import { PlanChecksAsParsed } from './validate.js';
import { SecretFinds } from './write-checks.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

/** How strictly the tool version that made the plan must match the running one. */
export type ToolVersionPolicy =
  /** Same major version (same major.minor while at 0.x): `show` and other read-only uses. */
  | 'compatible'
  /** Exactly the same version: what apply should ask for (Terraform refuses cross-version plans). */
  | 'exact'
  /** No check (tests, forensic reading). */
  | 'any';

export interface ReadPlanOptions {
  /** Hex sha256 the file bytes must have (from the ticket): PH_PLAN_TAMPERED otherwise. */
  readonly expectSha256?: string;
  /** Default `compatible`. */
  readonly toolVersion?: ToolVersionPolicy;
  /** The running tool's version; default the package version. */
  readonly runningVersion?: string;
}

export interface LoadedPlan {
  /** The verified plan, without its `checksum` field. */
  readonly plan: Plan;
  /** sha256 of the exact file bytes. */
  readonly sha256: string;
  /** The self-check recorded in the file (verified). */
  readonly checksum: string;
}

type Location = Record<string, unknown>;

/** Bytes read from the plan file at a time. */
const READ_CHUNK = 4 << 20;

/**
 * A file up to this size is re-read whole when it is not valid JSON, for the exact message
 * with line and column (a larger one could not be held in one string).
 */
const WHOLE_TEXT_LIMIT = 256 << 20;

/**
 * Reads and verifies a plan file (see verifyPlanBytes for the checks and their order). The
 * file is read in chunks, hashed and parsed as it arrives (one action at a time), so neither
 * its bytes nor its text are ever held whole: a 600,000-action plan is about 750 MB.
 * Errors (PumphouseError): PH_NOT_FOUND (no such file), PH_PLAN_IO (unreadable), then those
 * of verifyPlanBytes.
 */
export async function readPlan(path: string, options: ReadPlanOptions = {}): Promise<LoadedPlan> {
  return (await readChunked(path, options, undefined))!;
}

/**
 * What a reader that does not hold every parsed action (`show`, see read-for-show.ts) is
 * given: every chunk of the file (after it was hashed; the buffer is reused), and every
 * action once the checks saw it, `keep` answering what the plan holds in its place.
 */
export interface ActionKeeper {
  chunk(bytes: Uint8Array): void;
  keep(action: unknown, index: number): unknown;
}

/**
 * readPlan, with each parsed action replaced by what `keeper` makes of it. Answers the plan
 * only when it passed every check while the actions were parsed and was found canonical from
 * its bytes (the checks then need no action again); undefined (or an error) otherwise:
 * the caller then reads the file with readPlan, whose answer (error included) is the one
 * that counts.
 */
export async function readPlanKeeping(path: string, options: ReadPlanOptions, keeper: ActionKeeper): Promise<LoadedPlan | undefined> {
  return readChunked(path, options, keeper);
}

async function readChunked(path: string, options: ReadPlanOptions, keeper: ActionKeeper | undefined): Promise<LoadedPlan | undefined> {
  const loc = (extra: Location = {}): Location => ({ file: path, ...extra });
  // Hashes the file (its sha256) and the file without its checksum member, in one pass.
  const body = new BodyHash();
  // The checks begin on each action as it is parsed (see PlanChecksAsParsed); their answers
  // are given in verifyRecord's order.
  const checks = new PlanChecksAsParsed(path);
  const onChunk = keeper
    ? (chunk: Uint8Array): void => {
        body.push(chunk);
        keeper.chunk(chunk);
      }
    : (chunk: Uint8Array): void => body.push(chunk);
  const onItem: ItemHook = keeper
    ? (key, items, index) => {
        checks.onItem(key, items, index);
        if (key === 'actions') (items as unknown[])[index] = keeper.keep(items[index], index);
      }
    : checks.onItem;
  let read: ChunkedObject;
  try {
    // After a syntax problem the rest is still hashed: a wrong expected digest is reported first.
    read = await readObjectInChunks(path, READ_CHUNK, onChunk, { onItem });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PumphouseError('PH_NOT_FOUND', `no plan file at ${path}`, { cause: err, location: { file: path } });
    throw new PumphouseError('PH_PLAN_IO', `cannot read the plan file: ${(err as Error).message}`, { cause: err, location: { file: path } });
  }
  const sha256 = body.fileDigest();
  checkExpected(sha256, options, loc);
  const { record, issue, size } = read;
  if (issue === undefined) return verifyRecord(record, sha256, options, loc, checks, body, keeper !== undefined);
  if (keeper) return undefined;
  if (size > WHOLE_TEXT_LIMIT) throw syntaxError(issue, loc);
  return verifyRecord(wholeText(await readFile(path), loc), sha256, options, loc, checks);
}

/**
 * Verifies plan file bytes, in this order, each failure a PumphouseError:
 * 1. `expectSha256` against the bytes -> PH_PLAN_TAMPERED;
 * 2. UTF-8 and JSON syntax -> PH_PLAN_INVALID with line and column;
 * 3. `format_version` -> PH_PLAN_VERSION (another major, or a newer minor);
 * 4. the embedded `checksum`, then that the bytes are exactly the canonical form -> PH_PLAN_TAMPERED
 *    (so any one-byte edit is caught even without `expectSha256`);
 * 5. schema, consistency and secret scan -> PH_PLAN_INVALID listing every problem by field;
 * 6. the tool version policy -> PH_PLAN_VERSION.
 */
export function verifyPlanBytes(bytes: Uint8Array, options: ReadPlanOptions & { readonly file?: string } = {}): LoadedPlan {
  const file = options.file;
  const loc = (extra: Location = {}): Location => ({ ...(file ? { file } : {}), ...extra });
  const body = new BodyHash();
  body.push(bytes);
  const sha256 = body.fileDigest();
  checkExpected(sha256, options, loc);
  const checks = new PlanChecksAsParsed(file);
  const pieces = new ObjectPieces({ onItem: checks.onItem });
  let record: Record<string, unknown>;
  try {
    pieces.push(bytes);
    record = pieces.finish();
  } catch (err) {
    if (!(err instanceof SyntaxIssue)) throw err;
    record = bytes.length > WHOLE_TEXT_LIMIT ? throwSyntax(err, loc) : wholeText(bytes, loc);
  }
  return verifyRecord(record, sha256, options, loc, checks, body)!;
}

function checkExpected(sha256: string, options: ReadPlanOptions, loc: (extra?: Location) => Location): void {
  if (options.expectSha256 !== undefined && options.expectSha256.toLowerCase() !== sha256) {
    throw new PumphouseError('PH_PLAN_TAMPERED', `the plan file's sha256 is ${sha256}, not the expected ${options.expectSha256}`, {
      location: loc(),
      details: { sha256, expected: options.expectSha256 },
    });
  }
}

/**
 * Steps 3 to 6 on the parsed file; `checks` saw the actions as they were parsed (made with the
 * file name `loc()` holds), `body` hashed the file's bytes without the checksum member.
 * `kept`: the record's actions are what an ActionKeeper kept, not the parsed ones: undefined
 * unless the plan is valid without looking at an action again (see readPlanKeeping).
 */
function verifyRecord(
  record: Record<string, unknown>,
  sha256: string,
  options: ReadPlanOptions,
  loc: (extra?: Location) => Location,
  checks: PlanChecksAsParsed,
  body?: BodyHash,
  kept = false,
): LoadedPlan | undefined {
  checkFormatVersion(record['format_version'], loc({ field: '/format_version' }));
  const checksum = record['checksum'];
  if (typeof checksum !== 'string' || !/^[0-9a-f]{64}$/.test(checksum)) {
    throw new PumphouseError('PH_PLAN_INVALID', 'the plan file has no valid checksum field', { location: loc({ field: '/checksum' }) });
  }
  const { checksum: _stored, ...plan } = record;
  const file = loc()['file'] as string | undefined;
  if (checkedByHash(record, checksum, body)) {
    if (kept && !checks.sawAllClean(record)) return undefined;
    const problems = [...checks.structureProblems(record), ...checks.secretProblems(plan)];
    if (problems.length > 0) {
      if (kept) return undefined;
      throw invalid(problems, loc());
    }
    checkToolVersion(String(record['pumphouse_version']), options, loc({ field: '/pumphouse_version' }));
    return { plan: plan as unknown as Plan, sha256, checksum };
  }
  if (kept) return undefined;
  // One pass over the canonical text: the checksum of the plan without it, and the hash of
  // the whole canonical text (which must be the file's: then the bytes are canonical).
  // The secret scan rides along with this pass (it reads every string anyway).
  const secrets = new SecretFinds(file);
  const canonical = planFileBytes(plan, secrets.watch);
  let step = canonical.next();
  while (!step.done) step = canonical.next();
  if (step.value.checksum !== checksum) {
    throw new PumphouseError('PH_PLAN_TAMPERED', 'the plan file was changed after it was written (its content does not match its checksum)', {
      location: loc(),
    });
  }
  if (step.value.sha256 !== sha256) {
    throw new PumphouseError('PH_PLAN_TAMPERED', 'the plan file was reformatted after it was written (it is not in canonical form)', {
      location: loc(),
    });
  }
  const problems = [...checks.structureProblems(record), ...secrets.problems];
  if (problems.length > 0) throw invalid(problems, loc());
  checkToolVersion(String(record['pumphouse_version']), options, loc({ field: '/pumphouse_version' }));
  return { plan: plan as unknown as Plan, sha256, checksum };
}

/**
 * True when the file's bytes without the checksum member hash to the checksum it holds, and
 * that member sits where the canonical text puts it (between the keys sorting before and
 * after `checksum`, in the writer's form: BodyHash found it so). The text the checksum was
 * computed over is the canonical text of the plan, so those bytes are that text, and the
 * file is that text with its checksum member in place: canonical, as the slow check would
 * find by writing the parsed plan again. Anything else takes the slow check, which also
 * tells a changed plan from a reformatted one.
 */
function checkedByHash(record: Record<string, unknown>, checksum: string, body: BodyHash | undefined): boolean {
  const digest = body?.digest();
  if (digest === undefined || digest.checksum !== checksum || digest.body !== checksum) return false;
  const keys = Object.keys(record);
  const at = keys.indexOf('checksum');
  return at > 0 && keys[at - 1]! < 'checksum' && (at === keys.length - 1 || keys[at + 1]! > 'checksum');
}

/** The whole text parsed at once, for the exact error (UTF-8, JSON with line and column, not an object). */
function wholeText(bytes: Uint8Array, loc: (extra?: Location) => Location): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new PumphouseError('PH_PLAN_INVALID', 'the plan file is not UTF-8 text', { cause: err, location: loc() });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const where = positionOf(err as Error, text);
    throw new PumphouseError('PH_PLAN_INVALID', `the plan file is not valid JSON: ${(err as Error).message}`, {
      cause: err,
      location: loc(where),
    });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new PumphouseError('PH_PLAN_INVALID', 'the plan file does not hold a JSON object', { location: loc() });
  }
  return data as Record<string, unknown>;
}

/** The problem the piecewise reader saw, for a file too large to re-read whole. */
function syntaxError(issue: SyntaxIssue, loc: (extra?: Location) => Location): PumphouseError {
  const where = loc({ line: issue.line });
  if (issue.kind === 'utf8') return new PumphouseError('PH_PLAN_INVALID', 'the plan file is not UTF-8 text', { location: where });
  if (issue.kind === 'not-object') return new PumphouseError('PH_PLAN_INVALID', 'the plan file does not hold a JSON object', { location: where });
  return new PumphouseError('PH_PLAN_INVALID', `the plan file is not valid JSON: ${issue.message} (in the value starting at byte ${issue.offset})`, {
    cause: issue,
    location: where,
  });
}

function throwSyntax(issue: SyntaxIssue, loc: (extra?: Location) => Location): never {
  throw syntaxError(issue, loc);
}

function checkFormatVersion(value: unknown, location: Location): void {
  if (typeof value !== 'string' || !/^[0-9]+\.[0-9]+$/.test(value)) {
    throw new PumphouseError('PH_PLAN_INVALID', 'the plan file has no valid format_version', { location });
  }
  const [major, minor] = value.split('.').map(Number) as [number, number];
  const [supMajor, supMinor] = PLAN_FORMAT_VERSION.split('.').map(Number) as [number, number];
  if (major !== supMajor || minor > supMinor) {
    throw new PumphouseError(
      'PH_PLAN_VERSION',
      `the plan has format ${value}; this pumphouse reads format ${supMajor}.0 to ${PLAN_FORMAT_VERSION}`,
      { location, details: { format_version: value, supported: PLAN_FORMAT_VERSION } },
    );
  }
}

function checkToolVersion(made: string, options: ReadPlanOptions, location: Location): void {
  const policy = options.toolVersion ?? 'compatible';
  if (policy === 'any') return;
  const running = options.runningVersion ?? toolVersion();
  const [mMaj, mMin] = made.split('.');
  const [rMaj, rMin] = running.split('.');
  const ok = policy === 'exact' ? made === running : mMaj === rMaj && (mMaj !== '0' || mMin === rMin);
  if (!ok) {
    const want = policy === 'exact' ? 'the same version' : 'a compatible version';
    throw new PumphouseError('PH_PLAN_VERSION', `the plan was made by pumphouse ${made}; this is ${running}, and ${want} is required: plan again`, {
      location,
      details: { plan_version: made, running_version: running, policy },
    });
  }
}

function invalid(problems: readonly Problem[], location: Location): PumphouseError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new PumphouseError('PH_PLAN_INVALID', `the plan file is invalid: ${first.message}${more}`, {
    location: { ...location, ...first.location },
    problems,
  });
}

/** Line and column (1-based) of a JSON.parse error, from the position V8 reports. */
function positionOf(err: Error, text: string): { line?: number; column?: number } {
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(err.message);
  // "Unexpected end of JSON input" carries no position: the problem is at the end.
  const offset = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

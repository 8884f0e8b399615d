import type { ErrorCode, ErrorSource } from './codes.js';

/** Where in an input file a problem sits. Line and column are 1-based. */
export interface SourceLocation {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON-pointer-like path of the offending field, e.g. `CLOUDS.source.endpoint.auth_url`. */
  readonly field?: string;
}

export interface PumphouseErrorOptions {
  readonly source?: ErrorSource;
  readonly cause?: unknown;
  readonly location?: SourceLocation;
  /** Plan/state address of the object concerned, e.g. `tenant[acme].server[web-1]`. */
  readonly address?: string;
  /** Extra facts for JSON output; never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Further problems found in the same pass (validation reports all at once). */
  readonly problems?: readonly Problem[];
}

/** One of several problems reported together by a validator. */
export interface Problem {
  readonly message: string;
  readonly location?: SourceLocation;
}

const BRAND = Symbol.for('pumphouse.error');

/**
 * The one error type the library throws on purpose. `code` is stable; `source` says who
 * must act. Only cli/main.ts turns these into output and an exit code.
 */
export class PumphouseError extends Error {
  override readonly name: string = 'PumphouseError';
  readonly code: ErrorCode;
  readonly source: ErrorSource;
  readonly location: SourceLocation | undefined;
  readonly address: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly problems: readonly Problem[];

  constructor(code: ErrorCode, message: string, options: PumphouseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.source = options.source ?? defaultSource(code);
    this.location = options.location;
    this.address = options.address;
    this.details = options.details;
    this.problems = options.problems ?? [];
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Brand check that survives duplicate module copies (tsx vs dist). */
  static is(value: unknown): value is PumphouseError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

function defaultSource(code: ErrorCode): ErrorSource {
  switch (code) {
    case 'PH_AUTH_FAILED':
    case 'PH_CLOUD_HTTP':
    case 'PH_CLOUD_UNREACHABLE':
    case 'PH_CLOUD_TIMEOUT':
    case 'PH_CLOUD_BAD_RESPONSE':
    case 'PH_CLOUD_UNSUPPORTED':
    case 'PH_LIST_TRUNCATED':
    case 'PH_FUEL_HTTP':
    case 'PH_FUEL_TASK_FAILED':
    case 'PH_CLOUD_OBJECT_FAILED':
    case 'PH_IDENTITY_DB':
    case 'PH_TIMEOUT':
    case 'PH_CAPACITY':
    case 'PH_TRANSFER_CHECKSUM':
      return 'cloud';
    case 'PH_INTERNAL':
      return 'internal';
    default:
      return 'user';
  }
}

/** Formats a location as `file:line:column (field)` for messages. */
export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '';
  let out = loc.file ?? '';
  if (loc.line !== undefined) out += `${out ? ':' : 'line '}${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) out += `:${loc.column}`;
  if (loc.field) out += out ? ` (${loc.field})` : loc.field;
  return out;
}

/** Wraps anything thrown by a bug into PH_INTERNAL, keeping PumphouseErrors as they are. */
export function toPumphouseError(err: unknown): PumphouseError {
  if (PumphouseError.is(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new PumphouseError('PH_INTERNAL', `unexpected error: ${message}`, { cause: err, source: 'internal' });
}

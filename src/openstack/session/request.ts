import type { Readable } from 'node:stream';
import type { Query } from '../http/url.js';
import type { Timeouts } from '../http/timeouts.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One call to a cloud API through a Session. */
export interface CloudRequest {
  /** Label for errors and events: `identity`, `compute`, `image`, `volume`, `network`. */
  readonly service: string;
  readonly method: HttpMethod;
  /** Absolute URL (clients build it from `session.endpoint(type)`). */
  readonly url: string;
  readonly query?: Query;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body (sets Content-Type). */
  readonly json?: unknown;
  /** Raw body. A stream is sent once and never replayed (no retry, no re-auth replay). */
  readonly body?: string | Uint8Array | Readable;
  /**
   * Whether the request is safe to repeat. Default: true for GET, HEAD, PUT and DELETE,
   * false otherwise. Mark a POST true when repeating it is harmless (token issue, metadata
   * merge); mark a PUT false when it is not (Neutron add_router_interface).
   */
  readonly idempotent?: boolean;
  /** Send the session's token (default true). */
  readonly authenticated?: boolean;
  /** Non-2xx statuses that count as success here (300 for version documents). */
  readonly okStatuses?: readonly number[];
  readonly signal?: AbortSignal;
  readonly timeouts?: Partial<Timeouts>;
  /** Sees a successful answer's text before it is parsed (a list asks for its next page early). */
  readonly onText?: (text: string) => void;
}

/** What the call was, for error messages built after the response arrived. */
export interface CallInfo {
  readonly cloud: string;
  readonly service: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly requestId: string | undefined;
}

export interface CloudResponse<T = unknown> {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON; undefined for an empty or non-JSON body (see `text`). */
  readonly data: T | undefined;
  readonly text: string;
  readonly call: CallInfo;
}

export interface CloudStreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body, to be consumed (or destroyed) by the caller; body timeouts still apply. */
  readonly body: Readable;
  readonly call: CallInfo;
}

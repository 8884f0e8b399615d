import type { Readable } from 'node:stream';

/**
 * What a handler returns. Exactly one of `json`, `text`, `stream` (or none for an empty body).
 * Headers are merged over the framework's (`x-openstack-request-id`, `Content-Type`).
 */
export interface SimReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string | number | readonly string[]>>;
  readonly json?: unknown;
  readonly text?: string;
  /** A body streamed as is; set `Content-Length` in headers when known. */
  readonly stream?: Readable;
  readonly contentType?: string;
}

export const json = (status: number, body: unknown, headers?: SimReply['headers']): SimReply => ({ status, json: body, ...(headers ? { headers } : {}) });
export const text = (status: number, body: string, contentType = 'text/plain; charset=UTF-8', headers?: SimReply['headers']): SimReply => ({ status, text: body, contentType, ...(headers ? { headers } : {}) });
export const empty = (status: number, headers?: SimReply['headers']): SimReply => ({ status, ...(headers ? { headers } : {}) });
export const stream = (status: number, body: Readable, headers?: SimReply['headers'], contentType = 'application/octet-stream'): SimReply => ({ status, stream: body, contentType, ...(headers ? { headers } : {}) });

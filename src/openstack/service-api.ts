import type { Readable } from 'node:stream';
import type { Query } from './http/url.js';
import { joinUrl } from './http/url.js';
import type { CloudRequest, CloudResponse, CloudStreamResponse, HttpMethod } from './session/request.js';
import type { Session } from './session/session.js';

export interface CallOptions {
  readonly query?: Query;
  readonly json?: unknown;
  readonly body?: string | Uint8Array | Readable;
  readonly headers?: Readonly<Record<string, string>>;
  readonly idempotent?: boolean;
  readonly okStatuses?: readonly number[];
  readonly timeouts?: CloudRequest['timeouts'];
  readonly authenticated?: boolean;
  readonly signal?: AbortSignal;
  readonly onText?: (text: string) => void;
}

/**
 * One service of one session: its base URL (resolved from the catalog on each call, so a
 * renewed token's catalog is used) and the headers it always sends (microversions).
 */
export class ServiceApi {
  constructor(
    readonly session: Session,
    /** Label for errors and events. */
    readonly service: string,
    private readonly base: () => string,
    private readonly headers: () => Readonly<Record<string, string>> = () => ({}),
  ) {}

  url(path: string): string {
    return joinUrl(this.base(), path);
  }

  call<T = unknown>(method: HttpMethod, path: string, opts: CallOptions = {}): Promise<CloudResponse<T>> {
    return this.session.request<T>(this.request(method, path, opts));
  }

  stream(method: HttpMethod, path: string, opts: CallOptions = {}): Promise<CloudStreamResponse> {
    return this.session.requestStream(this.request(method, path, opts));
  }

  /** `onText` sees the answer's text before it is parsed (see CloudRequest). */
  get<T = unknown>(path: string, query?: Query, headers?: Readonly<Record<string, string>>, onText?: (text: string) => void): Promise<CloudResponse<T>> {
    return this.call<T>('GET', path, { ...(query ? { query } : {}), ...(headers ? { headers } : {}), ...(onText ? { onText } : {}) });
  }

  post<T = unknown>(path: string, json: unknown, opts: CallOptions = {}): Promise<CloudResponse<T>> {
    return this.call<T>('POST', path, { ...opts, json });
  }

  put<T = unknown>(path: string, json: unknown, opts: CallOptions = {}): Promise<CloudResponse<T>> {
    return this.call<T>('PUT', path, json === undefined ? opts : { ...opts, json });
  }

  delete(path: string, opts: CallOptions = {}): Promise<CloudResponse> {
    return this.call('DELETE', path, opts);
  }

  private request(method: HttpMethod, path: string, opts: CallOptions): CloudRequest {
    return {
      service: this.service,
      method,
      url: /^https?:\/\//.test(path) ? path : this.url(path),
      ...opts,
      headers: { ...this.headers(), ...opts.headers },
    };
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

/** One request through the proxy and its answer, as seen on the wire. */
export interface Exchange {
  /** Origin of the real service (`http://127.0.0.1:8774`). */
  readonly upstream: string;
  readonly method: string;
  /** Path and query as the client sent them. */
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** Parsed JSON request body, `undefined` when none or not JSON. */
  readonly requestJson: unknown;
  readonly requestBytes: number;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
  /** Parsed JSON response body when it was JSON. */
  readonly responseJson: unknown;
  /** The body text when it was text (HTML or plain), else undefined. */
  readonly responseText: string | undefined;
  readonly responseBytes: number;
}

const ORIGIN = /https?:\/\/(?:127\.0\.0\.1|localhost):\d+/g;
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'proxy-connection']);

/**
 * A reverse proxy on 127.0.0.1 that records every exchange between the clients and a cloud
 * whose services all listen on 127.0.0.1 (the testbed, the simulator). It starts at the
 * Keystone origin; each service origin that appears in an answer (the catalog, links,
 * Location headers) gets a proxy port of its own and is rewritten to it, so the clients
 * never leave the proxy. Bodies are buffered (the suite moves at most a few MiB).
 */
export class RecordingProxy {
  readonly exchanges: Exchange[] = [];
  private readonly byUpstream = new Map<string, Promise<{ readonly server: Server; readonly origin: string }>>();
  private readonly toUpstream = new Map<string, string>();

  /** Starts (or reuses) the proxy for an upstream origin; answers the proxy's origin. */
  async proxyFor(upstream: string): Promise<string> {
    let entry = this.byUpstream.get(upstream);
    if (!entry) {
      entry = new Promise((resolve, reject) => {
        const server = createServer((req, res) => {
          this.forward(upstream, req, res).catch((err: unknown) => {
            if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
            res.end(`recording proxy: ${err instanceof Error ? err.message : String(err)}`);
          });
        });
        server.keepAliveTimeout = 1_000;
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
          this.toUpstream.set(origin, upstream);
          resolve({ server, origin });
        });
      });
      this.byUpstream.set(upstream, entry);
    }
    return (await entry).origin;
  }

  /** The upstream origin behind a proxy origin. */
  upstreamOf(proxyOrigin: string): string | undefined {
    return this.toUpstream.get(proxyOrigin);
  }

  async close(): Promise<void> {
    const servers = await Promise.all(this.byUpstream.values());
    await Promise.all(
      servers.map(
        ({ server }) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }

  private async forward(upstream: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP.has(k)) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const url = req.url ?? '/';
    const answer = await request(`${upstream}${url}`, {
      method: (req.method ?? 'GET') as 'GET',
      headers: { ...headers, host: new URL(upstream).host },
      body: body.length > 0 ? body : null,
    });
    const raw = Buffer.from(await answer.body.arrayBuffer());
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers)) {
      if (v === undefined || HOP.has(k.toLowerCase())) continue;
      out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    const type = out['content-type'] ?? '';
    const textual = /json|text|html|xml/.test(type) || (type === '' && /^\s*[{["]/.test(raw.subarray(0, 16).toString('utf8')));
    let payload = raw;
    let text: string | undefined;
    if (textual && raw.length > 0) {
      text = await this.rewrite(raw.toString('utf8'));
      payload = Buffer.from(text, 'utf8');
    }
    for (const h of ['location', 'www-authenticate', 'content-location']) {
      const value = out[h];
      if (value) out[h] = await this.rewrite(value);
    }
    this.exchanges.push({
      upstream,
      method: req.method ?? 'GET',
      url,
      requestHeaders: headers,
      requestJson: parseJson(body, headers['content-type']),
      requestBytes: body.length,
      status: answer.statusCode,
      responseHeaders: out,
      responseJson: text !== undefined ? parseJson(raw, type) : undefined,
      responseText: text !== undefined && parseJson(raw, type) === undefined ? raw.toString('utf8') : undefined,
      responseBytes: raw.length,
    });
    res.writeHead(answer.statusCode, { ...out, 'content-length': String(payload.length) });
    res.end(payload);
  }

  /** Every local service origin in the text, swapped for its proxy (started on first sight). */
  private async rewrite(text: string): Promise<string> {
    const found = new Set(text.match(ORIGIN) ?? []);
    const map = new Map<string, string>();
    for (const origin of found) {
      if (this.toUpstream.has(origin)) continue; // already a proxy origin
      map.set(origin, await this.proxyFor(origin.replace('localhost', '127.0.0.1')));
    }
    return map.size === 0 ? text : text.replace(ORIGIN, (o) => map.get(o) ?? o);
  }
}

function parseJson(body: Buffer, type: string | undefined): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  if (!(type ?? '').includes('json') && !/^\s*[{[]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

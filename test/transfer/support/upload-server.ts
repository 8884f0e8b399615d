/**
 * A destination over HTTP (node:http, 127.0.0.1, port 0): PUT /objects/<key> hashes and
 * counts the upload without keeping it; GET answers what it holds as JSON
 * ({size, md5, sha512, complete}), DELETE forgets it. Optionally slow (reads at a set
 * rate, pausing the request so TCP pushes back) or lying about its digests.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredCopy {
  size: number;
  md5: string;
  sha512: string;
  complete: boolean;
}

export interface UploadBehaviour {
  /** Read the upload at about this rate. */
  bytesPerSecond?: number;
  /** Report these digests instead of the real ones. */
  lie?: { md5?: string; sha512?: string };
  /** Do not hash (benchmarks: the destination's CPU is not what is measured). */
  countOnly?: boolean;
  /** Hash only these (a Glance destination computes md5 only, unless os_hash_algo is set); default both. */
  digests?: readonly ('md5' | 'sha512')[];
  /** Answer 403 and close the connection once this many bytes arrived. */
  refuseAfter?: number;
}

export class UploadServer {
  readonly stored = new Map<string, StoredCopy>();
  puts = 0;
  deletes = 0;
  url = '';
  private constructor(
    public behaviour: UploadBehaviour,
    private readonly server: Server,
  ) {}

  static async start(behaviour: UploadBehaviour = {}): Promise<UploadServer> {
    let self: UploadServer | undefined;
    const server = createServer((req, res) => void self!.route(req, res));
    self = new UploadServer(behaviour, server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    self.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/objects`;
    return self;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    if (req.method === 'PUT') return this.receive(key, req, res);
    if (req.method === 'DELETE') {
      this.deletes++;
      const had = this.stored.delete(key);
      return void res.writeHead(had ? 204 : 404).end();
    }
    const copy = this.stored.get(key);
    if (!copy) return void res.writeHead(404).end();
    const lie = this.behaviour.lie ?? {};
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...copy, md5: lie.md5 ?? copy.md5, sha512: lie.sha512 ?? copy.sha512 }));
  }

  private async receive(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.puts++;
    const wanted = this.behaviour.countOnly ? [] : (this.behaviour.digests ?? ['md5', 'sha512']);
    const hashMd5 = wanted.includes('md5');
    const hashSha512 = wanted.includes('sha512');
    const md5 = createHash('md5');
    const sha512 = createHash('sha512');
    const copy: StoredCopy = { size: 0, md5: '', sha512: '', complete: false };
    this.stored.set(key, copy);
    const rate = this.behaviour.bytesPerSecond;
    const started = performance.now();
    req.on('data', (chunk: Buffer) => {
      copy.size += chunk.length;
      const refuse = this.behaviour.refuseAfter;
      if (refuse !== undefined && copy.size >= refuse && !res.headersSent) {
        res.writeHead(403, { connection: 'close' }).end('quota exceeded');
        req.socket.destroy();
        return;
      }
      if (hashMd5) md5.update(chunk);
      if (hashSha512) sha512.update(chunk);
      if (rate) {
        const due = (copy.size / rate) * 1000 - (performance.now() - started);
        if (due > 1) {
          req.pause();
          setTimeout(() => req.resume(), due);
        }
      }
    });
    req.on('end', () => {
      copy.complete = true;
      if (hashMd5) copy.md5 = md5.digest('hex');
      if (hashSha512) copy.sha512 = sha512.digest('hex');
      res.writeHead(201).end();
    });
  }
}

/** A TransferSource and a TransferSink over plain HTTP (undici), for the two test servers. */
import { request } from 'undici';
import type { ArrivedCopy, Checksums, DigestAlgorithm, OpenedSource, TransferSink, TransferSource } from '../../../src/transfer/index.js';

export function httpSource(url: string): TransferSource & { opens: number } {
  const source = {
    opens: 0,
    async open(signal: AbortSignal): Promise<OpenedSource> {
      source.opens++;
      const res = await request(url, { signal });
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new Error(`GET ${url} answered ${res.statusCode}`);
      }
      const length = res.headers['content-length'];
      const checksums: Checksums = {
        ...(typeof res.headers['x-md5'] === 'string' ? { md5: res.headers['x-md5'] } : {}),
        ...(typeof res.headers['x-sha512'] === 'string' ? { sha512: res.headers['x-sha512'] } : {}),
      };
      return { stream: res.body, size: typeof length === 'string' ? Number(length) : null, checksums };
    },
  };
  return source;
}

/** `reports`: what the sink declares its verify() reports (undefined: says nothing, so copy() hashes everything). */
export function httpSink(url: string, reports?: readonly DigestAlgorithm[]): TransferSink & { writes: number; discards: number } {
  const sink = {
    ...(reports ? { reports } : {}),
    writes: 0,
    discards: 0,
    async write(stream: import('node:stream').Readable, size: number | null, signal: AbortSignal): Promise<void> {
      sink.writes++;
      const res = await request(url, { method: 'PUT', body: stream, headers: size === null ? {} : { 'content-length': String(size) }, signal });
      await res.body.dump();
      if (res.statusCode >= 300) throw new Error(`PUT ${url} answered ${res.statusCode}`);
    },
    async verify(signal: AbortSignal): Promise<ArrivedCopy | null> {
      const res = await request(url, { signal });
      if (res.statusCode === 404) {
        await res.body.dump();
        return null;
      }
      const r = (await res.body.json()) as { size: number; md5: string; sha512: string; complete: boolean };
      return { size: r.size, complete: r.complete, ...(r.md5 ? { md5: r.md5 } : {}), ...(r.sha512 ? { sha512: r.sha512 } : {}) };
    },
    async discard(): Promise<void> {
      sink.discards++;
      const res = await request(url, { method: 'DELETE' });
      await res.body.dump();
    },
  };
  return sink;
}

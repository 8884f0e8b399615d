import type { Readable } from 'node:stream';
import type { Reporter } from '../../events/index.js';
import { isNotFound, type Cloud } from '../../openstack/index.js';
import { normalizeDigest } from '../checks.js';
import type { ArrivedCopy, OpenedSource, TransferSink, TransferSource } from '../types.js';
import { readImageFacts, type ImageFacts } from './image-facts.js';
import { waitForImage } from './wait-for-image.js';

/**
 * A Glance image's data as a transfer source (v1 or v2). Each open is one download. The
 * source's claims are the download's checksum header (v1 `x-image-meta-checksum`, v2
 * `Content-MD5`) and, on v2, the image's `checksum` and sha512 `os_hash_value` (read once).
 */
export function imageSource(cloud: Cloud, imageId: string): TransferSource {
  let facts: Promise<ImageFacts | null> | undefined;
  return {
    async open(signal: AbortSignal): Promise<OpenedSource> {
      // v1 sends everything it knows with the data; v2 keeps the multihash in the document.
      if (cloud.capabilities.imageVersion === '2') {
        facts ??= readImageFacts(cloud, imageId, signal).catch((err: unknown) => {
          facts = undefined; // a failed read is retried by the next attempt, not remembered
          throw err;
        });
      }
      const known = (await facts) ?? undefined;
      const download = await cloud.image.download(imageId, { signal });
      const md5 = normalizeDigest('md5', download.checksum) ?? known?.md5;
      return {
        stream: download.body,
        size: download.size,
        checksums: { ...(md5 ? { md5 } : {}), ...(known?.sha512 ? { sha512: known.sha512 } : {}) },
      };
    },
  };
}

export interface ImageSinkOptions {
  /**
   * Registers a new, empty (`queued`) destination image and answers its id. Called for
   * each attempt that has no image (the first, and each after a discard): Glance cannot
   * reuse a deleted image's id, so every fresh start is a new image.
   */
  readonly create: (signal: AbortSignal) => Promise<string>;
  /** A `queued` image made before (found after a crash) to upload into first. */
  readonly imageId?: string;
  /** For `wait` events and errors. */
  readonly address?: string;
  readonly reporter?: Reporter;
  /** How long verify waits for Glance to finish storing (`saving`). Default 10 min. */
  readonly settleTimeoutMs?: number;
  readonly pollMs?: number;
}

export interface ImageSink extends TransferSink {
  /** The destination image of the current attempt (the verified one after success). */
  readonly imageId: string | undefined;
}

/**
 * Glance as a transfer sink: uploads into a queued image (made by `create`), reports the
 * image's size and digests (md5 always, so a source stating md5 needs no hashing in
 * flight) once it is no longer `saving`, and deletes it on discard. Set
 * `protected` only after the transfer: a protected image cannot be discarded.
 */
export function imageSink(cloud: Cloud, options: ImageSinkOptions): ImageSink {
  let current = options.imageId;
  const address = options.address ?? 'image';
  return {
    get imageId() {
      return current;
    },
    // Glance (v1 and v2, every release) computes the md5 `checksum` of what it stored; the
    // sha512 `os_hash_value` depends on the destination's os_hash_algo, unknown until then.
    reports: ['md5'],
    async write(stream: Readable, size: number | null, signal: AbortSignal): Promise<void> {
      try {
        current ??= await options.create(signal);
        await cloud.image.upload(current, stream, size ?? undefined, { signal });
      } catch (err) {
        stream.destroy();
        throw err;
      }
    },
    async verify(signal: AbortSignal): Promise<ArrivedCopy | null> {
      if (current === undefined) return null;
      const facts = await waitForImage(cloud, current, {
        address,
        signal,
        through: ['saving'],
        timeoutMs: options.settleTimeoutMs ?? 600_000,
        pollMs: options.pollMs ?? 2_000,
        ...(options.reporter ? { reporter: options.reporter } : {}),
      });
      if (facts === null) return null;
      return {
        complete: facts.status === 'active',
        ...(facts.size !== null ? { size: facts.size } : {}),
        ...(facts.md5 ? { md5: facts.md5 } : {}),
        ...(facts.sha512 ? { sha512: facts.sha512 } : {}),
      };
    },
    async discard(): Promise<void> {
      if (current === undefined) return;
      try {
        await cloud.image.delete(current);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      current = undefined;
    },
  };
}

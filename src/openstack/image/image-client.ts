import type { Readable } from 'node:stream';
import type { Image, ImageFilter, ImageInput, ImageMember, ImagePatch } from '../types/image.js';

/** An image's data as a stream, with what the cloud said about it. */
export interface ImageDownload {
  /** Consume or destroy it; the body timeout still applies between chunks. */
  readonly body: Readable;
  /** Content-Length; null when the cloud streams without one. */
  readonly size: number | null;
  /** MD5 hex from `Content-MD5` (v2) or `x-image-meta-checksum`/ETag (v1); null when absent. */
  readonly checksum: string | null;
}

export interface TransferOptions {
  readonly signal?: AbortSignal;
  /** Longest wait for Glance's answer once all data is sent (it stores the data first). Default 10 min. */
  readonly finishTimeoutMs?: number;
}

/** Glance, the same shape over v1 and v2 (legacy-apis.md §3). */
export interface ImageClient {
  readonly version: '1' | '2';
  list(filter?: ImageFilter): Promise<Image[]>;
  iterate(filter?: ImageFilter): AsyncIterable<Image>;
  get(id: string): Promise<Image>;
  /** Registers an image (`queued`, no data yet). Not retried. */
  create(input: ImageInput): Promise<Image>;
  update(id: string, patch: ImagePatch): Promise<Image>;
  delete(id: string): Promise<void>;
  download(id: string, opts?: TransferOptions): Promise<ImageDownload>;
  /**
   * Streams data into a `queued` image without buffering it. `size` (bytes) is sent as
   * Content-Length when known. A stream cannot be replayed: no retry, no re-auth replay.
   */
  upload(id: string, data: Readable, size: number | undefined, opts?: TransferOptions): Promise<void>;
  listMembers(id: string): Promise<ImageMember[]>;
  /** Shares the image with a project; an existing membership is success. */
  addMember(id: string, projectId: string): Promise<void>;
  removeMember(id: string, projectId: string): Promise<void>;
  /** v2 only (accept a share as the member or an admin); v1 throws PH_CLOUD_UNSUPPORTED. */
  setMemberStatus(id: string, projectId: string, status: 'accepted' | 'rejected' | 'pending'): Promise<void>;
}

export const DEFAULT_FINISH_TIMEOUT_MS = 600_000;

import type { Cloud } from '../../openstack/index.js';
import { copy, imageSink, imageSource, type TransferResult } from '../../transfer/index.js';
import type { DataStep } from './data-step.js';
import { stepReporter } from './step-reporter.js';

export interface ImageCopy {
  readonly source: Cloud;
  readonly sourceImageId: string;
  readonly destination: Cloud;
  /** A `queued` destination image (made by an earlier step) to upload into first. */
  readonly into?: string;
  /**
   * Registers a fresh, empty destination image and answers its id: for the first attempt
   * when there is no `into`, and after each discarded attempt (Glance cannot reuse the id
   * of a deleted image). It must make the image findable after a crash (marker, recorded
   * temporary) before answering.
   */
  readonly create: () => Promise<string>;
  /** What the plan recorded about the bytes (image checksum and size), checked too. */
  readonly expected?: { readonly md5?: string; readonly size?: number };
  /** Progress label ("image data", "snapshot data", "volume data"). */
  readonly label: string;
}

export interface CopiedImage {
  /** The destination image holding the verified bytes. */
  readonly imageId: string;
  readonly result: TransferResult;
}

/**
 * Streams a Glance image of one cloud into a Glance image of the other through src/transfer:
 * the source's claims and `expected` checked against the digest the destination reports of
 * what it stored (a digest is hashed in flight only when no claim can be compared without
 * it: see src/transfer), a wrong or broken copy discarded and retried from scratch,
 * progress through `ctx.progress`. Throws the transfer's PumphouseError; then the
 * destination holds no copy of this attempt.
 */
export async function copyImageData(s: DataStep, c: ImageCopy): Promise<CopiedImage> {
  const reporter = stepReporter(s.ctx, c.label);
  const sink = imageSink(c.destination, {
    ...(c.into !== undefined ? { imageId: c.into } : {}),
    create: () => c.create(),
    address: s.address,
    reporter,
    pollMs: s.settings.pollIntervalMs,
  });
  const expected = {
    ...(c.expected?.md5 ? { md5: c.expected.md5.toLowerCase() } : {}),
    ...(c.expected?.size !== undefined ? { size: c.expected.size } : {}),
  };
  const result = await copy(imageSource(c.source, c.sourceImageId), sink, {
    id: s.action.id,
    address: s.address,
    label: c.label,
    reporter,
    signal: s.ctx.signal,
    retries: s.settings.transferRetries,
    retryDelayMs: s.settings.transferRetryDelayMs,
    ...(Object.keys(expected).length > 0 ? { expected } : {}),
  });
  return { imageId: sink.imageId!, result };
}

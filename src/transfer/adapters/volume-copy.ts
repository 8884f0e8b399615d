import { emit } from '../../events/index.js';
import type { Cloud } from '../../openstack/index.js';
import { copy } from '../copy.js';
import type { CopyOptions, TransferResult } from '../types.js';
import { volumeSource } from './cinder-volume.js';
import { imageSink } from './glance-image.js';

export interface VolumeCopyOptions extends CopyOptions {
  /** Name of the temporary images (source and destination). */
  readonly imageName: string;
  /** Properties of the destination image, e.g. a marker naming the source volume. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Upload an `in-use` source volume (see VolumeSourceOptions.force). */
  readonly force?: boolean;
  readonly diskFormat?: string;
  readonly uploadTimeoutMs?: number;
  readonly pollMs?: number;
}

export interface VolumeCopyResult extends TransferResult {
  /** The destination image holding the verified data: create the volume from it, then delete it. */
  readonly imageId: string;
}

/**
 * The data path of a volume: source volume -> Cinder upload to a temporary image -> that
 * image streamed into a new destination image (checked, retried as `copy` does). Creating
 * the destination volume from `imageId` (and deleting that image afterwards) is left to
 * the caller, which knows the volume's name, type, zone and metadata. The temporary
 * source image is deleted whatever happens; if that fails a warning names it.
 */
export async function copyVolumeData(source: Cloud, destination: Cloud, volumeId: string, options: VolumeCopyOptions): Promise<VolumeCopyResult> {
  const diskFormat = options.diskFormat ?? 'raw';
  const from = volumeSource(source, volumeId, {
    imageName: options.imageName,
    diskFormat,
    address: options.address,
    ...(options.force !== undefined ? { force: options.force } : {}),
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.uploadTimeoutMs !== undefined ? { uploadTimeoutMs: options.uploadTimeoutMs } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  });
  const to = imageSink(destination, {
    address: options.address,
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    create: async () =>
      (
        await destination.image.create({
          name: options.imageName,
          diskFormat,
          containerFormat: 'bare',
          ...(options.properties ? { properties: options.properties } : {}),
        })
      ).id,
  });
  try {
    const result = await copy(from, to, { label: 'volume data', ...options });
    return { ...result, imageId: to.imageId! };
  } finally {
    const temporary = from.imageId;
    await from.close().catch((err: unknown) =>
      emit(options.reporter, 'log', 'warn', `${options.address}: the temporary source image ${temporary} could not be deleted (${err instanceof Error ? err.message : String(err)}); delete it by hand`, {
        text: `temporary source image ${temporary} left behind`,
      }),
    );
  }
}

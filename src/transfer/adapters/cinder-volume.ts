import { PumphouseError } from '../../errors/index.js';
import type { Reporter } from '../../events/index.js';
import { isAmbiguous, isNotFound, type Cloud } from '../../openstack/index.js';
import type { OpenedSource, TransferSource } from '../types.js';
import { imageSource } from './glance-image.js';
import { waitForImage } from './wait-for-image.js';

export interface VolumeSourceOptions {
  /** Name of the temporary Glance image Cinder writes the volume into. */
  readonly imageName: string;
  /** Upload an `in-use` volume (Cinder must allow it: `enable_force_upload`). */
  readonly force?: boolean;
  /** Default raw: what Cinder can turn back into a volume anywhere. */
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  readonly address?: string;
  readonly reporter?: Reporter;
  /** Longest wait for Cinder to fill the image. Default 6 h (big volumes, slow backends). */
  readonly uploadTimeoutMs?: number;
  readonly pollMs?: number;
}

export interface VolumeSource extends TransferSource {
  /** The temporary source image, once Cinder was asked for it. */
  readonly imageId: string | undefined;
  /** Deletes the temporary source image (absent is fine). Call after the transfer, whatever happened. */
  close(): Promise<void>;
}

/** Statuses of an image Cinder is still writing. */
const FILLING = ['queued', 'saving', 'uploading', 'importing'];

/**
 * A Cinder volume's data as a transfer source: the first open asks Cinder to copy the
 * volume into a Glance image (`os-volume_upload_image`) and waits until the image is
 * active; every open then downloads that image, so a retried transfer does not make
 * Cinder copy the volume again. A killed image is PH_CLOUD_OBJECT_FAILED.
 */
export function volumeSource(cloud: Cloud, volumeId: string, options: VolumeSourceOptions): VolumeSource {
  const volumes = cloud.volume?.volumes;
  const address = options.address ?? `volume ${volumeId}`;
  let imageId: string | undefined;
  let ready = false;
  const requestUpload = async (): Promise<string> => {
    try {
      return await volumes!.uploadToImage(volumeId, {
        imageName: options.imageName,
        diskFormat: options.diskFormat ?? 'raw',
        containerFormat: options.containerFormat ?? 'bare',
        ...(options.force !== undefined ? { force: options.force } : {}),
      });
    } catch (err) {
      // The POST may have taken effect (5xx, connection lost after sending): the image it
      // made carries our name; adopt it rather than make Cinder copy the volume twice.
      if (!isAmbiguous(err)) throw err;
      const made = await cloud.image.list({ name: options.imageName });
      if (made.length !== 1) throw err;
      return made[0]!.id;
    }
  };
  return {
    get imageId() {
      return imageId;
    },
    async open(signal: AbortSignal): Promise<OpenedSource> {
      if (!volumes) throw new PumphouseError('PH_CATALOG_MISSING', `${address}: the source cloud has no block storage (Cinder) endpoint`, { address, source: 'cloud' });
      imageId ??= await requestUpload();
      if (!ready) {
        const facts = await waitForImage(cloud, imageId, {
          address,
          signal,
          through: FILLING,
          timeoutMs: options.uploadTimeoutMs ?? 6 * 3600_000,
          pollMs: options.pollMs ?? 5_000,
          ...(options.reporter ? { reporter: options.reporter } : {}),
        });
        if (facts?.status !== 'active') {
          throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${address}: Cinder's copy of volume ${volumeId} into image ${imageId} ended ${facts ? `with status ${facts.status}` : 'with the image gone'}`, {
            address,
            source: 'cloud',
            details: { volume_id: volumeId, image_id: imageId, status: facts?.status ?? null },
          });
        }
        ready = true;
      }
      return imageSource(cloud, imageId).open(signal);
    },
    async close(): Promise<void> {
      if (imageId === undefined) return;
      try {
        await cloud.image.delete(imageId);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      imageId = undefined;
      ready = false;
    },
  };
}

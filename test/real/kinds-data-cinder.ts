/** Cinder and Glance helpers of the data/compute real-cloud tests. */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Cloud } from '../../src/openstack/index.js';
import { until } from './kinds-data-harness.js';

const BASE = process.env['PUMPHOUSE_TESTBED_BASE'] ?? '/var/tmp/pumphouse-testbed';

/** Registers and uploads a raw image; answers its id once active. */
export async function uploadRawImage(cloud: Cloud, name: string, data: Buffer, properties: Record<string, string> = {}): Promise<string> {
  const img = await cloud.image.create({ name, diskFormat: 'raw', containerFormat: 'bare', properties });
  await cloud.image.upload(img.id, Readable.from([data]), data.length);
  await until(`image ${img.id} active`, async () => ((await cloud.image.get(img.id)).status === 'active' ? true : undefined));
  return img.id;
}

export async function waitVolumeStatus(cloud: Cloud, id: string, status: string, timeoutS = 300): Promise<void> {
  await until(
    `volume ${id} ${status}`,
    async () => {
      const v = await cloud.volume!.volumes.get(id);
      if (v.status.startsWith('error')) throw new Error(`volume ${id} is ${v.status}`);
      return v.status === status ? true : undefined;
    },
    timeoutS,
  );
}

export async function deleteVolumeAndWait(cloud: Cloud, id: string): Promise<void> {
  await cloud.volume!.volumes.delete(id);
  await until(`volume ${id} gone`, async () => {
    try {
      await cloud.volume!.volumes.get(id);
      return undefined;
    } catch {
      return true;
    }
  });
}

/**
 * A digest of every byte of a volume: sha256 of its file when the testbed's NFS-as-directory
 * store is on this machine (volumes are sparse files there), else the md5 Glance computes of a
 * raw upload of the volume (the upload image is deleted after).
 */
export async function volumeDigest(cloud: Cloud, side: 'source' | 'destination', id: string): Promise<{ digest: string; how: string }> {
  const file = localVolumeFile(side, id);
  if (file) {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) h.update(chunk as Buffer);
    return { digest: h.digest('hex'), how: 'sha256 of the volume files' };
  }
  const imageId = await cloud.volume!.volumes.uploadToImage(id, { imageName: `phd-digest-${id}`, diskFormat: 'raw' });
  try {
    const checksum = await until(`digest image ${imageId}`, async () => {
      const i = await cloud.image.get(imageId);
      if (i.status === 'killed') throw new Error(`digest image ${imageId} killed`);
      return i.status === 'active' ? (i.checksum ?? '') : undefined;
    }, 600);
    await waitVolumeStatus(cloud, id, 'available');
    return { digest: checksum, how: "md5 of Glance's raw uploads" };
  } finally {
    await cloud.image.delete(imageId).catch(() => undefined);
  }
}

function localVolumeFile(side: string, id: string): string | null {
  const mnt = join(BASE, side, 'data', 'cinder', 'mnt');
  if (!existsSync(mnt)) return null;
  for (const dir of readdirSync(mnt)) {
    const f = join(mnt, dir, `volume-${id}`);
    if (existsSync(f)) return f;
  }
  return null;
}

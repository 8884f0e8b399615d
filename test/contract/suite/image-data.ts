import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Image } from '../../../src/openstack/index.js';
import type { Ledger } from './ledger.js';
import type { ContractRun } from './contract-run.js';

/** Random bytes with the checksums Glance keeps (MD5) and the one the suite compares (SHA-256). */
export interface TestBytes {
  readonly data: Buffer;
  readonly md5: string;
  readonly sha256: string;
}

export function testBytes(size: number): TestBytes {
  const data = randomBytes(size);
  return { data, md5: createHash('md5').update(data).digest('hex'), sha256: createHash('sha256').update(data).digest('hex') };
}

/** Reads a stream to the end and answers its length and hashes. */
export async function digestOf(body: Readable): Promise<{ readonly size: number; readonly md5: string; readonly sha256: string }> {
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    size += b.length;
    md5.update(b);
    sha.update(b);
  }
  return { size, md5: md5.digest('hex'), sha256: sha.digest('hex') };
}

/** A raw image holding `bytes`, registered in `ledger`; answers it once `active`. */
export async function uploadedImage(run: ContractRun, ledger: Ledger, what: string, bytes: TestBytes): Promise<Image> {
  const glance = run.cloud.image;
  const name = run.name(what);
  const image = await glance.create({ name, diskFormat: 'raw', containerFormat: 'bare' });
  ledger.add(image.id, { label: `image ${name} (${image.id})`, remove: () => glance.delete(image.id) });
  await glance.upload(image.id, Readable.from([bytes.data]), bytes.data.length);
  return glance.get(image.id);
}

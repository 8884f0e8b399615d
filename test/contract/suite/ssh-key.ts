import { createHash, generateKeyPairSync } from 'node:crypto';

/** An OpenSSH public key line and the MD5 fingerprint Nova computes for it. */
export interface SshPublicKey {
  readonly line: string;
  /** `aa:bb:...` (16 bytes), as Nova reports `fingerprint` for ssh keys. */
  readonly md5Fingerprint: string;
}

/** A fresh ed25519 public key in OpenSSH format (`ssh-ed25519 <base64> <comment>`). */
export function newSshPublicKey(comment: string): SshPublicKey {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const field = (b: Buffer): Buffer => Buffer.concat([u32(b.length), b]);
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  const digest = createHash('md5').update(blob).digest('hex');
  return { line: `ssh-ed25519 ${blob.toString('base64')} ${comment}`, md5Fingerprint: digest.match(/../g)?.join(':') ?? digest };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

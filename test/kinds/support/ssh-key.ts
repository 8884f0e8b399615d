import { createHash, generateKeyPairSync } from 'node:crypto';

/** A fresh OpenSSH `ssh-rsa` public key and its MD5 fingerprint as Nova shows it. */
export function sshPublicKey(comment = 'phk-test'): { publicKey: string; fingerprint: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const part = (b: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  // SSH mpints are big-endian two's complement: a leading 0 when the top bit is set.
  const mpint = (b64url: string): Buffer => {
    const raw = Buffer.from(b64url, 'base64url');
    return part(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
  };
  const blob = Buffer.concat([part(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
  const md5 = createHash('md5').update(blob).digest('hex');
  return { publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`, fingerprint: md5.match(/../g)!.join(':') };
}

import { createHash } from 'node:crypto';

/**
 * The password the generator gives a user: derivable from the seed and the user name, so
 * tests and `pumphouse sim` can log in as any generated user without a lookup.
 */
export function generatedPassword(seed: number | string, userName: string): string {
  return `pw-${createHash('sha256').update(`${seed}\u0000${userName}`).digest('hex').slice(0, 12)}`;
}

/** `tenant-0007` (4 digits up to 9999, more beyond). */
export function tenantName(prefix: string, index: number): string {
  return `${prefix}-${String(index + 1).padStart(4, '0')}`;
}

/** A syntactically valid OpenSSH RSA public key line, deterministic from its label. */
export function publicKeyFor(seed: number | string, label: string): { readonly publicKey: string; readonly fingerprint: string } {
  const parts: Buffer[] = [];
  const field = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  field(Buffer.from('ssh-rsa'));
  field(Buffer.from([0x01, 0x00, 0x01]));
  const modulus = Buffer.alloc(257);
  for (let i = 0, block = 0; i < 256; block++) {
    const h = createHash('sha256').update(`${seed}\u0000${label}\u0000${block}`).digest();
    h.copy(modulus, 1 + i, 0, Math.min(32, 256 - i));
    i += 32;
  }
  modulus[1] = modulus[1]! | 0x80;
  field(modulus);
  const blob = Buffer.concat(parts);
  const md5 = createHash('md5').update(blob).digest('hex');
  return { publicKey: `ssh-rsa ${blob.toString('base64')} Generated-by-Nova`, fingerprint: md5.match(/../g)!.join(':') };
}

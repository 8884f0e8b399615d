/**
 * SHA-512 crypt (`$6$`), as specified by U. Drepper ("Unix crypt using SHA-256 and
 * SHA-512", 2007), written from the spec for tests: it makes real Havana-style hashes
 * (`$6$rounds=40000$<salt>$<86 chars>`, passlib's format) without a Python dependency.
 * Checked against the spec's test vector and, where present, glibc/libxcrypt via python3.
 */
import { createHash } from 'node:crypto';

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// The spec's byte order for encoding the 64-byte digest, three bytes at a time.
const ORDER: ReadonlyArray<readonly [number, number, number]> = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

const sha512 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Repeats `block` to exactly `length` bytes. */
function stretch(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
}

function encode24(b2: number, b1: number, b0: number, chars: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < chars; i++) {
    out += ALPHABET[w & 0x3f];
    w >>= 6;
  }
  return out;
}

/**
 * Hashes `password` with `salt` (at most 16 characters are used). `rounds` undefined means
 * the spec's implicit 5000 with no `rounds=` field, as `openssl passwd -6` writes it.
 */
export function sha512Crypt(password: string, salt: string, rounds?: number): string {
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const n = rounds === undefined ? 5000 : Math.min(999_999_999, Math.max(1000, rounds));

  const b = sha512(p, s, p);
  const a = createHash('sha512').update(p).update(s);
  let left = p.length;
  for (; left > 64; left -= 64) a.update(b);
  a.update(b.subarray(0, left));
  for (let bits = p.length; bits > 0; bits >>= 1) a.update(bits & 1 ? b : p);
  let digest = a.digest();

  const pSeq = stretch(sha512(...Array<Buffer>(p.length).fill(p)), p.length);
  const sSeq = stretch(sha512(...Array<Buffer>(16 + digest[0]!).fill(s)), s.length);

  for (let i = 0; i < n; i++) {
    const c = createHash('sha512');
    c.update(i & 1 ? pSeq : digest);
    if (i % 3 !== 0) c.update(sSeq);
    if (i % 7 !== 0) c.update(pSeq);
    c.update(i & 1 ? digest : pSeq);
    digest = c.digest();
  }

  let out = ORDER.map(([x, y, z]) => encode24(digest[x]!, digest[y]!, digest[z]!, 4)).join('');
  out += encode24(0, 0, digest[63]!, 2);
  return `$6$${rounds === undefined ? '' : `rounds=${n}$`}${s.toString('utf8')}$${out}`;
}

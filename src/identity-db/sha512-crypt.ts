import { createHash } from 'node:crypto';

/**
 * SHA-512 crypt (`$6$`, U. Drepper's specification), the hash Havana..Juno Keystone stores
 * (passlib sha512_crypt, `$6$rounds=40000$<salt>$<86 chars>`). Written from the spec.
 */
const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ORDER: ReadonlyArray<readonly [number, number, number]> = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

function digest(parts: readonly Buffer[]): Buffer {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
}

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
}

function b64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ALPHABET[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

/** `$6$rounds=N$salt$hash` of `password`; salt is cut to 16 characters as the spec says. */
export function sha512Crypt(password: string, salt: string, rounds = 5000): string {
  const r = Math.min(999_999_999, Math.max(1000, rounds));
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const b = digest([p, s, p]);
  const aParts: Buffer[] = [p, s, repeatTo(b, p.length)];
  for (let n = p.length; n > 0; n >>= 1) aParts.push(n & 1 ? b : p);
  const a = digest(aParts);
  const pBytes = repeatTo(digest(Array.from({ length: p.length }, () => p)), p.length);
  const sBytes = repeatTo(digest(Array.from({ length: 16 + a[0]! }, () => s)), s.length);
  let c = a;
  for (let i = 0; i < r; i++) {
    const parts: Buffer[] = [i & 1 ? pBytes : c];
    if (i % 3) parts.push(sBytes);
    if (i % 7) parts.push(pBytes);
    parts.push(i & 1 ? c : pBytes);
    c = digest(parts);
  }
  let out = '';
  for (const [x, y, z] of ORDER) out += b64(c[x]!, c[y]!, c[z]!, 4);
  out += b64(0, 0, c[63]!, 2);
  const roundsPart = rounds === 5000 && !/rounds=/.test(salt) ? '' : `rounds=${r}$`;
  return `$6$${roundsPart}${s.toString('utf8')}$${out}`;
}

/** Checks `password` against a `$6$[rounds=N$]salt$hash` string. */
export function verifySha512Crypt(password: string, hash: string): boolean {
  const m = /^\$6\$(?:rounds=(\d+)\$)?([^$]{0,16})\$([./0-9A-Za-z]{86})$/.exec(hash);
  if (!m) return false;
  const rounds = m[1] ? Number(m[1]) : 5000;
  const again = sha512Crypt(password, m[2]!, rounds);
  const got = again.slice(again.lastIndexOf('$') + 1);
  return got === m[3];
}

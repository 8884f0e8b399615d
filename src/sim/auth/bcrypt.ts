/**
 * bcrypt (`$2b$`), the hash modern Keystone stores by default (legacy-apis.md §1.4). node:crypto
 * has no Blowfish, so this is eksblowfish written from Provos & Mazieres' paper. The Blowfish
 * initial state is the hex fraction of pi, computed once here with BigInt (Machin's formula)
 * instead of a 4 KB table of constants.
 */
const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

let PI_WORDS: Uint32Array | undefined;

/** The first 1042 32-bit words of pi's fraction: 18 for P, 1024 for the four S-boxes. */
function piWords(): Uint32Array {
  if (PI_WORDS) return PI_WORDS;
  const words = 18 + 1024;
  const bits = BigInt(words * 32 + 64);
  const one = 1n << bits;
  const atanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 1n; term !== 0n; k += 2n) {
      sum += (k & 2n ? -term : term) / k;
      term /= x2;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  let frac = pi - 3n * one;
  const out = new Uint32Array(words);
  for (let i = 0; i < words; i++) {
    frac <<= 32n;
    out[i] = Number(frac >> bits);
    frac &= one - 1n;
  }
  PI_WORDS = out;
  return out;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;

  constructor() {
    const init = piWords();
    this.p = init.slice(0, 18);
    this.s = init.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return ((((s[x >>> 24]! + s[256 | ((x >>> 16) & 0xff)]!) >>> 0) ^ s[512 | ((x >>> 8) & 0xff)]!) + s[768 | (x & 0xff)]!) >>> 0;
  }

  encipher(lr: Uint32Array, off: number): void {
    const p = this.p;
    let l = lr[off]!;
    let r = lr[off + 1]!;
    l ^= p[0]!;
    for (let i = 1; i <= 16; i += 2) {
      r ^= this.f(l) ^ p[i]!;
      l ^= this.f(r) ^ p[i + 1]!;
    }
    lr[off] = (r ^ p[17]!) >>> 0;
    lr[off + 1] = l >>> 0;
  }

  /** ExpandKey(state, salt, key); `salt` undefined = all zero. */
  expand(key: Uint8Array, salt: Uint8Array | undefined): void {
    const kp = { i: 0 };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ streamWord(key, kp)) >>> 0;
    const lr = new Uint32Array(2);
    const sp = { i: 0 };
    const fill = (target: Uint32Array, n: number) => {
      for (let i = 0; i < n; i += 2) {
        if (salt) {
          lr[0] = (lr[0]! ^ streamWord(salt, sp)) >>> 0;
          lr[1] = (lr[1]! ^ streamWord(salt, sp)) >>> 0;
        }
        this.encipher(lr, 0);
        target[i] = lr[0]!;
        target[i + 1] = lr[1]!;
      }
    };
    fill(this.p, 18);
    fill(this.s, 1024);
  }
}

function streamWord(data: Uint8Array, pos: { i: number }): number {
  let w = 0;
  for (let k = 0; k < 4; k++) {
    w = ((w << 8) | data[pos.i]!) >>> 0;
    pos.i = (pos.i + 1) % data.length;
  }
  return w;
}

function encode(bytes: Uint8Array, chars: number): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    out += ALPHABET[b0 >>> 2]! + ALPHABET[((b0 & 3) << 4) | (b1 >>> 4)]! + ALPHABET[((b1 & 0xf) << 2) | (b2 >>> 6)]! + ALPHABET[b2 & 0x3f]!;
  }
  return out.slice(0, chars);
}

function decode(text: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let acc = 0;
  let nbits = 0;
  let j = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error('bad bcrypt base64');
    acc = (acc << 6) | v;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      if (j < bytes) out[j++] = (acc >>> nbits) & 0xff;
    }
  }
  return out;
}

/**
 * `$2b$<cost>$<22 salt chars><31 hash chars>`. `salt16` are 16 raw bytes. The password is
 * UTF-8 with a NUL terminator, cut at 72 bytes (`$2b$` semantics).
 */
export function bcryptHash(password: string, salt16: Uint8Array, cost = 12): string {
  if (salt16.length !== 16) throw new RangeError('bcrypt salt must be 16 bytes');
  if (cost < 4 || cost > 31) throw new RangeError('bcrypt cost must be 4..31');
  return run(password, salt16, cost, encode(salt16, 22));
}

function run(password: string, salt: Uint8Array, cost: number, saltText: string): string {
  const key = new Uint8Array([...Buffer.from(password, 'utf8').subarray(0, 72), 0].slice(0, 72));
  const bf = new Blowfish();
  bf.expand(key, salt);
  for (let i = 0, n = 2 ** cost; i < n; i++) {
    bf.expand(key, undefined);
    bf.expand(salt, undefined);
  }
  const ctext = new Uint32Array(6);
  const magic = Buffer.from('OrpheanBeholderScryDoubt', 'latin1');
  for (let i = 0; i < 6; i++) ctext[i] = magic.readUInt32BE(i * 4);
  for (let i = 0; i < 64; i++) for (let j = 0; j < 6; j += 2) bf.encipher(ctext, j);
  const raw = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) raw.writeUInt32BE(ctext[i]!, i * 4);
  return `$2b$${String(cost).padStart(2, '0')}$${saltText}${encode(raw.subarray(0, 23), 31)}`;
}

/** Checks a password against `$2a$`/`$2b$`/`$2y$` hashes. */
export function verifyBcrypt(password: string, hash: string): boolean {
  const m = /^\$2[aby]\$(\d\d)\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/.exec(hash);
  if (!m) return false;
  const salt = decode(m[2]!, 16);
  const again = run(password, salt, Number(m[1]), m[2]!);
  return again.slice(-31) === m[3];
}

// Transfer bench: one run measures, over the same loopback servers (in a child process, so
// their memory and buffers are not this process's),
//   (a) raw: an undici GET body piped as the body of an undici PUT, nothing else;
//   (b) transfer: copy() between the same servers, every claim checked: the source's
//       announced md5 against the md5 the destination computed (as Glance does), sizes at
//       both ends; with --digests all, md5 + sha512 also computed in flight;
// alternately for --rounds rounds, and prints each throughput, the ratio of medians
// (goal >= 0.9) and the peak RSS of this process during (b) (goal < 150 MB at 4 GiB).
// The destination computes the md5 of every upload, (a)'s too, like a Glance would; the
// source's digests are computed once at start-up.
//
//   node --import tsx bench/transfer.ts [--size 4GiB] [--rounds 3] [--hashing auto|inline|threads] [--digests needed|all]
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { copy, type DigestChoice, type Hashing } from '../src/transfer/index.js';
import { DataServer } from '../test/transfer/support/data-server.js';
import { digestsOf } from '../test/transfer/support/generated-bytes.js';
import { httpSink, httpSource } from '../test/transfer/support/http-ends.js';
import { UploadServer } from '../test/transfer/support/upload-server.js';

const MiB = 1024 * 1024;

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB)?$/i.exec(text.trim());
  if (!m) throw new Error(`--size ${text}: expected a number with an optional unit (B, KiB, MiB, GiB, TiB)`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const power = ['b', 'kib', 'mib', 'gib', 'tib'].indexOf(unit);
  return Math.round(Number(m[1]) * 1024 ** power);
}

interface Ports {
  readonly source: string;
  readonly destination: string;
}

/** Child process: the two servers. */
async function serve(size: number): Promise<void> {
  const claims = digestsOf(size);
  const src = await DataServer.start({ size, claims });
  const dst = await UploadServer.start({ digests: ['md5'] });
  process.send!({ source: src.url, destination: dst.url } satisfies Ports);
  process.on('disconnect', () => void Promise.all([src.close(), dst.close()]).then(() => process.exit(0)));
}

/** Samples this process's RSS every 100 ms while `run` runs; also its CPU time (all threads). */
async function withPeakRss<T>(run: () => Promise<T>): Promise<{ value: T; peakRss: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => void (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const value = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    const used = process.cpuUsage(cpu);
    return { value, peakRss: peak, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

async function raw(ports: Ports, size: number, key: string): Promise<number> {
  const started = performance.now();
  const get = await request(ports.source);
  const put = await request(`${ports.destination}/${key}`, { method: 'PUT', body: get.body, headers: { 'content-length': String(size) } });
  await put.body.dump();
  if (put.statusCode !== 201) throw new Error(`raw PUT answered ${put.statusCode}`);
  return performance.now() - started;
}

async function transfer(ports: Ports, size: number, key: string, hashing: Hashing, digests: DigestChoice): Promise<number> {
  const started = performance.now();
  const sink = httpSink(`${ports.destination}/${key}`, ['md5']);
  const result = await copy(httpSource(ports.source), sink, { id: 'bench', address: 'bench', retries: 0, hashing, digests });
  if (result.bytes !== size) throw new Error(`copied ${result.bytes} bytes, expected ${size}`);
  const want = ['destination size', 'destination md5', 'source md5', 'source size', ...(digests === 'all' ? ['source sha512'] : [])];
  if (want.some((c) => !result.checks.includes(c as never))) throw new Error(`checks made: ${result.checks.join(', ')}`);
  return performance.now() - started;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const rate = (size: number, ms: number): number => size / MiB / (ms / 1000);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '1GiB' }, rounds: { type: 'string', default: '3' }, hashing: { type: 'string', default: 'auto' }, digests: { type: 'string', default: 'needed' }, serve: { type: 'string' } } });
  if (values.serve !== undefined) return serve(Number(values.serve));
  const size = parseSize(values.size);
  const rounds = Number(values.rounds);
  const hashing = values.hashing as Hashing;
  const digests = values.digests as DigestChoice;
  const baselineRss = process.memoryUsage().rss;
  console.log(`transfer bench: ${(size / MiB).toFixed(0)} MiB x ${rounds} rounds, hashing ${hashing}, digests ${digests}, ${availableParallelism()} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('starting servers (the source precomputes its md5 and sha512)...');
  const child = fork(fileURLToPath(import.meta.url), ['--serve', String(size)], { execArgv: process.execArgv });
  const ports = await new Promise<Ports>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ports));
    child.once('exit', (code) => reject(new Error(`server process exited (${code})`)));
  });
  const rawMs: number[] = [];
  const copyMs: number[] = [];
  let peakRaw = 0;
  let peakCopy = 0;
  const rawCpu: number[] = [];
  const copyCpu: number[] = [];
  try {
    for (let r = 1; r <= rounds; r++) {
      const a = await withPeakRss(() => raw(ports, size, `raw-${r}`));
      rawMs.push(a.value);
      rawCpu.push(a.cpuMs);
      peakRaw = Math.max(peakRaw, a.peakRss);
      const b = await withPeakRss(() => transfer(ports, size, `copy-${r}`, hashing, digests));
      copyMs.push(b.value);
      copyCpu.push(b.cpuMs);
      peakCopy = Math.max(peakCopy, b.peakRss);
      console.log(`round ${r}: (a) raw ${rate(size, a.value).toFixed(0)} MiB/s, (b) transfer ${rate(size, b.value).toFixed(0)} MiB/s, ratio ${(a.value / b.value).toFixed(2)}, peak RSS (b) ${(b.peakRss / MiB).toFixed(0)} MiB`);
    }
  } finally {
    child.disconnect();
  }
  const ra = rate(size, median(rawMs));
  const rb = rate(size, median(copyMs));
  console.log(`median (a) raw GET->PUT:        ${ra.toFixed(0)} MiB/s`);
  console.log(`median (b) transfer (digests ${digests}): ${rb.toFixed(0)} MiB/s`);
  console.log(`ratio (b)/(a): ${(rb / ra).toFixed(2)} (goal >= 0.9)`);
  const perGiB = (ms: readonly number[]): string => ((median(ms) / 1000) * (1024 ** 3 / size)).toFixed(2);
  console.log(`CPU of this process (all threads) per GiB: (a) ${perGiB(rawCpu)} s, (b) ${perGiB(copyCpu)} s`);
  console.log(`RSS of this process before any transfer (node, loader, modules): ${(baselineRss / MiB).toFixed(0)} MiB`);
  console.log(`peak RSS of this process: during (a) ${(peakRaw / MiB).toFixed(0)} MiB, during (b) ${(peakCopy / MiB).toFixed(0)} MiB (goal < 150 MB = ${(150e6 / MiB).toFixed(0)} MiB)`);
  console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

await main();

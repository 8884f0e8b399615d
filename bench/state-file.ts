// State file scale bench: writes a state of N server objects with StateStore.write (pieced
// text, temp file + fsync + rename), reads it back with StateStore.read (chunked parse and
// schema check), and prints the wall and CPU time of each, the file size against V8's
// longest string, and the peak RSS. First it tries the former one-string form
// (JSON.stringify(state, null, 2)) and says whether it could have been written at all.
//
//   node --import tsx bench/state-file.ts [objects=700000]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { constants } from 'node:buffer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyState, StateStore } from '../src/state/index.js';
import { serverObjects } from '../test/state/helpers.js';

const count = Number(process.argv[2] ?? 700_000);
const MiB = 1024 * 1024;
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => void (peak = Math.max(peak, process.memoryUsage().rss)), 100);

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; wallS: number; cpuS: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wallS: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6 };
}

const objects = serverObjects(count);
const state = { ...emptyState(), objects };
const dir = mkdtempSync(join(tmpdir(), 'ph-bench-state-'));
try {
  console.log(`state-file: ${count} objects (load ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  try {
    const length = JSON.stringify(state, null, 2).length;
    console.log(`  one-string form (before): ${(length / MiB).toFixed(0)} Mi chars, within the string limit`);
  } catch (err) {
    console.log(`  one-string form (before): ${(err as Error).message} (the former write() failed here)`);
  }
  const path = join(dir, 'state.json');
  const w = await timed(() => StateStore.open(path).write(state));
  const bytes = statSync(path).size;
  console.log(`  write: ${w.wallS.toFixed(1)} s wall, ${w.cpuS.toFixed(1)} s CPU, ${(bytes / MiB).toFixed(0)} MiB (string limit ${(constants.MAX_STRING_LENGTH / MiB).toFixed(0)} Mi chars)`);
  const r = await timed(() => StateStore.open(path).read());
  if (r.value.objects.length !== count) throw new Error(`read back ${r.value.objects.length} objects`);
  console.log(`  read:  ${r.wallS.toFixed(1)} s wall, ${r.cpuS.toFixed(1)} s CPU`);
  console.log(`  peak RSS ${(peak / MiB).toFixed(0)} MiB`);
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}

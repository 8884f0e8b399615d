// State fold bench: how fast journal records fold into a state, for a small and a large
// journal. Each object gets the records apply writes for one action (pending, done,
// action_done; every 10th also a temporary made and cleaned), inside one operation.
// Three measures per size:
//   fold     applyRecords(emptyState(), records)            (the in-memory fold)
//   load     StateStore.load() of a journal file on disk     (replay after a crash, `state list`)
//   lookups  findObject(store.current, address) per object   (what apply does per action)
// Folding must be linear: records/s at the large size about equal to the small one
// (ratio ~1). A quadratic fold shows as a ratio of small/large sizes (20 for 10k -> 200k).
// Best of three runs per size.
//
//   node --import tsx bench/state-fold.ts [small=10000] [large=200000]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyRecords, emptyState, findObject, StateStore, type JournalRecord } from '../src/state/index.js';

const [small = 10_000, large = 200_000] = process.argv.slice(2).map(Number);
const at = '2026-11-26T12:00:00.000Z';
const planId = 'p-bench';

/** About `count` records: an operation start, 3 (or 5) per object, an operation end. */
function journal(count: number): { records: JournalRecord[]; addresses: string[] } {
  const records: JournalRecord[] = [{ t: 'operation_start', plan_id: planId, operation: 'apply', at }];
  const addresses: string[] = [];
  for (let i = 0; records.length < count - 1; i++) {
    const address = `tenant[t${Math.floor(i / 60)}].server[vm-${i}]`;
    addresses.push(address);
    const base = { address, kind: 'server', source_id: `s-${i}`, plan_id: planId, action_id: `a${i.toString(16).padStart(11, '0')}`, at };
    records.push({ t: 'pending', ...base, step: 'create' });
    if (i % 10 === 0) {
      const temp = {
        id: `${base.action_id}/snapshot`,
        kind: 'image',
        cloud: 'source' as const,
        resource_id: `img-${i}`,
        project_id: 'p',
        details: {},
        address,
        plan_id: planId,
        action_id: base.action_id,
        created_at: at,
      };
      records.push({ t: 'temp', at, temp }, { t: 'temp_cleaned', at, id: temp.id });
    }
    records.push({ t: 'done', ...base, step: 'create', destination_id: `d-${i}`, attributes: { name: `vm-${i}` } });
    records.push({ t: 'action_done', ...base, status: 'ready' });
  }
  records.push({ t: 'operation_end', plan_id: planId, result: 'ok', at });
  return { records, addresses };
}

interface Figures {
  readonly records: number;
  readonly objects: number;
  readonly fold: number;
  readonly load: number;
  readonly lookups: number;
}

async function measure(count: number): Promise<Figures> {
  const { records, addresses } = journal(count);
  let t = performance.now();
  const folded = applyRecords(emptyState('bench'), records);
  const fold = records.length / ((performance.now() - t) / 1000);
  if (folded.objects.length !== addresses.length) throw new Error('fold lost objects');

  const dir = mkdtempSync(join(tmpdir(), 'ph-bench-fold-'));
  try {
    const path = join(dir, 'state.json');
    writeFileSync(`${path}.journal.ndjson`, records.map((r) => `${JSON.stringify({ ...r, base_serial: 0 })}\n`).join(''));
    const store = StateStore.open(path);
    t = performance.now();
    const { state } = await store.load();
    const load = records.length / ((performance.now() - t) / 1000);
    if (state.objects.length !== addresses.length) throw new Error('load lost objects');
    t = performance.now();
    for (const a of addresses) if (findObject(store.current, a)?.status !== 'ready') throw new Error(`${a} not ready`);
    const lookups = addresses.length / ((performance.now() - t) / 1000);
    return { records: records.length, objects: addresses.length, fold, load, lookups };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const k = (n: number): string => `${Math.round(n / 1000).toLocaleString('en')}k/s`;
/** Best of three runs (the first ones mostly measure the JIT and the GC warming up). */
async function best(count: number): Promise<Figures> {
  const runs = [await measure(count), await measure(count), await measure(count)];
  const top = (f: (x: Figures) => number): number => Math.max(...runs.map(f));
  return { records: runs[0]!.records, objects: runs[0]!.objects, fold: top((x) => x.fold), load: top((x) => x.load), lookups: top((x) => x.lookups) };
}

const a = await best(small);
const b = await best(large);
console.log(`state-fold: records/s folding a journal (ratio small/large ~1 means linear)`);
for (const f of [a, b]) {
  console.log(`  ${f.records.toLocaleString('en')} records (${f.objects.toLocaleString('en')} objects): fold ${k(f.fold)}, load ${k(f.load)}, findObject ${k(f.lookups)}`);
}
console.log(`  ratio small/large: fold ${(a.fold / b.fold).toFixed(2)}, load ${(a.load / b.load).toFixed(2)}, findObject ${(a.lookups / b.lookups).toFixed(2)}`);

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StateFold } from '../../src/state/fold.js';
import { prng } from '../support/prng.js';
import {
  applyRecord,
  applyRecords,
  emptyState,
  findObject,
  removeObjects,
  type HistoryEntry,
  type JournalRecord,
  type ObjectRecordBase,
  type StateFile,
  type StateObject,
  type Temporary,
} from '../../src/state/index.js';

const at = '2026-11-26T10:00:00.000Z';

/**
 * The fold as it was written before it kept an index (every record copies and scans the
 * arrays): the reference the O(1) fold must agree with, record for record.
 */
function referenceFold(state: StateFile, r: JournalRecord): StateFile {
  const find = (s: StateFile, a: string): StateObject | undefined => s.objects.find((o) => o.address === a);
  const upsert = (s: StateFile, o: StateObject): StateFile => {
    const i = s.objects.findIndex((x) => x.address === o.address);
    return { ...s, objects: i < 0 ? [...s.objects, o] : s.objects.map((x, j) => (j === i ? o : x)) };
  };
  const objectFor = (s: StateFile, b: ObjectRecordBase): StateObject => {
    const p = find(s, b.address);
    if (p && p.action_id === b.action_id && p.plan_id === b.plan_id) return p;
    if (p) return { ...p, plan_id: b.plan_id, action_id: b.action_id, step: null, steps_done: [], pending: null };
    return { address: b.address, kind: b.kind, source_id: b.source_id, destination_id: null, status: 'pending', step: null, steps_done: [], pending: null, attributes: {}, error: null, plan_id: b.plan_id, action_id: b.action_id, updated_at: b.at };
  };
  const running = (s: StateFile, planId: string | null, f: (h: HistoryEntry) => HistoryEntry): StateFile => {
    for (let i = s.history.length - 1; i >= 0; i--) {
      const h = s.history[i]!;
      if (h.result === 'running' && h.plan_id === planId) return { ...s, history: s.history.map((e, j) => (j === i ? f(e) : e)) };
    }
    return s;
  };
  switch (r.t) {
    case 'operation_start':
      return { ...state, history: [...state.history, { plan_id: r.plan_id, operation: r.operation, started_at: r.at, finished_at: null, result: 'running', done: 0, failed: 0, serial_before: state.serial, serial_after: null }] };
    case 'operation_end':
      return running(state, r.plan_id, (h) => ({ ...h, result: r.result, finished_at: r.at }));
    case 'pending': {
      const p = objectFor(state, r);
      return upsert(state, { ...p, status: 'pending', pending: { step: r.step, at: r.at, ...(r.data === undefined ? {} : { data: r.data }) }, error: null, updated_at: r.at });
    }
    case 'done': {
      const o = find(state, r.address);
      const same = o?.action_id === r.action_id && o.plan_id === r.plan_id;
      const p = objectFor(state, r);
      return upsert(state, {
        ...p,
        status: same && (p.status === 'ready' || p.status === 'deleted') ? p.status : 'pending',
        step: r.step,
        steps_done: p.steps_done.includes(r.step) ? p.steps_done : [...p.steps_done, r.step],
        pending: p.pending?.step === r.step ? null : p.pending,
        destination_id: r.destination_id ?? p.destination_id,
        attributes: r.attributes ? { ...p.attributes, ...r.attributes } : p.attributes,
        updated_at: r.at,
      });
    }
    case 'action_done': {
      const p = objectFor(state, r);
      const next = upsert(state, { ...p, status: r.status ?? 'ready', pending: null, error: null, destination_id: r.destination_id ?? p.destination_id, attributes: r.attributes ? { ...p.attributes, ...r.attributes } : p.attributes, updated_at: r.at });
      return running(next, r.plan_id, (h) => ({ ...h, done: h.done + 1 }));
    }
    case 'action_failed': {
      const p = objectFor(state, r);
      const next = upsert(state, { ...p, status: 'tainted', error: { code: r.error.code, message: r.error.message, at: r.at }, updated_at: r.at });
      return running(next, r.plan_id, (h) => ({ ...h, failed: h.failed + 1 }));
    }
    case 'temp':
      return { ...state, temporaries: [...state.temporaries.filter((t) => t.id !== r.temp.id), r.temp] };
    case 'temp_cleaned':
      return { ...state, temporaries: state.temporaries.filter((t) => t.id !== r.id) };
  }
}

/** Records over few addresses, plans and temporaries, so every path is taken many times. */
function randomJournal(count: number, seed: number): JournalRecord[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const plans = ['p1', 'p2', 'p3'];
  const steps = ['create', 'snapshot', 'transfer', 'boot'];
  const out: JournalRecord[] = [];
  for (let i = 0; i < count; i++) {
    const n = Math.floor(rnd() * 40);
    const base = { address: `tenant[t].server[s${n}]`, kind: 'server', source_id: `src-${n}`, plan_id: pick(plans), action_id: `a${n}-${Math.floor(rnd() * 2)}`, at: `${at}#${i}` };
    const temp: Temporary = { id: `tmp-${Math.floor(rnd() * 8)}`, kind: 'image', cloud: 'source', resource_id: `r${i}`, project_id: null, details: { i }, address: base.address, plan_id: base.plan_id, action_id: base.action_id, created_at: base.at };
    const roll = rnd();
    if (roll < 0.05) out.push({ t: 'operation_start', plan_id: base.plan_id, operation: 'apply', at: base.at });
    else if (roll < 0.08) out.push({ t: 'operation_end', plan_id: base.plan_id, result: pick(['ok', 'failed'] as const), at: base.at });
    else if (roll < 0.3) out.push({ t: 'pending', ...base, step: pick(steps), ...(rnd() < 0.3 ? { data: { name: `n${i}` } } : {}) });
    else if (roll < 0.55) out.push({ t: 'done', ...base, step: pick(steps), ...(rnd() < 0.5 ? { destination_id: `d${i}` } : {}), ...(rnd() < 0.5 ? { attributes: { k: i } } : {}) });
    else if (roll < 0.7) out.push({ t: 'action_done', ...base, ...(rnd() < 0.2 ? { status: 'deleted' as const } : {}) });
    else if (roll < 0.8) out.push({ t: 'action_failed', ...base, error: { code: 'PH_CLOUD_HTTP', message: `m${i}` } });
    else if (roll < 0.9) out.push({ t: 'temp', at: base.at, temp });
    else out.push({ t: 'temp_cleaned', at: base.at, id: temp.id });
  }
  return out;
}

describe('StateFold', () => {
  test('agrees with the copying fold after every record of a random journal', () => {
    const base: StateFile = { ...emptyState('l1'), serial: 7 };
    const records = randomJournal(3000, 42);
    const fold = new StateFold(base);
    let reference = base;
    for (const [i, r] of records.entries()) {
      fold.apply(r);
      reference = referenceFold(reference, r);
      if (i % 97 === 0 || i === records.length - 1) assert.deepEqual(fold.state, reference, `after record ${i} (${r.t})`);
    }
    for (const o of reference.objects) assert.deepEqual(findObject(fold.state, o.address), o);
    assert.ok(reference.objects.length > 30 && reference.history.length > 50, 'the journal exercises many objects and operations');
  });

  test('applyRecord and applyRecords do not change their input', () => {
    const records = randomJournal(500, 7);
    const s1 = applyRecords(emptyState('l1'), records.slice(0, 250));
    const frozen = structuredClone(s1);
    const s2 = applyRecords(s1, records.slice(250));
    const s3 = applyRecord(s1, records[251]!);
    assert.deepEqual(s1, frozen);
    assert.notEqual(s2.objects, s1.objects);
    assert.notEqual(s3.objects, s1.objects);
  });

  test('an object read from the fold stays as it was; the arrays are live', () => {
    const fold = new StateFold(emptyState('l1'));
    const w = { address: 'tenant[a].server[w]', kind: 'server', source_id: 's', plan_id: 'p', action_id: 'a', at };
    fold.apply({ t: 'pending', ...w, step: 'boot' });
    const before = findObject(fold.state, w.address)!;
    const objects = fold.state.objects;
    fold.apply({ t: 'action_done', ...w, destination_id: 'd1' });
    assert.equal(before.status, 'pending');
    assert.equal(findObject(fold.state, w.address)?.status, 'ready');
    assert.equal(fold.state.objects, objects, 'same array, updated in place');
    assert.equal(objects[0]?.destination_id, 'd1');
  });

  test('findObject falls back to a scan on arrays no fold keeps', () => {
    const s = applyRecords(emptyState('l1'), randomJournal(300, 3));
    const victim = s.objects[0]!.address;
    const { state: rest } = removeObjects(s, [victim]);
    assert.equal(findObject(rest, victim), undefined);
    const other = s.objects[1]!;
    assert.equal(findObject(rest, other.address), other);
    const plain: StateFile = JSON.parse(JSON.stringify(s)) as StateFile;
    assert.deepEqual(findObject(plain, other.address), other);
  });
});

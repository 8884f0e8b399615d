import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyRecords, emptyState, findObject, markInterrupted, type JournalRecord } from '../../src/state/index.js';

const at = '2026-11-26T10:00:00.000Z';
const web = { address: 'tenant[acme].server[web-1]', kind: 'server', source_id: 'src-1', plan_id: 'p1', action_id: 'a1', at };
const start: JournalRecord = { t: 'operation_start', plan_id: 'p1', operation: 'apply', at };

describe('applyRecord', () => {
  test('a pending step without its done leaves the object pending with that step', () => {
    const s = applyRecords(emptyState(), [
      start,
      { t: 'pending', ...web, step: 'snapshot' },
      { t: 'done', ...web, step: 'snapshot', attributes: { snapshot_image: 'img-9' } },
      { t: 'pending', ...web, step: 'boot', data: { name: 'web-1' } },
    ]);
    const o = findObject(s, web.address);
    assert.equal(o?.status, 'pending');
    assert.equal(o?.step, 'snapshot');
    assert.deepEqual(o?.steps_done, ['snapshot']);
    assert.deepEqual(o?.pending, { step: 'boot', at, data: { name: 'web-1' } });
    assert.deepEqual(o?.attributes, { snapshot_image: 'img-9' });
    assert.equal(o?.destination_id, null);
  });

  test("an action's first pending record sets the destination id it starts from; records without one keep it", () => {
    const next = { ...web, plan_id: 'p2', action_id: 'a2' };
    const s = applyRecords(emptyState(), [
      start,
      { t: 'pending', ...web, step: 'boot' },
      { t: 'done', ...web, step: 'boot', destination_id: 'dst-old' },
      { t: 'action_done', ...web },
      // A later plan adopts an observed copy: its first record names it.
      { t: 'pending', ...next, step: 'adopt', destination_id: 'dst-observed' },
    ]);
    assert.equal(findObject(s, web.address)?.destination_id, 'dst-observed');
    const made = applyRecords(s, [{ t: 'pending', ...next, step: 'verify' }]);
    assert.equal(findObject(made, web.address)?.destination_id, 'dst-observed', 'absent: unchanged');
    const fresh = applyRecords(s, [{ t: 'pending', ...web, plan_id: 'p3', action_id: 'a3', step: 'boot', destination_id: null }]);
    assert.equal(findObject(fresh, web.address)?.destination_id, null, 'null: a create starts from nothing');
  });

  test('done then action_done makes it ready with its destination id, and counts in history', () => {
    const s = applyRecords(emptyState(), [
      start,
      { t: 'pending', ...web, step: 'boot' },
      { t: 'done', ...web, step: 'boot', destination_id: 'dst-1' },
      { t: 'action_done', ...web },
      { t: 'operation_end', plan_id: 'p1', result: 'ok', at },
    ]);
    const o = findObject(s, web.address);
    assert.equal(o?.status, 'ready');
    assert.equal(o?.destination_id, 'dst-1');
    assert.equal(o?.pending, null);
    assert.deepEqual(s.history.map((h) => [h.result, h.done, h.failed, h.finished_at]), [['ok', 1, 0, at]]);
    assert.equal(s.serial, 0, 'folding never changes the serial');
  });

  test('action_failed taints the object, keeps the pending step for adoption, counts a failure', () => {
    const s = applyRecords(emptyState(), [
      start,
      { t: 'pending', ...web, step: 'boot' },
      { t: 'action_failed', ...web, error: { code: 'PH_CLOUD_HTTP', message: 'nova said 500' } },
    ]);
    const o = findObject(s, web.address);
    assert.equal(o?.status, 'tainted');
    assert.equal(o?.pending?.step, 'boot');
    assert.deepEqual(o?.error, { code: 'PH_CLOUD_HTTP', message: 'nova said 500', at });
    assert.equal(s.history[0]?.failed, 1);
  });

  test('a new action on an object starts its step list afresh and clears the old error', () => {
    const s = applyRecords(emptyState(), [
      { t: 'pending', ...web, step: 'boot' },
      { t: 'action_failed', ...web, error: { code: 'X', message: 'y' } },
      { t: 'pending', ...web, action_id: 'a2', plan_id: 'p2', step: 'adopt' },
    ]);
    const o = findObject(s, web.address);
    assert.equal(o?.action_id, 'a2');
    assert.equal(o?.plan_id, 'p2');
    assert.deepEqual(o?.steps_done, []);
    assert.equal(o?.error, null);
    assert.equal(o?.status, 'pending');
  });

  test('action_done with status deleted marks the object deleted', () => {
    const s = applyRecords(emptyState(), [{ t: 'action_done', ...web, status: 'deleted' }]);
    assert.equal(findObject(s, web.address)?.status, 'deleted');
  });

  test('temporaries are recorded and cleaned by id', () => {
    const temp = {
      id: 'a1/snapshot',
      kind: 'image',
      cloud: 'source' as const,
      resource_id: 'img-9',
      project_id: 'proj-1',
      details: {},
      address: web.address,
      plan_id: 'p1',
      action_id: 'a1',
      created_at: at,
    };
    const grant = { ...temp, id: 'a1/grant', kind: 'role_assignment', resource_id: null, details: { user_id: 'u', role_id: 'r' } };
    const s1 = applyRecords(emptyState(), [
      { t: 'temp', at, temp },
      { t: 'temp', at, temp: grant },
    ]);
    assert.deepEqual(s1.temporaries.map((t) => t.id), ['a1/snapshot', 'a1/grant']);
    const s2 = applyRecords(s1, [{ t: 'temp_cleaned', at, id: 'a1/snapshot' }]);
    assert.deepEqual(s2.temporaries.map((t) => t.id), ['a1/grant']);
  });

  test('markInterrupted turns running history entries into interrupted ones', () => {
    const s = markInterrupted(applyRecords(emptyState(), [start]));
    assert.equal(s.history[0]?.result, 'interrupted');
  });
});

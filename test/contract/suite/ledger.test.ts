import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudHttpError } from '../../../src/openstack/index.js';
import { Ledger } from './ledger.js';

const notFound = () =>
  new CloudHttpError({ cloud: 'c', service: 'network', method: 'DELETE', path: '/x', requestId: undefined, ambiguous: false, status: 404, cloudMessage: 'gone', faultType: undefined });

test('removes newest first, counts a 404 as removed, keeps going after a failure and reports it', async () => {
  const order: string[] = [];
  const l = new Ledger();
  l.add('net', { label: 'network n', remove: async () => void order.push('net') });
  l.add('sub', { label: 'subnet s', remove: async () => { order.push('sub'); throw new Error('in use'); } });
  l.add('port', { label: 'port p', remove: async () => { order.push('port'); throw notFound(); } });
  l.add('vm', { label: 'server v', remove: async () => void order.push('vm') });
  l.forget('vm');
  assert.deepEqual(l.pending(), ['port p', 'subnet s', 'network n']);
  const leftovers = await l.drain();
  assert.deepEqual(order, ['port', 'sub', 'net']);
  assert.deepEqual(leftovers, [{ label: 'subnet s', reason: 'in use' }]);
  assert.equal(l.size, 0);
});

test('abandon drops everything without deleting', async () => {
  const l = new Ledger();
  let called = false;
  l.add('a', { label: 'a', remove: async () => void (called = true) });
  assert.deepEqual(l.abandon(), ['a']);
  assert.deepEqual(await l.drain(), []);
  assert.equal(called, false);
});

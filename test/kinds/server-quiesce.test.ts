import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QuiesceBook, statusBefore } from '../../src/kinds/server/index.js';
import { FakeNova, fakeStep } from './server-fakes.js';

describe('QuiesceBook', () => {
  it('suspends or stops an ACTIVE server once, and leaves still servers alone', async () => {
    const nova = new FakeNova();
    nova.status.set('a', 'ACTIVE').set('b', 'ACTIVE').set('c', 'SHUTOFF').set('d', 'PAUSED');
    const book = new QuiesceBook();
    const cloud = nova.cloud();
    assert.equal(await book.quiesce(fakeStep({ id: 'x1' }, cloud), 'a', 'suspend', null), 'ACTIVE');
    assert.equal(await book.quiesce(fakeStep({ id: 'x2' }, cloud), 'b', 'stop', null), 'ACTIVE');
    assert.equal(await book.quiesce(fakeStep({ id: 'x3' }, cloud), 'c', 'stop', null), 'SHUTOFF');
    assert.equal(await book.quiesce(fakeStep({ id: 'x4' }, cloud), 'd', 'suspend', null), 'PAUSED');
    assert.deepEqual(nova.calls, ['suspend a', 'stop b']);
    assert.equal(nova.status.get('a'), 'SUSPENDED');
    assert.equal(nova.status.get('b'), 'SHUTOFF');
  });

  it('serializes two volumes quiescing the same server: one suspend, both holders', async () => {
    const nova = new FakeNova();
    nova.status.set('srv', 'ACTIVE');
    const book = new QuiesceBook();
    const cloud = nova.cloud();
    const [a, b] = await Promise.all([
      book.quiesce(fakeStep({ id: 'vol-a' }, cloud), 'srv', 'suspend', null),
      book.quiesce(fakeStep({ id: 'vol-b' }, cloud), 'srv', 'suspend', null),
    ]);
    assert.equal(a, 'ACTIVE');
    assert.equal(b, 'ACTIVE', 'the second holder learns the status before the first quiesce');
    assert.deepEqual(nova.calls, ['suspend srv']);
    assert.equal(book.holds('srv'), true);
  });

  it('after a failure, restarts the server only once no holder is left', async () => {
    const nova = new FakeNova();
    nova.status.set('srv', 'ACTIVE');
    const book = new QuiesceBook();
    const cloud = nova.cloud();
    const volA = fakeStep({ id: 'vol-a' }, cloud);
    const volB = fakeStep({ id: 'vol-b' }, cloud);
    await book.quiesce(volA, 'srv', 'suspend', null);
    await book.quiesce(volB, 'srv', 'suspend', null);
    await book.release(volA, 'srv', true, null);
    assert.equal(nova.status.get('srv'), 'SUSPENDED', 'vol-b still copies: the server stays still');
    await book.release(volB, 'srv', false, null);
    assert.equal(nova.status.get('srv'), 'ACTIVE', 'the failure is honoured when the last holder lets go');
    assert.deepEqual(nova.calls, ['suspend srv', 'resume srv']);
    assert.equal(book.holds('srv'), false);
  });

  it('after success the server stays quiesced (the cut-over)', async () => {
    const nova = new FakeNova();
    nova.status.set('srv', 'ACTIVE');
    const book = new QuiesceBook();
    const s = fakeStep({ id: 'server' }, nova.cloud());
    await book.quiesce(s, 'srv', 'stop', 'ACTIVE');
    await book.release(s, 'srv', false, 'ACTIVE');
    assert.equal(nova.status.get('srv'), 'SHUTOFF');
  });

  it('a resumed apply restores from the journaled status; a server stopped before is not started', async () => {
    const nova = new FakeNova();
    nova.status.set('was-running', 'SHUTOFF').set('was-off', 'SHUTOFF');
    const book = new QuiesceBook();
    const cloud = nova.cloud();
    await book.release(fakeStep({ id: 's1' }, cloud), 'was-running', true, 'ACTIVE');
    await book.release(fakeStep({ id: 's2' }, cloud), 'was-off', true, 'SHUTOFF');
    await book.release(fakeStep({ id: 's3' }, cloud), 'was-off', true, null);
    assert.deepEqual(nova.calls, ['start was-running']);
  });

  it('a restart that fails is a warning, not a second error', async () => {
    const nova = new FakeNova();
    const book = new QuiesceBook();
    const s = fakeStep({ id: 's' }, nova.cloud());
    await book.release(s, 'gone', true, 'ACTIVE');
    const warned = s.ctx.reporter as unknown as { events: { type: string; '@level': string; '@message': string }[] };
    assert.ok(warned.events.some((e) => e.type === 'log' && e['@level'] === 'warn' && e['@message'].includes('start it by hand')));
  });

  it('refuses to quiesce a server in ERROR', async () => {
    const nova = new FakeNova();
    nova.status.set('e', 'ERROR');
    await assert.rejects(new QuiesceBook().quiesce(fakeStep({ id: 'x' }, nova.cloud()), 'e', 'stop', null), (err: unknown) => (err as { code?: string }).code === 'PH_PRECONDITION_FAILED');
  });
});

describe('statusBefore', () => {
  it("reads the plan's source precondition first, then the journal", () => {
    const cloud = new FakeNova().cloud();
    const planned = fakeStep(
      { id: 'a', source: { cloud: 'source', id: 'srv-1', name: 'web' }, preconditions: [{ cloud: 'source', ref: 'nova/servers/srv-1', must: 'match', fields: { status: 'PAUSED', host: 'h' } }] },
      cloud,
    );
    assert.equal(statusBefore(planned), 'PAUSED');
    const journaled = fakeStep({ id: 'b', source: { cloud: 'source', id: 'srv-2', name: 'db' } }, cloud);
    assert.equal(statusBefore(journaled), null);
    void journaled.ctx.remember({ status_before: 'ACTIVE' });
    assert.equal(statusBefore(journaled), 'ACTIVE');
  });
});

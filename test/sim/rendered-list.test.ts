import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReplyBytes } from '../../src/sim/cloud/reply-bytes.js';
import { hasRenderedList, jsonPieces, renderedList } from '../../src/sim/http/rendered-list.js';

const piecesOf = (value: unknown) => {
  const out: string[] = [];
  jsonPieces(value, (t) => out.push(t));
  return out.join('');
};

describe('RenderedList and jsonPieces', () => {
  const rows = [{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'c', n: 3 }];
  const body = () => ({
    servers: renderedList(rows, (r) => (r.id === 'b' ? undefined : { id: r.id, name: `vm-${r.n}`, when: new Date(0), skip: undefined, tags: ['é', '😀', '"q"\n'] })),
    gone: undefined,
    f: () => 1,
    servers_links: [{ rel: 'next', href: 'http://h/servers?marker=c' }],
    nested: { list: renderedList(rows, (r) => r.n) },
    empty: renderedList([], (r) => r),
  });

  it('writes the text JSON.stringify writes (skipped members, null items, toJSON, escapes, nested lists)', () => {
    const b = body();
    assert.equal(hasRenderedList(b), true);
    assert.equal(piecesOf(b), JSON.stringify(b));
    assert.match(piecesOf(b), /^\{"servers":\[\{"id":"a",.*null,\{"id":"c"/);
    for (const other of [{ plain: 1 }, [1, renderedList(rows, (r) => r.id)], 'text', 3, null, { toJSON: () => ({ x: 1 }) }]) assert.equal(piecesOf(other), JSON.stringify(other));
    assert.equal(hasRenderedList({ plain: [1] }), false);
    assert.equal(hasRenderedList([renderedList(rows, (r) => r)]), false);
  });

  it('renders each item once, when written', () => {
    let renders = 0;
    const b = { items: renderedList(rows, (r) => (renders++, r.id)) };
    assert.equal(renders, 0);
    piecesOf(b);
    assert.equal(renders, rows.length);
  });

  it('ReplyBytes.encodeJson gives the UTF-8 bytes of JSON.stringify, growing its buffer past the pooled size', () => {
    const pool = new ReplyBytes(16, 256, 2);
    const big = Array.from({ length: 500 }, (_, i) => ({ id: i, name: `naïve-${i}-😀` }));
    for (const value of [body(), { list: renderedList(big, (r) => r) }]) {
      const e = pool.encodeJson(value);
      assert.deepEqual(e.bytes, Buffer.from(JSON.stringify(value)));
      e.release();
    }
  });
});

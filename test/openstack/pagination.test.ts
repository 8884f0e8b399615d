// pages() and collect(): a page at a time for collect, an item at a time for `for await`,
// the same items either way, never one twice, and a repeated page ends the walk.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, mapItems, pages, type ListSpec } from '../../src/openstack/pagination.js';
import type { ServiceApi } from '../../src/openstack/service-api.js';
import type { CloudResponse } from '../../src/openstack/session/request.js';

/** A ServiceApi stand-in answering GETs from a function of the query; records each query. */
function api(answer: (query: Record<string, unknown>) => unknown): { api: ServiceApi; queries: Record<string, unknown>[] } {
  const queries: Record<string, unknown>[] = [];
  const fake = {
    async get(path: string, query?: Record<string, unknown>): Promise<CloudResponse> {
      queries.push({ ...query });
      const data = answer(query ?? {});
      return { status: 200, headers: {}, data, text: JSON.stringify(data), call: { cloud: 'c', service: 's', method: 'GET', path, requestId: undefined } };
    },
  };
  return { api: fake as unknown as ServiceApi, queries };
}

const items = (ids: readonly string[]) => ids.map((id) => ({ id, name: `n-${id}` }));

describe('pages', () => {
  test('links: every page followed; an item a later page repeats is left out; collect equals for await', async () => {
    const book: Record<string, { items: string[]; next?: string }> = {
      '': { items: ['a', 'b'], next: 'm1' },
      m1: { items: ['b', 'c'], next: 'm2' },
      m2: { items: ['d'] },
    };
    const { api: a, queries } = api((q) => {
      const page = book[String(q['marker'] ?? '')]!;
      return { things: items(page.items), ...(page.next ? { things_links: [{ rel: 'next', href: `http://elsewhere/things?limit=2&marker=${page.next}` }] } : {}) };
    });
    const spec: ListSpec = { path: '/things', key: 'things', paging: { kind: 'links', limit: 2 } };
    const collected = await collect(pages(a, spec), (r) => String(r['id']));
    assert.deepEqual(collected, ['a', 'b', 'c', 'd']);
    assert.equal(queries.length, 3);
    const iterated: string[] = [];
    for await (const r of pages(a, spec)) iterated.push(String(r['id']));
    assert.deepEqual(iterated, collected);
    const mapped: string[] = [];
    for await (const id of mapItems(pages(a, spec), (r) => String(r['id']))) mapped.push(id);
    assert.deepEqual(mapped, collected);
  });

  test("links: a key the next link repeats (Neutron's fields=a&fields=b) is asked for again with every value", async () => {
    const { api: a, queries } = api((q) =>
      q['marker'] === undefined
        ? { things: items(['a']), things_links: [{ rel: 'next', href: 'http://x/things?fields=id&fields=name&limit=1&marker=a' }] }
        : { things: items(['b']) },
    );
    const spec: ListSpec = { path: '/things', key: 'things', paging: { kind: 'links', limit: 1 }, query: { fields: ['id', 'name'] } };
    assert.deepEqual(await collect(pages(a, spec), (r) => String(r['id'])), ['a', 'b']);
    assert.deepEqual(queries[1], { fields: ['id', 'name'], limit: '1', marker: 'a' });
  });

  test('marker: a service that ignores the marker sends the same page again, which ends the walk', async () => {
    const { api: a, queries } = api(() => ({ things: items(['a', 'b']) }));
    const got = await collect(pages(a, { path: '/things', key: 'things', paging: { kind: 'marker', limit: 2 } }), (r) => String(r['id']));
    assert.deepEqual(got, ['a', 'b']);
    assert.deepEqual(queries, [{ limit: 2 }, { limit: 2, marker: 'b' }]);
  });

  test('offset: pages while full; non-objects in a list are skipped and do not count', async () => {
    const { api: a, queries } = api((q) => ({ things: Number(q['offset'] ?? 0) === 0 ? [...items(['a', 'b'])] : [{ id: 'c' }, 'junk'] }));
    const got = await collect(pages(a, { path: '/things', key: 'things', paging: { kind: 'offset', limit: 2 } }), (r) => String(r['id']));
    assert.deepEqual(got, ['a', 'b', 'c']);
    assert.equal(queries.length, 2);
  });

  describe('one page ahead', () => {
    const book: Record<string, { items: string[]; next?: string }> = {
      '': { items: ['a', 'b'], next: 'm1' },
      m1: { items: ['c', 'd'], next: 'm2' },
      m2: { items: ['e'] },
    };
    const answer = (q: Record<string, unknown>) => {
      const page = book[String(q['marker'] ?? '')]!;
      return { things: items(page.items), ...(page.next ? { things_links: [{ rel: 'next', href: `/things?limit=2&marker=${page.next}` }] } : {}) };
    };
    const spec: ListSpec = { path: '/things', key: 'things', paging: { kind: 'links', limit: 2 } };

    test('collect asks for the next page before it maps this one, never two ahead, and no page past the last', async () => {
      const { api: a, queries } = api(answer);
      const asked: number[] = [];
      const got = await collect(pages(a, spec), (r) => (asked.push(queries.length), String(r['id'])));
      assert.deepEqual(got, ['a', 'b', 'c', 'd', 'e']);
      // While page 1 (a, b) is mapped page 2 is asked for; while page 2 is mapped, page 3.
      assert.deepEqual(asked, [2, 2, 3, 3, 3]);
      assert.deepEqual(queries, [{ limit: 2 }, { limit: '2', marker: 'm1' }, { limit: '2', marker: 'm2' }]);
    });

    test('for await asks for nothing ahead: a caller that stops after the first item costs one call', async () => {
      const { api: a, queries } = api(answer);
      for await (const r of pages(a, spec)) {
        assert.equal(r['id'], 'a');
        break;
      }
      assert.equal(queries.length, 1);
    });

    test('a failing next page fails collect with its own error; a mapper failing first leaves no unhandled rejection', async () => {
      const failing = (q: Record<string, unknown>) => {
        if (q['marker'] === 'm1') throw new Error('page 2 broke');
        return answer(q);
      };
      await assert.rejects(collect(pages(api(failing).api, spec), (r) => String(r['id'])), /page 2 broke/);
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        const mapper = () => {
          throw new Error('mapper broke');
        };
        await assert.rejects(collect(pages(api(failing).api, spec), mapper), /mapper broke/);
        await new Promise((r) => setTimeout(r, 10));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      assert.deepEqual(unhandled, []);
    });
  });

  describe('the next link read before the parse', () => {
    /** A ServiceApi stand-in that shows each answer's text to onText before answering, as the call engine does. */
    function peeking(answer: (query: Record<string, unknown>) => { data: unknown; text?: string }) {
      const queries: Record<string, unknown>[] = [];
      const askedDuringText = new Map<string, number>();
      const fake = {
        async get(path: string, query?: Record<string, unknown>, _headers?: unknown, onText?: (text: string) => void): Promise<CloudResponse> {
          queries.push({ ...query });
          const { data, text = JSON.stringify(data) } = answer(query ?? {});
          const before = queries.length;
          onText?.(text);
          askedDuringText.set(String(query?.['marker'] ?? ''), queries.length - before);
          return { status: 200, headers: {}, data, text, call: { cloud: 'c', service: 's', method: 'GET', path, requestId: undefined } };
        },
      };
      return { api: fake as unknown as ServiceApi, queries, askedDuringText };
    }
    const book: Record<string, { items: string[]; next?: string }> = {
      '': { items: ['a', 'b'], next: 'm1' },
      m1: { items: ['c', 'd'], next: 'm2' },
      m2: { items: ['e', 'f'], next: 'm3' },
      m3: { items: ['g'] },
    };
    const page = (marker: string) => {
      const p = book[marker]!;
      return { things: items(p.items), ...(p.next ? { things_links: [{ rel: 'next', href: `/things?limit=2&marker=${p.next}` }] } : {}) };
    };
    const spec: ListSpec = { path: '/things', key: 'things', paging: { kind: 'links', limit: 2 } };

    test('page 2 is asked for while page 1 is still text; never more than one page ahead; the same calls', async () => {
      const { api: a, queries, askedDuringText } = peeking((q) => ({ data: page(String(q['marker'] ?? '')) }));
      const seenAt: number[] = [];
      const got = await collect(pages(a, spec), (r) => (seenAt.push(queries.length), String(r['id'])));
      assert.deepEqual(got, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      assert.deepEqual(queries, [{ limit: 2 }, { limit: '2', marker: 'm1' }, { limit: '2', marker: 'm2' }, { limit: '2', marker: 'm3' }]);
      // Page 1's text asked for page 2; page 2 answered at once (this stand-in), while the walk
      // was still on page 1, so its text asked for nothing: page 3 waited for the walk.
      assert.equal(askedDuringText.get(''), 1);
      assert.equal(askedDuringText.get('m1'), 0);
      for (const n of seenAt) assert.ok(n <= 4);
      assert.deepEqual(seenAt.slice(0, 2), [2, 2]);
    });

    test('a next link in the text that the parsed page does not name is dropped, and guessing stops', async () => {
      // The text names m9, the parsed answer m1 (only a broken or unusual answer can do that).
      const { api: a, queries } = peeking((q) => {
        const marker = String(q['marker'] ?? '');
        const data = page(marker === 'm9' ? '' : marker);
        return marker === '' ? { data, text: JSON.stringify({ things: [{ id: 'a' }], things_links: [{ rel: 'next', href: '/things?limit=2&marker=m9' }] }) } : { data };
      });
      const got = await collect(pages(a, spec), (r) => String(r['id']));
      assert.deepEqual(got, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
      assert.deepEqual(
        queries.map((q) => q['marker'] ?? ''),
        ['', 'm9', 'm1', 'm2', 'm3'],
      );
    });

    test('a service that repeats the page and its link costs no call more than without the early read', async () => {
      const { api: a, queries } = peeking(() => ({ data: { things: items(['a', 'b']), things_links: [{ rel: 'next', href: '/things?limit=2&marker=b' }] } }));
      const got = await collect(pages(a, spec), (r) => String(r['id']));
      assert.deepEqual(got, ['a', 'b']);
      // Page 1 names marker=b (asked early); page 2 names marker=b again (no early ask) and repeats page 1, which ends the walk.
      assert.deepEqual(queries, [{ limit: 2 }, { limit: '2', marker: 'b' }]);
    });
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { JsonLinesReporter, TeeReporter } from '../../src/events/index.js';
import { Writable } from 'node:stream';
import { TestPlan } from './fixtures/plans.js';
import { World } from './helpers.js';

const w = new World();
after(() => w.cleanup());

test('a secret a careless kind puts in remembered facts or an error message never reaches the journal, state or events', async () => {
  const p = new TestPlan();
  for (const u of ['a', 'b']) {
    const user = p.add({ address: `user[${u}]`, kind: 'user', action: 'create', after: { name: u } });
    p.add({ address: `user[${u}].password_hash`, kind: 'password_hash', action: 'update', deps: [user], after: { user_id: { $ref: user }, password_hash: { $secret: 'keystone/user/x/password_hash' } } });
  }
  let json = '';
  const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((json += chunk.toString()), cb()) });
  const journals: string[] = [];
  const r = await w.apply(p.build(), {
    reporter: new TeeReporter([w.reporter, new JsonLinesReporter(sink)]),
    kinds: {
      inspect: async (a, step, ctx) => {
        if (a.kind !== 'password_hash' || step !== 'write_destination_hash') return;
        const secret = (await ctx.resolveAfter()).password_hash;
        await ctx.remember({ note: `about to write ${String(secret)}`, password_hash: 'literal-in-a-secret-key' });
        if (existsSync(`${w.statePath}.journal.ndjson`)) journals.push(readFileSync(`${w.statePath}.journal.ndjson`, 'utf8'));
        if (a.address === 'user[b].password_hash') throw new Error(`Keystone refused ${String(secret)} and ${JSON.stringify({ secret })}`);
      },
    },
  });
  assert.equal(r.result, 'failed');
  assert.match(r.failures[0]!.message, /refused \*\*\* and \{"secret":"\*\*\*"\}/);
  assert.ok(journals.length === 2 && journals.every((j) => j.includes('about to write ***')), 'the remembered note was journaled, masked');
  const everything = [...journals, readFileSync(w.statePath, 'utf8'), JSON.stringify(w.reporter.events), json, JSON.stringify(r)].join('\n');
  assert.doesNotMatch(everything, /fakehashvalue/);
  assert.doesNotMatch(everything, /literal-in-a-secret-key/);
  assert.match(json, /"type":"action_errored"/);
});

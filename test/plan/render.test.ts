import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown, renderText, summarize, textChunks, textLines, type Action, type Plan } from '../../src/plan/index.js';
import { detailLineCount, detailLines } from '../../src/plan/render/describe.js';
import { attributeLines } from '../../src/plan/render/format.js';
import { buildReview } from '../../src/plan/render/review.js';
import { PlanBuilder, largePlan, smallPlan } from './fixtures.js';

const sha256 = 'c0ffee'.padEnd(64, '0');

describe('markdown for a change-control ticket', () => {
  const large = largePlan();
  const md = renderMarkdown(large, { sha256, path: 'plans/example-500.plan.json' });
  const first40 = md.split('\n').slice(0, 40).join('\n');

  test('a 500-server plan keeps the header, counts and risky actions in the first 40 lines', () => {
    assert.equal(large.summary.by_kind.server, 500);
    assert.match(first40, /plan sha256 \| c0ffee/);
    assert.match(first40, /### Changes: 2173/);
    assert.match(first40, /\*\*by action\*\*: create \d+/);
    assert.match(first40, /\*\*by kind\*\*: project 25/);
    assert.match(first40, /\*\*Irreversible \(270\)\*\*/);
    assert.match(first40, /- \*\*reassign\*\* `host\[node-01\]`/);
    assert.match(first40, /\*\*Downtime \(500\)\*\*/);
    assert.match(first40, /- and 494 more/);
    // Host reprovisioning leads the irreversible list.
    const irreversible = first40.split('\n').filter((l) => /^- \*\*(reassign|delete)\*\*/.test(l));
    assert.ok(irreversible.slice(0, 6).every((l) => l.startsWith('- **reassign**')));
  });

  test('stays under the 60 KB cap and says, at the top and at the cut, what it left out', () => {
    assert.ok(Buffer.byteLength(md) <= 60_000, `${Buffer.byteLength(md)} bytes`);
    assert.match(md.split('\n').slice(0, 4).join('\n'), /\*\*Truncated\*\* to 60 KB/);
    const notice = /\*\*Truncated here\.\*\* (\d+) lines left out: (\d+) of 2173 actions not listed, 2173 without details/.exec(md);
    assert.ok(notice, 'truncation notice');
    assert.ok(Number(notice[1]) > 1000 && Number(notice[2]) > 0 && Number(notice[2]) < 2173);
    assert.match(md, /`pumphouse show plans\/example-500\.plan\.json --format text`/);
    // The listing that is there is whole lines, and the tail (warnings, apply command) survives.
    assert.match(md, /### Warnings/);
    assert.match(md, /To apply exactly this plan: `pumphouse apply plans\/example-500\.plan\.json --expect-sha256 c0ffee0+`\n$/);
    assert.equal((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length);
  });

  test('counts the listed actions honestly', () => {
    const listed = md.split('\n').filter((l) => /^- [a-z-]+ `/.test(l)).length;
    const notice = /(\d+) of 2173 actions not listed/.exec(md)!;
    assert.equal(listed + Number(notice[1]), 2173);
  });

  test('a small plan fits whole: no truncation, every action listed and detailed', () => {
    const plan = smallPlan();
    const out = renderMarkdown(plan);
    assert.doesNotMatch(out, /Truncated/);
    const changes = plan.actions.filter((a) => a.action !== 'no-op').length;
    assert.equal((out.match(/<details>/g) ?? []).length, changes);
  });

  test('any cap is honoured, down to the fixed part', () => {
    for (const cap of [9_000, 15_000, 25_000]) {
      const out = renderMarkdown(smallPlan(), { maxBytes: cap });
      assert.ok(Buffer.byteLength(out) <= cap, `${cap}: ${Buffer.byteLength(out)}`);
      assert.match(out, /Truncated here/);
    }
  });

  test('names are escaped: no raw HTML, no broken code spans', () => {
    const b = new PlanBuilder();
    b.add({ address: 'tenant[<img src=x>].server[a`b]', kind: 'server', action: 'migrate', reason: ['missing_in_destination', '<b>bold</b> | pipe'], tenant: '<img src=x>' });
    const out = renderMarkdown(b.build());
    // Outside fenced blocks and code spans (where HTML is inert) no tag may survive.
    const prose = out.replace(/```[^]*?```/g, '').replace(/``[^]*?``|`[^`\n]*`/g, '');
    assert.doesNotMatch(prose, /<img|<b>/);
    assert.match(out, /`` tenant\[<img src=x>\]\.server\[a`b\] ``/);
    assert.match(out, /<summary>migrate <code>tenant\[&lt;img src=x&gt;\]/);
    assert.match(out, /&lt;b&gt;bold&lt;\/b&gt; \\\| pipe/);
  });

  test('no colour codes in markdown', () => {
    assert.doesNotMatch(md, /\x1b\[/);
  });
});

describe('text', () => {
  const plan = smallPlan();
  const text = renderText(plan, { sha256, path: 'p.json' });

  test('leads with the header and counts, then risky actions with host reprovisioning first', () => {
    const lines = text.split('\n');
    assert.equal(lines[0], `Pumphouse plan ${plan.plan_id}`);
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    assert.ok(at(/^Changes: 36 /) < at(/^Irreversible \(4\)/));
    assert.match(lines[at(/^Irreversible/) + 1]!, /reassign host\[node-12\]\s+\[est\. 1h00m\]/);
    assert.ok(at(/^Irreversible/) < at(/^Downtime \(3\)/));
    assert.ok(at(/^Downtime/) < at(/^Actions$/));
    assert.ok(at(/^Actions$/) < at(/^Details$/));
    assert.ok(at(/^Details$/) < at(/^Drift/));
    assert.ok(at(/^Drift/) < at(/^Diagnostics/));
    assert.ok(at(/^Diagnostics/) < at(/^Warnings/));
    assert.match(lines[at(/^Downtime/) + 1]!, /migrate  tenant\[acme\]\.server\[web-1\]  \[downtime ~5m16s, 20\.0 GiB/);
  });

  test('groups by tenant, then host, then global, one line per changed object with its reason', () => {
    const i = text.indexOf('  tenant acme (27)');
    const h = text.indexOf('  host node-12 (2)');
    const g = text.indexOf('  global objects (7)');
    assert.ok(i > 0 && i < h && h < g);
    assert.match(text, /\n {4}migrate  tenant\[acme\]\.server\[db-1\]  server of acme on node-13\n/);
    assert.doesNotMatch(text.slice(i, text.indexOf('\nDetails')), /role\[admin\]/, 'no-ops are not listed');
    assert.match(text, /unchanged 2/);
  });

  test('details show refs as addresses and secrets as (sensitive), never a value', () => {
    assert.match(text, /\+ flavor = <flavor\[m1\.small\]>/);
    assert.match(text, /\+ password_hash = \(sensitive\)/);
    assert.doesNotMatch(text, /\$secret|keystone\/user\//);
    assert.match(text, /~ instances = 10 -> 40/);
    assert.match(text, /check: source nova\/servers\/[0-9a-f-]+ has OS-EXT-SRV-ATTR:host="node-12", status="ACTIVE"/);
  });

  test('ends with the pinned apply command, or says why the plan cannot be applied', () => {
    assert.match(text, /To apply exactly this plan: pumphouse apply p\.json --expect-sha256 c0ffee0+\n$/);
    const errored: Plan = { ...plan, diagnostics: [{ severity: 'error', summary: 'no capacity for db-1' }], applyable: false };
    const out = renderText(errored);
    assert.match(out, /status: +NOT applyable \(1 error\)/);
    assert.match(out, /cannot be applied/);
    const noop: Action[] = plan.actions.filter((a) => a.action === 'no-op');
    const empty: Plan = { ...plan, actions: noop, summary: summarize(noop), applyable: false, drift: [], diagnostics: [] };
    assert.match(renderText(empty), /No changes: the destination matches the manifest\.\n$/);
  });

  test('is deterministic', () => {
    assert.equal(renderText(smallPlan(), { sha256 }), renderText(smallPlan(), { sha256 }));
  });
});

describe('text in pieces, and a plan too large for its details', () => {
  const plan = largePlan();
  const whole = renderText(plan, { sha256, path: 'p.json' });

  test('textChunks are renderText cut at line ends, and textLines its lines', () => {
    const chunks = [...textChunks(plan, { sha256, path: 'p.json' })];
    assert.ok(chunks.length > 1, `${chunks.length} pieces`);
    assert.ok(chunks.every((c) => c.endsWith('\n')));
    assert.equal(chunks.join(''), whole);
    assert.deepEqual([...textLines(plan, { sha256, path: 'p.json' })], whole.split('\n').slice(0, -1));
    const coloured = [...textChunks(plan, { sha256, color: true })].join('');
    assert.match(coloured, /\x1b\[/);
    assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), renderText(plan, { sha256 }));
  });

  test('detailsUpTo: past it the Details section is one line naming the show command; the rest is the same', () => {
    const changes = plan.summary.total;
    assert.equal(renderText(plan, { sha256, path: 'p.json', detailsUpTo: changes }), whole);
    const short = renderText(plan, { sha256, path: 'p.json', detailsUpTo: changes - 1 });
    const at = whole.indexOf('\nDetails\n');
    const end = whole.search(/\n\n(Drift|Diagnostics|Warnings)/);
    assert.ok(at > 0 && end > at);
    const expected = `${whole.slice(0, at)}\nDetails\n  not printed for more than ${changes - 1} changes; every action's detail: pumphouse show p.json --format text${whole.slice(end)}`;
    assert.equal(short, expected);
  });
});

describe('attribute lines', () => {
  const ref = (id: string): string => `addr-${id}`;

  test('one-sided actions whose leaves flatten out of path order are sorted as the general case sorts them', () => {
    // Keys "a" and "a-b": flatten visits a.c before a-b, but "-" sorts before ".".
    const after = { a: { c: 1 }, 'a-b': 2, z: { $ref: 'x' } };
    assert.deepEqual(attributeLines(null, after, ref), { lines: ['+ a-b = 2', '+ a.c = 1', '+ z = <addr-x>'], unchanged: 0 });
    assert.deepEqual(attributeLines(after, undefined, ref), { lines: ['  a-b = 2', '  a.c = 1', '  z = <addr-x>'], unchanged: 0 });
    // A key that spells another leaf's path: one line, the later leaf's value (as a map keeps it).
    assert.deepEqual(attributeLines(null, { 'a.b': 1, a: { b: 2 } }, ref).lines, ['+ a.b = 1']);
    assert.deepEqual(attributeLines(null, { 'a[0]': 'key', a: [{ b: 1 }] }, ref).lines, ['+ a[0] = "key"', '+ a[0].b = 1']);
  });

  test('updates: changed, added, removed and unchanged leaves', () => {
    const out = attributeLines({ keep: 1, old: 'x', same: [1, 2] }, { keep: 2, same: [1, 2], new: { $secret: 's' } }, ref);
    assert.deepEqual(out, { lines: ['~ keep = 1 -> 2', '+ new = (sensitive)', '- old = "x"'], unchanged: 1 });
    assert.deepEqual(attributeLines(null, undefined, ref), { lines: [], unchanged: 0 });
  });
});

describe('detail line counts (what a capped markdown counts without making the lines)', () => {
  test('detailLineCount is detailLines(a).length for every action of the fixtures', () => {
    for (const plan of [smallPlan(), largePlan()]) {
      const review = buildReview(plan);
      for (const a of plan.actions) assert.equal(detailLineCount(a, review), detailLines(a, review).length, a.address);
    }
  });
});

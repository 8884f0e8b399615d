import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { PLAN_DETAILS_UP_TO, printPlan } from '../../src/cli/commands/plan.js';
import { renderText, type Plan } from '../../src/plan/index.js';
import { PlanBuilder } from '../plan/fixtures.js';

function capture(): { stdout: Writable; text: () => string; writes: () => number } {
  const chunks: Buffer[] = [];
  const stdout = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stdout, text: () => Buffer.concat(chunks).toString('utf8'), writes: () => chunks.length };
}

function planOf(servers: number): Plan {
  const b = new PlanBuilder();
  const project = b.add({ address: 'tenant[t]', kind: 'project', action: 'create', reason: ['missing_in_destination', 'project t'], tenant: 't', after: { name: 't' } });
  for (let i = 0; i < servers; i++) {
    b.add({ address: `tenant[t].server[vm-${i}]`, kind: 'server', action: 'migrate', reason: ['missing_in_destination', `server vm-${i}`], tenant: 't', deps: [project], after: { name: `vm-${i}`, project: { $ref: project } } });
  }
  return b.build();
}

describe('pumphouse plan prints the plan', () => {
  const saved = { path: 'out.json', sha256: 'ab'.repeat(32) };

  test('up to PLAN_DETAILS_UP_TO changes: the whole text rendering, in several writes', async () => {
    const plan = planOf(PLAN_DETAILS_UP_TO - 1);
    assert.equal(plan.summary.total, PLAN_DETAILS_UP_TO);
    const out = capture();
    await printPlan(plan, saved, { stdout: out.stdout, color: false });
    assert.equal(out.text(), renderText(plan, saved));
    assert.ok(out.writes() > 1);
  });

  test('past it: every object line, and instead of the details the command that shows them', async () => {
    const plan = planOf(PLAN_DETAILS_UP_TO);
    const out = capture();
    await printPlan(plan, saved, { stdout: out.stdout, color: false });
    const text = out.text();
    assert.match(text, new RegExp(`^Details\\n  not printed for more than ${PLAN_DETAILS_UP_TO} changes; every action's detail: pumphouse show out\\.json --format text$`, 'm'));
    assert.match(text, /^ {4}migrate  tenant\[t\]\.server\[vm-9999\]  server vm-9999$/m);
    assert.doesNotMatch(text, /reason: missing_in_destination/);
    assert.match(text, /To apply exactly this plan: pumphouse apply out\.json --expect-sha256 (ab){32}\n$/);
    const full = renderText(plan, saved);
    assert.equal(text.slice(0, text.indexOf('\nDetails\n')), full.slice(0, full.indexOf('\nDetails\n')));
  });
});

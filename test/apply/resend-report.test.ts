// The step runner opens the scope that settle-and-resend reports through: a resend inside a
// real step is reported with its action's address and step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPlan } from '../../src/apply/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { createOnce } from '../../src/kinds/common/create-once.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { CloudTransportError } from '../../src/openstack/index.js';
import { TestPlan, writeTestPlan } from './fixtures/plans.js';
import { NO_CLOUDS, worldsOfThisFile } from './helpers.js';

const world = worldsOfThisFile();

test('a create re-sent during a step is reported as request_resent with the action address and step', async () => {
  const w = world();
  const p = new TestPlan();
  const a = p.add({ address: 'tenant[a]', kind: 'project', action: 'create' });
  p.add({ address: 'tenant[a].network[n]', kind: 'network', action: 'create', deps: [a] });
  const { path } = await writeTestPlan(p.build({ planId: '00000000-0000-4000-8000-00000000c001', prior: null }), w.dir);
  let networkSends = 0;
  const registry = kindRegistry({
    handlers: [
      { kind: 'project', steps: { create: ['create'] }, runStep: async () => ({ destinationId: 'p1' }) },
      {
        kind: 'network',
        steps: { create: ['create'] },
        runStep: async () => {
          const made = await createOnce(
            async () => undefined,
            async () => {
              if (networkSends++ === 0) throw new CloudTransportError('PH_CLOUD_UNREACHABLE', 'socket hang up', { cloud: 'destination', service: 'network', method: 'POST', path: '/v2.0/networks', requestId: undefined, ambiguous: true });
              return 'n1';
            },
            { delaysMs: [1] },
          );
          return { destinationId: made.value };
        },
      },
    ],
  });
  const reporter = new MemoryReporter();
  const r = await applyPlan({ planPath: path, statePath: w.statePath, registry, clouds: NO_CLOUDS, reporter });
  assert.equal(r.result, 'ok');
  assert.deepEqual(
    reporter.ofType('request_resent').map(({ address, step, service, method, path, status, attempt }) => ({ address, step, service, method, path, status, attempt })),
    [{ address: 'tenant[a].network[n]', step: 'create', service: 'network', method: 'POST', path: '/v2.0/networks', status: null, attempt: 2 }],
  );
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { at, changes, run } from './fixtures/helpers.js';
import { desired } from './fixtures/manifest.js';
import { neutronClouds } from './fixtures/neutron-clouds.js';
import { fakeApply } from './fixtures/fake-apply.js';

function applied() {
  const c = neutronClouds();
  const want = desired();
  const first = run({ desired: want, source: c.source, destination: c.destination });
  return { want, r: fakeApply(first, c.source, c.destination) };
}

describe('plan: drift', () => {
  test('an object deleted in the destination is reported as drift and made again', () => {
    const { want, r } = applied();
    const vol = r.state.objects.find((o) => o.address === 'tenant[acme].volume[scratch]')!;
    r.destination.volumes = r.destination.volumes.filter((v) => v.id !== vol.destination_id);
    const p = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(p.drift, [
      {
        address: 'tenant[acme].volume[scratch]',
        kind: 'volume',
        cloud: 'destination',
        change: 'deleted',
        text: `${vol.destination_id} was deleted in the destination after pumphouse made it`,
      },
    ]);
    const again = at(p, 'tenant[acme].volume[scratch]');
    assert.equal(again.action, 'migrate');
    assert.match(again.reason.text, /gone; made again/);
  });

  test('a changed object is reported with its fields, not turned into an action', () => {
    const { want, r } = applied();
    const net = r.state.objects.find((o) => o.address === 'tenant[acme].network[private]')!;
    const i = r.destination.networks.findIndex((n) => n.id === net.destination_id);
    r.destination.networks[i] = { ...r.destination.networks[i]!, name: 'renamed' };
    const q = r.destination.quotas.findIndex((x) => x.projectId === r.state.objects.find((o) => o.kind === 'project')!.destination_id);
    r.destination.quotas[q] = { ...r.destination.quotas[q]!, compute: { ...r.destination.quotas[q]!.compute, instances: 99 } };
    const p = run({ desired: want, source: r.source, destination: r.destination, prior: r.state });
    assert.deepEqual(
      p.drift.map((d) => [d.address, d.change, d.fields]),
      [
        ['tenant[acme].network[private]', 'changed', ['name']],
        ['tenant[acme].quota', 'changed', ['compute']],
      ],
    );
    assert.match(p.drift[0]!.text, /name "private" -> "renamed"/);
    assert.deepEqual(changes(p), [], 'drift is reported, never applied');
  });
});

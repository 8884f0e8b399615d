import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Inventory, Port } from '../../src/inventory/index.js';
import { indexCloud } from '../../src/planner/indexes.js';
import { sourceNet } from '../../src/planner/source-network.js';
import { emptyInventory, port, server } from './fixtures/records.js';

/** NIC order as one sort of every compute port by (MAC position in its server, id), then grouped. */
function oneSort(inv: Inventory): { byServer: Map<string, string[]>; byId: Map<string, Port> } {
  const servers = new Map(inv.servers.map((s) => [s.id, s]));
  const rank = (p: Port): number => {
    const i = servers.get(p.deviceId)?.addresses.findIndex((a) => a.macAddress === p.macAddress) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const sorted = inv.ports
    .filter((p) => p.deviceOwner.startsWith('compute:'))
    .map((p) => ({ p, r: rank(p) }))
    .sort((a, b) => a.r - b.r || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0))
    .map((x) => x.p);
  const byServer = new Map<string, string[]>();
  const byId = new Map<string, Port>();
  for (const p of sorted) {
    if (p.deviceId) byServer.set(p.deviceId, [...(byServer.get(p.deviceId) ?? []), p.id]);
    if (!byId.has(p.id)) byId.set(p.id, p);
  }
  return { byServer, byId };
}

describe('source networking: server NIC ports', () => {
  test('each server its ports in address order, then by id; a port id listed twice resolves as one sort of all ports would', () => {
    const s = emptyInventory('source');
    const nic = (mac: string) => ({ networkName: 'n', macAddress: mac, ipAddress: '10.0.0.1', type: 'fixed' as const, version: 4 as const });
    s.servers.push(
      server('sv-1', 'a', 'p', 'u', { addresses: [nic('m2'), nic('m1'), nic('m3')] }),
      server('sv-2', 'b', 'p', 'u', { addresses: [nic('m9')] }),
    );
    s.ports.push(
      port('z-last', 'n', 'p', { deviceId: 'sv-1', macAddress: 'm-unknown' }),
      port('c', 'n', 'p', { deviceId: 'sv-1', macAddress: 'm3' }),
      port('b', 'n', 'p', { deviceId: 'sv-1', macAddress: 'm2' }),
      port('a-unknown', 'n', 'p', { deviceId: 'sv-1', macAddress: 'm-other' }),
      port('d', 'n', 'p', { deviceId: 'sv-1', macAddress: 'm1' }),
      // The same id twice: on sv-1 at rank 2 (m3), on sv-2 at rank 0 (m9); the lower rank wins.
      port('dup', 'n', 'p', { deviceId: 'sv-1', macAddress: 'm3', name: 'first listed' }),
      port('dup', 'n', 'p', { deviceId: 'sv-2', macAddress: 'm9', name: 'lower rank' }),
      port('dhcp', 'n', 'p', { deviceOwner: 'network:dhcp', deviceId: 'dhcp-x' }),
      port('e', 'n', 'p', { deviceId: 'sv-2', macAddress: 'm9' }),
    );
    const net = sourceNet(s, indexCloud(s));
    const want = oneSort(s);
    assert.deepEqual([...net.portsByServer].map(([k, ps]) => [k, ps.map((p) => p.id)]).sort(), [...want.byServer].sort());
    assert.deepEqual(net.portsByServer.get('sv-1')?.map((p) => p.id), ['b', 'd', 'c', 'dup', 'a-unknown', 'z-last']);
    assert.equal(net.portsById.get('dup')?.name, 'lower rank');
    assert.equal(net.portsById.size, want.byId.size);
    for (const [id, p] of want.byId) assert.equal(net.portsById.get(id), p, id);
    assert.equal(net.portsById.get('dhcp'), undefined);
  });
});

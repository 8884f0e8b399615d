import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diskLayoutOf, disksWithLayout, interfacesWithLayout, nicLayoutOf, type FuelDisk, type FuelInterface } from '../../src/fuel/index.js';

const nic = (id: number, name: string, nets: [number, string][] = []): FuelInterface => ({
  id,
  type: 'ether',
  name,
  mac: `52:54:00:00:00:0${id}`,
  state: 'up',
  currentSpeed: 1000,
  maxSpeed: 1000,
  assignedNetworks: nets.map(([i, n]) => ({ id: i, name: n })),
});

// A freshly assigned node: Nailgun put every network of the destination (ids 11..14) on eth0/eth1.
const fresh = [nic(21, 'eth0', [[1, 'fuelweb_admin'], [12, 'management'], [13, 'storage'], [14, 'fixed']]), nic(22, 'eth1', [[11, 'public']]), nic(23, 'eth2'), nic(24, 'eth3')];
const layout = [
  { name: 'eth0', assignedNetworks: ['fuelweb_admin'] },
  { name: 'eth1', assignedNetworks: [] },
  { name: 'eth2', assignedNetworks: ['public'] },
  { name: 'eth3', assignedNetworks: ['management', 'storage', 'fixed'] },
];

test('a NIC layout places networks by name with the target environment\'s ids', () => {
  const out = interfacesWithLayout('node 9', fresh, layout);
  assert.deepEqual(
    out.map((i) => [i.id, i.name, i.assignedNetworks.map((n) => n.id)]),
    [
      [21, 'eth0', [1]],
      [22, 'eth1', []],
      [23, 'eth2', [11]],
      [24, 'eth3', [12, 13, 14]],
    ],
  );
});

test('nicLayoutOf reads a template node, bonds included', () => {
  const bond: FuelInterface = { id: undefined, type: 'bond', name: 'bond0', mac: null, state: null, currentSpeed: null, maxSpeed: null, assignedNetworks: [{ id: 5, name: 'storage' }], mode: 'active-backup', slaves: ['eth2', 'eth3'] };
  assert.deepEqual(nicLayoutOf([nic(1, 'eth0', [[1, 'fuelweb_admin']]), bond]), [
    { name: 'eth0', assignedNetworks: ['fuelweb_admin'] },
    { name: 'bond0', assignedNetworks: ['storage'], bond: { mode: 'active-backup', slaves: ['eth2', 'eth3'] } },
  ]);
  const out = interfacesWithLayout('node 9', fresh, [
    { name: 'eth0', assignedNetworks: ['fuelweb_admin', 'public'] },
    { name: 'bond0', assignedNetworks: ['management', 'storage', 'fixed'], bond: { mode: 'active-backup', slaves: ['eth2', 'eth3'] } },
  ]);
  assert.deepEqual(out.at(-1), { id: undefined, type: 'bond', name: 'bond0', mac: null, state: null, currentSpeed: null, maxSpeed: null, assignedNetworks: [{ id: 12, name: 'management' }, { id: 13, name: 'storage' }, { id: 14, name: 'fixed' }], mode: 'active-backup', slaves: ['eth2', 'eth3'] });
  assert.deepEqual(out.find((i) => i.name === 'eth2')?.assignedNetworks, []);
});

test('layout mistakes are precondition failures that name the node and the problem', () => {
  const fails = (l: typeof layout, re: RegExp): void =>
    assert.throws(() => interfacesWithLayout('node 9', fresh, l), (e: { code: string; message: string }) => e.code === 'PH_PRECONDITION_FAILED' && /^Fuel node node 9: /.test(e.message) && re.test(e.message));
  fails([...layout, { name: 'eth7', assignedNetworks: [] }], /has no NIC eth7 \(it has eth0, eth1, eth2, eth3\)/);
  fails([{ name: 'eth0', assignedNetworks: ['fuelweb_admin', 'private'] }], /network private is not one of its environment's networks/);
  fails([{ name: 'eth0', assignedNetworks: ['fuelweb_admin', 'public'] }, { name: 'eth1', assignedNetworks: ['public'] }], /network public is placed on two interfaces/);
  fails([{ name: 'eth0', assignedNetworks: ['fuelweb_admin'] }], /leaves network\(s\) management, storage, fixed, public on no interface/);
});

const disk = (id: string, name: string, size: number, vols: [string, number][]): FuelDisk => ({ id, name, size, volumes: vols.map(([n, s]) => ({ name: n, size: s })), extra: [] });

test('a disk layout copies volume sizes by disk name and keeps the target\'s disk ids', () => {
  const template = [disk('t-a', 'sda', 102400, [['os', 40960], ['vm', 61440]]), disk('t-b', 'sdb', 204800, [['os', 0], ['vm', 204800]])];
  const target = [disk('x-a', 'sda', 102400, [['os', 51200], ['vm', 51200]]), disk('x-b', 'sdb', 204800, [['os', 0], ['vm', 204800]]), disk('x-c', 'sdc', 10, [['os', 0], ['vm', 10]])];
  const out = disksWithLayout('node 9', target, diskLayoutOf(template));
  assert.deepEqual(out.map((d) => [d.id, d.volumes.map((v) => v.size)]), [
    ['x-a', [40960, 61440]],
    ['x-b', [0, 204800]],
    ['x-c', [0, 10]],
  ]);
});

test('disk layout mistakes: a missing disk, a volume the roles lack, sizes that do not fit', () => {
  const target = [disk('x-a', 'sda', 1000, [['os', 500], ['vm', 500]])];
  const fails = (l: Parameters<typeof disksWithLayout>[2], re: RegExp): void =>
    assert.throws(() => disksWithLayout('node 9', target, l), (e: { code: string; message: string }) => e.code === 'PH_PRECONDITION_FAILED' && re.test(e.message));
  fails([{ name: 'sdb', volumes: [] }], /has no disk sdb \(it has sda\)/);
  fails([{ name: 'sda', volumes: [{ name: 'cinder', size: 10 }] }], /disk sda has no volume cinder for its roles \(it has os, vm\)/);
  fails([{ name: 'sda', volumes: [{ name: 'os', size: 600 }, { name: 'vm', size: 600 }] }], /disk sda has 1000 MiB, the layout needs 1200 MiB/);
});

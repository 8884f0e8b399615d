/**
 * Descriptions and tags of networks, subnets, routers, ports and floating IPs on the
 * simulator's Neutron: a modern destination (standard-attr-description, standard-attr-tag)
 * gets the source text with the marker appended and the source's tags beside the marker's,
 * and discovery gives the source text and tags back with the marker in `marker`; a Havana
 * destination (neither) gets none, with a warning each, and the create still works.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toFloatingIp, toNetwork, toPort, toRouter, toSubnet } from '../../../src/discovery/records/network.js';
import { floatingIpKind, networkKind, portKind, routerKind, subnetKind } from '../../../src/kinds/network/index.js';
import { openCloud, type Cloud } from '../../../src/openstack/index.js';
import { startSimCloud, type SimCloud } from '../../../src/sim/index.js';
import { cloudAccess, makeAction, ref, StepHarness } from '../support/step-harness.js';

async function open(sim: SimCloud): Promise<Cloud> {
  const a = sim.admin;
  return openCloud(
    { authUrl: sim.authUrl, username: a.username, password: a.password, projectName: a.projectName, ...(sim.profile.keystoneV2 ? {} : { userDomainName: 'Default', projectDomainName: 'Default' }) },
    { name: 'destination' },
  );
}

/** The five kinds' create actions, each with a description, chained by `$ref`s. */
function actions(externalId: string) {
  const network = makeAction({ kind: 'network', action: 'create', address: 'tenant[a].network[n]', sourceId: 'src-net', after: { name: 'n', shared: false, admin_state_up: true, description: 'the web tier', tags: ['k8s', 'tier=web'] } });
  const subnet = makeAction({
    kind: 'subnet', action: 'create', address: 'tenant[a].subnet[s]', sourceId: 'src-sub',
    after: { name: 's', network_id: ref(network), cidr: '10.1.0.0/24', ip_version: 4, gateway_ip: '10.1.0.1', enable_dhcp: true, dns_nameservers: [], allocation_pools: [], host_routes: [], description: 'web addresses' },
  });
  const router = makeAction({ kind: 'router', action: 'create', address: 'tenant[a].router[r]', sourceId: 'src-router', after: { name: 'r', admin_state_up: true, external_gateway: null, description: 'edge', tags: ['edge'] } });
  const port = makeAction({
    kind: 'port', action: 'create', address: 'tenant[a].server[w].port[0]', sourceId: 'src-port',
    after: { name: '', network_id: ref(network), fixed_ips: [], security_groups: [], admin_state_up: true, mac_address: null, description: 'x'.repeat(250) },
  });
  const fip = makeAction({ kind: 'floating_ip', action: 'create', address: 'tenant[a].floating_ip[f]', sourceId: 'src-fip', after: { floating_network_id: externalId, floating_ip_address: null, port_id: null, description: 'public web' }, steps: ['allocate'] });
  return { network, subnet, router, port, fip };
}

async function runAll(h: StepHarness, a: ReturnType<typeof actions>): Promise<Record<keyof typeof a, string>> {
  const out: Record<string, string> = {};
  for (const [name, kind, action] of [['network', networkKind, a.network], ['subnet', subnetKind, a.subnet], ['router', routerKind, a.router], ['port', portKind, a.port], ['fip', floatingIpKind, a.fip]] as const) {
    const results = await h.run(kind, action);
    out[name] = results.find((r) => r.destinationId)!.destinationId!;
  }
  return out as Record<keyof typeof a, string>;
}

describe('Neutron descriptions on a modern simulated destination', { concurrency: false }, () => {
  let sim: SimCloud;
  let dst: Cloud;
  before(async () => {
    sim = await startSimCloud({ release: 'modern', network: 'neutron', hashCost: 'fast' }, { name: 'destination' });
    dst = await open(sim);
  });
  after(async () => {
    await dst?.close();
    await sim?.close();
  });

  it('carries the source text with the marker appended; discovery reads back the text and the marker apart', async () => {
    const net = dst.network!;
    const external = (await net.networks.list()).find((n) => n.external)!;
    const h = new StepHarness(cloudAccess(undefined, dst));
    const ids = await runAll(h, actions(external.id));
    const n = await net.networks.get(ids.network);
    assert.equal(n.description, 'the web tier [pumphouse_source=src-net kind=network]');
    const ports = await net.ports.list();
    const byId = new Map(ports.map((p) => [p.id, p]));
    const records = {
      network: toNetwork(n),
      subnet: toSubnet(await net.subnets.get(ids.subnet)),
      router: toRouter(await net.routers.get(ids.router), []),
      port: toPort(byId.get(ids.port)!),
      fip: toFloatingIp(await net.floatingIps.get(ids.fip), byId),
    };
    assert.deepEqual(
      Object.fromEntries(Object.entries(records).map(([k, r]) => [k, [r.description, r.marker?.sourceId]])),
      { network: ['the web tier', 'src-net'], subnet: ['web addresses', 'src-sub'], router: ['edge', 'src-router'], port: [records.port.description, 'src-port'], fip: ['public web', 'src-fip'] },
    );
    // 250 characters and the marker do not fit Neutron's 255: the text is cut, the marker kept.
    assert.equal(byId.get(ids.port)!.description.length, 255);
    assert.ok(records.port.description!.length < 250 && 'x'.repeat(250).startsWith(records.port.description!));
    assert.equal(h.reporter.events.filter((e) => e.type === 'diagnostic').length, 0);
    // The source's own tags (Mitaka+) go beside the marker's; discovery reads back only them.
    assert.deepEqual([...n.tags].sort(), ['k8s', 'pumphouse_kind=network', 'pumphouse_source=src-net', 'tier=web']);
    assert.deepEqual(Object.fromEntries(Object.entries(records).map(([k, r]) => [k, r.tags])), { network: ['k8s', 'tier=web'], subnet: undefined, router: ['edge'], port: undefined, fip: undefined });
  });

  it('an action without a description (the source had none) gets only the marker, which discovery takes out', async () => {
    const h = new StepHarness(cloudAccess(undefined, dst));
    const plain = makeAction({ kind: 'network', action: 'create', address: 'tenant[a].network[plain]', sourceId: 'src-plain', after: { name: 'plain', shared: false, admin_state_up: true } });
    const [r] = await h.run(networkKind, plain);
    const n = await dst.network!.networks.get(r!.destinationId!);
    assert.equal(n.description, '[pumphouse_source=src-plain kind=network]');
    assert.equal(toNetwork(n).description, undefined);
  });
});

describe('Neutron descriptions on a Havana simulated destination (no standard-attr-description)', { concurrency: false }, () => {
  let sim: SimCloud;
  let dst: Cloud;
  before(async () => {
    sim = await startSimCloud({ release: 'havana', network: 'neutron', hashCost: 'fast' }, { name: 'destination' });
    dst = await open(sim);
  });
  after(async () => {
    await dst?.close();
    await sim?.close();
  });

  it('makes the network without a description and warns that the source text is not copied', async () => {
    assert.equal(dst.network!.extensions.has('standard-attr-description'), false);
    const h = new StepHarness(cloudAccess(undefined, dst));
    const { network } = actions('unused');
    const [r] = await h.run(networkKind, network);
    const n = await dst.network!.networks.get(r!.destinationId!);
    assert.equal(n.description, '');
    assert.deepEqual(n.tags, []);
    const warnings = h.reporter.events.filter((e) => e.type === 'diagnostic').map((e) => JSON.stringify(e));
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /stores no descriptions/);
    assert.match(warnings[1]!, /does not take these source tags on networks, so they are not copied: k8s, tier=web/);
  });
});

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CallLedger, discover, discoverCloud, readOnlyCloud, type Discovery } from '../../src/discovery/index.js';
import { MemoryReporter } from '../../src/events/index.js';
import { openCloud, type Cloud } from '../../src/openstack/index.js';
import type { StateFile } from '../../src/state/index.js';
import { creds, fastRetry, send, type FakeCloud } from '../openstack/fake-cloud.js';
import { desired, tenant } from '../planner/fixtures/manifest.js';
import { nonLoginRequests, startWireCloud } from './fixtures/wire-cloud.js';
import { junoSource } from './fixtures/wire-juno.js';
import { zedDestination } from './fixtures/wire-zed.js';

const fakes: FakeCloud[] = [];
const opened: Cloud[] = [];
after(async () => {
  for (const c of opened) await c.close();
  for (const f of fakes) await f.close();
});

async function pair(servers = 2): Promise<{ src: FakeCloud; dst: FakeCloud; source: Cloud; destination: Cloud }> {
  const src = await startWireCloud(junoSource({ servers }));
  const dst = await startWireCloud(zedDestination());
  fakes.push(src, dst);
  const fr = fastRetry();
  const source = await openCloud(creds(src, 'v2.0'), { name: 'source', retry: fr.retry, sleep: fr.sleep });
  const destination = await openCloud(creds(dst, 'v3'), { name: 'destination', retry: fr.retry, sleep: fr.sleep });
  opened.push(source, destination);
  return { src, dst, source, destination };
}

const AT = '2026-11-26T12:00:00.000Z';

describe('discover: a Juno nova-network source and a modern Neutron destination', async () => {
  const { src, dst, source, destination } = await pair();
  const reporter = new MemoryReporter();
  const prior: StateFile = {
    version: 1,
    pumphouse_version: '0.1.0',
    lineage: 'l-1',
    serial: 3,
    objects: [],
    temporaries: [],
    history: [],
  };
  const found: Discovery = await discover({ source, destination, desired: desired({ tenants: [tenant('acme')] }), prior }, { reporter, now: () => new Date(AT) });
  const s = found.source;
  const d = found.destination;

  test('capabilities say what each cloud speaks, release inferred', () => {
    assert.deepEqual(s.capabilities, {
      identityApi: 'v2.0',
      networkModel: 'nova-network',
      novaNetworkManager: 'FlatDHCP',
      imageApi: 'v1',
      volumeApi: 'v1',
      computeMicroversion: null,
      release: 'juno',
      keystoneRelease: 'juno',
      floatingIpAddressOnCreate: false,
    });
    assert.equal(d.capabilities.release, 'zed');
    assert.equal(d.capabilities.networkModel, 'neutron');
    assert.equal(d.capabilities.identityApi, 'v3');
    assert.equal(d.capabilities.floatingIpAddressOnCreate, true);
    assert.deepEqual(s.session, { userId: 'u-admin', userName: 'admin', projectId: 'p-admin' });
    assert.deepEqual(s.observed, { at: AT, calls: found.calls.source.total });
  });

  test('identity: v2.0 tenants have no domain; assignments read for the scoped tenant only', () => {
    assert.deepEqual(s.projects.map((p) => [p.name, p.domainId]), [['admin', null], ['acme', null], ['beta', null]]);
    assert.deepEqual(s.roleAssignments, [{ userId: 'u-alice', roleId: 'r-member', projectId: 't-acme' }]);
    assert.equal(src.hits('GET', '/identity-admin/v2.0/tenants/t-acme/users').length, 1);
    assert.equal(src.hits('GET', '/identity-admin/v2.0/tenants/t-beta/users').length, 0, 'beta is not in the manifest');
    assert.equal(src.hits('GET', '/identity-admin/v2.0/tenants/p-admin/users').length, 0);
  });

  test('compute: flavors with extra specs and private access, servers with NICs in order', () => {
    const priv = s.flavors.find((f) => f.id === 'f-private')!;
    assert.deepEqual([priv.isPublic, priv.access, priv.extraSpecs, priv.swapMb], [false, ['t-acme'], { 'hw:cpu_policy': 'dedicated' }, 512]);
    assert.equal(s.flavors.find((f) => f.id === '1')!.swapMb, 0, 'legacy "" swap is 0');
    const srv = s.servers.find((x) => x.id === 'srv-1')!;
    assert.equal(srv.flavorName, 'acme.large');
    assert.deepEqual(srv.securityGroupNames, ['default']);
    assert.deepEqual(srv.attachedVolumeIds, ['vol-1']);
    assert.deepEqual(srv.addresses.map((a) => `${a.type} ${a.ipAddress} ${a.macAddress}`), ['fixed 10.0.0.4 fa:16:3e:00:00:01', 'floating 172.24.4.20 fa:16:3e:00:00:01']);
    assert.deepEqual(s.hypervisors.map((h) => [h.hypervisorHostname, h.host, h.state, h.runningVms]), [['node-1.domain.tld', 'node-1', 'up', 2], ['node-2.domain.tld', 'node-2', 'up', 2]]);
    assert.deepEqual(s.computeServices.filter((x) => x.binary === 'nova-compute').map((x) => [x.host, x.status, x.disabledReason]), [['node-1', 'enabled', null], ['node-2', 'disabled', 'maintenance']]);
    assert.deepEqual(s.availabilityZones.find((z) => z.name === 'nova')?.hosts, ['node-1', 'node-2']);
  });

  test('nova-network: networks, floating IPs with the fixed address behind them', () => {
    assert.deepEqual(s.networks, []);
    assert.deepEqual(s.novaNetworks.map((n) => [n.label, n.cidr, n.vlan, n.dns, n.multiHost, n.projectId]), [['novanetwork', '10.0.0.0/16', null, ['8.8.8.8'], true, null]]);
    assert.deepEqual(s.novaFloatingIps.map((f) => [f.address, f.projectId, f.serverId, f.fixedIpAddress]), [
      ['172.24.4.20', 't-acme', 'srv-1', '10.0.0.4'],
      ['172.24.4.21', 't-acme', null, null],
      ['172.24.4.22', null, null, null],
    ]);
  });

  test('nova security groups in Neutron terms; a rule naming a missing group is left out, loudly', () => {
    const g = s.securityGroups.find((x) => x.id === '10')!;
    assert.deepEqual(g.rules, [
      { id: '100', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', portMin: 22, portMax: 22, remoteIpPrefix: '0.0.0.0/0', remoteGroupId: null },
      { id: '101', direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp', portMin: null, portMax: null, remoteIpPrefix: null, remoteGroupId: '10' },
    ]);
    assert.ok(found.notes.some((n) => /rule 102 .*'ghost'/.test(n.summary)));
  });

  test('images and volumes (Glance v1, Cinder v1 display names)', () => {
    assert.deepEqual(s.images.map((i) => [i.id, i.visibility, i.owner, i.properties['image_type'] ?? null]), [['img-cirros', 'public', 'p-admin', null], ['img-snap', 'private', 't-acme', 'snapshot']]);
    assert.deepEqual(s.volumes.map((v) => [v.name, v.description, v.projectId, v.bootable, v.attachments]), [['data', 'app data', 't-acme', false, [{ serverId: 'srv-1', device: '/dev/vdb' }]]]);
    assert.deepEqual(s.volumeSnapshots, [{ id: 'snap-1', name: 'before-upgrade', volumeId: 'vol-1' }], 'every project\'s snapshots, v1 display names');
  });

  test('per-object reads only for the scope: quotas of acme, keypairs the legacy way (the planner, not discovery, says whose it cannot read)', () => {
    assert.deepEqual(s.quotas.map((q) => q.projectId), ['t-acme']);
    assert.equal(s.quotas[0]!.compute!['floating_ips'], 10);
    assert.equal(s.quotas[0]!.network, null, 'no Neutron');
    assert.deepEqual(s.keypairs, [{ name: 'ops', userId: 'u-admin', fingerprint: '1a:2b', publicKey: 'ssh-rsa AAAA ops', type: 'ssh' }]);
    assert.ok(!found.notes.some((n) => /keypairs/.test(n.summary)), 'one message about unread keypairs: the plan\'s owner_keypairs diagnostic');
    assert.equal(src.hits('GET', /\/os-quota-sets\/t-beta$/).length, 0);
  });

  test('destination: markers decoded from descriptions, tags, metadata and properties, then removed', () => {
    const acme = d.projects.find((p) => p.id === 'd-acme')!;
    assert.deepEqual([acme.description, acme.marker], ['Acme Corp', { sourceId: 't-acme', kind: 'project' }]);
    assert.equal(d.projects.find((p) => p.id === 'd-other')!.marker, undefined);
    assert.deepEqual(d.users.find((u) => u.id === 'd-alice')!.marker, { sourceId: 'u-alice', kind: 'user' });
    assert.deepEqual(d.networks.find((n) => n.id === 'd-net')!.marker, { sourceId: 'net-flat', kind: 'network' });
    assert.deepEqual(d.subnets.find((n) => n.id === 'd-sub')!.marker, { sourceId: 'net-flat', kind: 'subnet' }, 'description suffix');
    const server = d.servers[0]!;
    assert.deepEqual([server.metadata, server.marker], [{ role: 'web' }, { sourceId: 'srv-1', kind: 'server' }]);
    assert.deepEqual([d.images[0]!.properties, d.images[0]!.marker], [{ hw_disk_bus: 'virtio' }, { sourceId: 'img-cirros', kind: 'image' }]);
    assert.deepEqual([d.volumes[0]!.metadata, d.volumes[0]!.marker], [{ readonly: 'False' }, { sourceId: 'vol-1', kind: 'volume' }]);
    const rule = d.securityGroups[0]!.rules.find((r) => r.id === 'd-r2')!;
    assert.deepEqual(rule.marker, { sourceId: '100', kind: 'security_group_rule' });
  });

  test('destination: router interfaces and floating IP servers come from the port list', () => {
    const router = d.routers[0]!;
    assert.deepEqual(router.interfaces, [{ subnetId: 'd-sub', portId: 'd-port-ri', ipAddress: '10.0.0.1' }]);
    assert.deepEqual(router.gateway, { networkId: 'd-public', enableSnat: true, externalFixedIps: [{ subnetId: 'd-public-sub', ipAddress: '198.51.100.10' }] });
    assert.equal(d.floatingIps[0]!.serverId, 'd-srv-1');
    assert.deepEqual(d.roleAssignments, [{ userId: 'd-admin', roleId: 'dr-admin', projectId: 'p-admin' }, { userId: 'd-alice', roleId: 'dr-member', projectId: 'd-acme' }]);
    assert.deepEqual(d.flavors.find((f) => f.name === 'm1.large')!.extraSpecs, { 'hw:mem_page_size': 'any' }, 'embedded at 2.61+');
  });

  test("destination scope follows the source's: quotas of the copy of acme (and of the admin's project, for the keys the destination accepts), keypairs of the copy of alice", () => {
    assert.deepEqual(d.quotas.map((q) => [q.projectId, q.network?.['floatingip']]), [['d-acme', 50], ['p-admin', 50]]);
    assert.deepEqual(d.keypairs, [{ name: 'alice-key', userId: 'd-alice', fingerprint: 'aa:bb', publicKey: 'ssh-ed25519 AAAA alice', type: 'ssh' }]);
    const asked = dst.hits('GET', '/compute/v2.1/os-keypairs').map((r) => r.url.searchParams.get('user_id'));
    assert.deepEqual(asked, ['d-alice'], 'carol and admin are not copies of anyone in scope');
  });

  test('read-only on the wire: both clouds saw only GETs besides the logins', () => {
    for (const cloud of [src, dst]) {
      const writes = nonLoginRequests(cloud).filter((r) => !r.startsWith('GET '));
      assert.deepEqual(writes, []);
    }
    assert.deepEqual(Object.keys(found.calls.source.byMethod), ['GET']);
    assert.deepEqual(Object.keys(found.calls.destination.byMethod), ['GET']);
  });

  test('events: start, progress per kind, complete with the same call count as the inventory', () => {
    for (const cloud of ['source', 'destination']) {
      assert.equal(reporter.ofType('discovery_start').filter((e) => e.cloud === cloud).length, 1);
      const done = reporter.ofType('discovery_complete').find((e) => e.cloud === cloud)!;
      assert.equal(done.calls, cloud === 'source' ? s.observed!.calls : d.observed!.calls);
      assert.ok(done.objects > 10);
      const servers = reporter.ofType('discovery_progress').find((e) => e.cloud === cloud && e.kind === 'servers')!;
      assert.equal(servers.count, cloud === 'source' ? 2 : 1);
    }
  });
});

test('calls grow with pages, not with servers', async () => {
  const calls = async (servers: number): Promise<number> => {
    const { source } = await pair(servers);
    return (await discoverCloud(source, { role: 'source' })).calls.discovery;
  };
  const one = await calls(1);
  assert.equal(await calls(300), one, '300 servers fit one page of 1000');
  assert.equal(await calls(1100), one + 1, 'a second page of servers');
});

test('the read-only session refuses a write before sending it', async () => {
  const { dst, destination } = await pair();
  const ledger = new CallLedger();
  const ro = readOnlyCloud(destination, ledger);
  await assert.rejects(ro.compute.flavors.create({ name: 'x', vcpus: 1, ramMb: 1, diskGb: 1 }), (err: unknown) => (err as { code?: string }).code === 'PH_INTERNAL' && /read-only but tried POST compute/.test((err as Error).message));
  await assert.rejects(ro.network!.networks.delete('d-net'), /read-only but tried DELETE network/);
  assert.equal(dst.hits('POST', /flavors/).length + dst.hits('DELETE', /networks/).length, 0);
  assert.equal(ledger.total, 0);
  assert.equal((await ro.compute.flavors.list()).length, 2, 'reads still work');
  assert.deepEqual(ledger.byMethod(), { GET: 1 });
});

test('the source quotas are read while the servers list is still answering', async () => {
  const { src, source, destination } = await pair();
  // The servers list answers only once a quota read has arrived (or after 3 s): a discovery
  // that waited for every bulk list before its quota reads would be seen here.
  let early = false;
  src.on('GET', '/compute/v2/p-admin/servers/detail', async (_req, res) => {
    for (let i = 0; i < 300 && !early; i++) {
      early = src.hits('GET', /\/os-quota-sets\/t-acme$/).length > 0;
      if (!early) await new Promise((r) => setTimeout(r, 10));
    }
    send(res, 200, { servers: [] });
  });
  const found = await discover({ source, destination, desired: desired({ tenants: [tenant('acme')] }), prior: null });
  assert.ok(early, 'a quota read reached the source before the servers list was answered');
  assert.deepEqual(found.source.quotas.map((q) => q.projectId), ['t-acme']);
});

test("the manifest's concurrency.discovery bounds how many projects' quotas are read at once", async () => {
  const mostAtOnce = async (limit: number): Promise<number> => {
    const { src, source, destination } = await pair();
    let inFlight = 0;
    let most = 0;
    // Each Nova quota read is held until another one arrives (or 300 ms pass): a second
    // project read alongside the first shows up as 2 at once.
    src.on('GET', /\/os-quota-sets\/t-(acme|beta)$/, async (req, res) => {
      if (!req.path.includes('/compute/')) return send(res, 200, { quota_set: { id: 'x', volumes: 10, snapshots: 10, gigabytes: 1000 } });
      inFlight++;
      most = Math.max(most, inFlight);
      for (let i = 0; i < 30 && inFlight < 2; i++) await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      send(res, 200, { quota_set: { id: 'x', instances: 10, cores: 20, ram: 51200 } });
    });
    const manifest = desired({ tenants: [tenant('acme'), tenant('beta')], concurrency: { perKind: {}, discovery: limit } });
    const found = await discover({ source, destination, desired: manifest, prior: null });
    assert.deepEqual(found.source.quotas.map((q) => q.projectId).sort(), ['t-acme', 't-beta']);
    return most;
  };
  assert.equal(await mostAtOnce(1), 1);
  assert.equal(await mostAtOnce(2), 2);
});

test("the source's other lists go out once its projects are listed (the quota reads' head start)", async () => {
  const { src, source, destination } = await pair();
  // The tenants list answers late: without the head start the servers list would be asked
  // for before that answer.
  let tenantsAnswered = false;
  let serversAskedEarly = false;
  src.on('GET', /\/tenants$/, async (_req, res) => {
    await new Promise((r) => setTimeout(r, 150));
    tenantsAnswered = true;
    send(res, 200, { tenants: [
      { id: 'p-admin', name: 'admin', description: 'admin tenant', enabled: true },
      { id: 't-acme', name: 'acme', description: 'Acme Corp', enabled: true },
      { id: 't-beta', name: 'beta', description: '', enabled: true },
    ] });
  });
  src.on('GET', /\/servers\/detail$/, (_req, res) => {
    serversAskedEarly ||= !tenantsAnswered;
    send(res, 200, { servers: [] });
  });
  const found = await discover({ source, destination, desired: desired({ tenants: [tenant('acme')] }), prior: null });
  assert.equal(serversAskedEarly, false);
  assert.deepEqual(found.source.quotas.map((q) => q.projectId), ['t-acme']);
});

// The synthetic 10-servers-per-tenant source that bench/plan-scale-pure.ts and
// bench/plan-output.ts plan: a large plan without the simulator.
import {
  computeService,
  emptyInventory,
  flavor,
  floatingIp,
  group,
  hypervisor,
  image,
  network,
  neutronDefaultRules,
  port,
  project,
  role,
  router,
  server,
  subnet,
  tcp,
  user,
  volume,
  type InventoryDraft,
} from '../../test/planner/fixtures/records.js';

export const SERVERS_PER_TENANT = 10;
const HOSTS = 1000;

export function synthetic(tenants: number): { source: InventoryDraft; destination: InventoryDraft } {
  const s = emptyInventory('source', { release: 'juno', keystoneRelease: 'juno' });
  s.roles.push(role('r-member', '_member_'));
  s.flavors.push(flavor('f-1', 'm1.small'), flavor('f-2', 'm1.medium', { vcpus: 2, ramMb: 4096, diskGb: 40 }));
  s.images.push(image('img-pub-1', 'cirros'), image('img-pub-2', 'ubuntu', { sizeBytes: 300_000_000 }));
  s.networks.push(network('n-public', 'public', 'p-admin', { external: true }));
  s.subnets.push(subnet('s-public', 'public', 'n-public', 'p-admin', '172.16.0.0/12'));
  for (let h = 0; h < HOSTS; h++) {
    s.hypervisors.push(hypervisor(`h${h}`, `node-${h}`));
    s.computeServices.push(computeService(`node-${h}`));
  }
  let fip = 0;
  for (let t = 0; t < tenants; t++) {
    const p = `p-${t}`;
    s.projects.push(project(p, `tenant-${t}`));
    for (const u of [0, 1]) {
      s.users.push(user(`u-${t}-${u}`, `user-${t}-${u}`, { defaultProjectId: p }));
      s.roleAssignments.push({ userId: `u-${t}-${u}`, roleId: 'r-member', projectId: p });
      s.passwordHashRefs.push({ userId: `u-${t}-${u}`, scheme: 'sha512_crypt' });
    }
    s.keypairs.push({ name: 'key', userId: `u-${t}-0`, fingerprint: `fp-${t}`, publicKey: `ssh-rsa ${t}`, type: 'ssh' });
    s.quotas.push({ projectId: p, compute: { instances: 20, cores: 40, ram: 51200 }, volume: { volumes: 10, gigabytes: 1000 }, network: { port: 50 } });
    s.securityGroups.push(
      group(`sg-${t}-d`, 'default', p, neutronDefaultRules(`r-${t}-d`, `sg-${t}-d`)),
      group(`sg-${t}-w`, 'web', p, [tcp(`r-${t}-w1`, 80, { cidr: '0.0.0.0/0' }), tcp(`r-${t}-w2`, 22, { group: `sg-${t}-d` })]),
    );
    const third = Math.floor(t / 250);
    const cidr = `10.${third % 256}.${t % 250}.0/24`;
    s.networks.push(network(`n-${t}`, 'private', p));
    s.subnets.push(subnet(`s-${t}`, 'private-subnet', `n-${t}`, p, cidr));
    s.routers.push(
      router(`r-${t}`, 'router', p, {
        gateway: { networkId: 'n-public', enableSnat: true, externalFixedIps: [] },
        interfaces: [{ subnetId: `s-${t}`, portId: `ri-${t}`, ipAddress: cidr.replace('.0/24', '.1') }],
      }),
    );
    s.images.push(image(`img-${t}`, `snap-${t}`, { visibility: 'private', owner: p }));
    for (let k = 0; k < SERVERS_PER_TENANT; k++) {
      const id = `sv-${t}-${k}`;
      const ip = cidr.replace('.0/24', `.${10 + k}`);
      const mac = `fa:16:3e:${hex(t >> 8)}:${hex(t)}:${hex(k)}`;
      const host = `node-${(t * SERVERS_PER_TENANT + k) % HOSTS}`;
      const vols = k % 2 === 0 ? [`v-${t}-${k}`] : [];
      s.ports.push(port(`port-${t}-${k}`, `n-${t}`, p, { macAddress: mac, fixedIps: [{ subnetId: `s-${t}`, ipAddress: ip }], deviceId: id, securityGroupIds: [`sg-${t}-d`, `sg-${t}-w`] }));
      s.servers.push(
        server(id, `vm-${k}`, p, `u-${t}-0`, {
          host,
          flavorId: k % 3 === 0 ? 'f-2' : 'f-1',
          imageId: 'img-pub-1',
          keyName: 'key',
          securityGroupNames: ['default', 'web'],
          addresses: [{ networkName: 'private', macAddress: mac, ipAddress: ip, type: 'fixed', version: 4 }],
          attachedVolumeIds: vols,
        }),
      );
      for (const v of vols) s.volumes.push(volume(v, `data-${k}`, p, { sizeGb: 10, status: 'in-use', attachments: [{ serverId: id, device: '/dev/vdb' }] }));
      if (k < 2) {
        const addr = `172.${16 + ((fip >> 16) & 15)}.${(fip >> 8) & 255}.${fip & 255}`;
        fip++;
        s.floatingIps.push(floatingIp(`fip-${t}-${k}`, addr, p, { externalNetworkId: 'n-public', portId: `port-${t}-${k}`, fixedIpAddress: ip, routerId: `r-${t}`, serverId: id }));
      }
    }
  }
  const d = emptyInventory('destination');
  d.session = { userId: 'd-admin', userName: 'admin', projectId: 'd-p-admin' };
  d.projects.push(project('d-p-admin', 'admin'));
  d.users.push(user('d-admin', 'admin'));
  d.roles.push(role('d-r-admin', 'admin'), role('d-r-member', 'member'));
  d.flavors.push(flavor('d-f-1', 'm1.small'));
  d.networks.push(network('d-public', 'public', 'd-p-admin', { external: true }));
  d.subnets.push(subnet('d-public-s', 'public', 'd-public', 'd-p-admin', '172.16.0.0/12'));
  return { source: s, destination: d };
}

function hex(n: number): string {
  return (n & 255).toString(16).padStart(2, '0');
}


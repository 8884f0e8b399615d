/**
 * Builders for realistic plans, used by the renderer and file-format tests and their golden
 * renderings in test/plan/golden/ (`UPDATE_GOLDEN=1`). Hand-built, so the renderers are tested
 * on every shape; the example plans in plans/ come from the real planner (scripts/golden-plans.ts).
 */
import { createHash } from 'node:crypto';
import { actionId, standardSteps, summarize, topoOrder } from '../../src/plan/index.js';
import type {
  Action,
  ActionType,
  Attributes,
  Diagnostic,
  DriftItem,
  Impact,
  Plan,
  Precondition,
  ReasonCode,
  ResourceKind,
} from '../../src/plan/index.js';

export const FIXED_IDENTITY = { plan_id: '00000000-0000-4000-8000-000000000001', created_at: '2026-11-26T12:00:00.000Z' } as const;

export interface Spec {
  readonly address: string;
  readonly kind: ResourceKind;
  readonly action: ActionType;
  readonly reason: readonly [ReasonCode, string];
  readonly deps?: readonly string[];
  readonly tenant?: string;
  readonly host?: string;
  readonly source?: { readonly id: string; readonly name: string; readonly cloud?: 'source' | 'fuel' };
  readonly destination?: { readonly id?: string; readonly name: string; readonly cloud?: 'destination' | 'fuel' };
  readonly before?: Attributes | null;
  readonly after?: Attributes;
  readonly preconditions?: readonly Precondition[];
  readonly impact?: Partial<Impact>;
  readonly steps?: readonly string[];
  readonly warnings?: readonly string[];
}

/** Accumulates actions; `add` returns the new action's id for use in later `deps` and `$ref`s. */
export class PlanBuilder {
  readonly actions: Action[] = [];

  add(s: Spec): string {
    const id = actionId(s.address, s.action);
    this.actions.push({
      id,
      address: s.address,
      kind: s.kind,
      action: s.action,
      reason: { code: s.reason[0], text: s.reason[1] },
      depends_on: [...new Set(s.deps ?? [])].sort(),
      ...(s.tenant ? { tenant: s.tenant } : {}),
      ...(s.host ? { host: s.host } : {}),
      ...(s.source ? { source: { cloud: s.source.cloud ?? 'source', id: s.source.id, name: s.source.name } } : {}),
      ...(s.destination ? { destination: s.destination } : {}),
      ...(s.before !== undefined ? { before: s.before } : {}),
      ...(s.after ? { after: s.after } : {}),
      preconditions: s.preconditions ?? [],
      impact: { downtime: false, destructive: false, irreversible: false, ...s.impact },
      steps: s.steps ?? standardSteps(s.kind, s.action),
      ...(s.warnings ? { warnings: s.warnings } : {}),
    });
    return id;
  }

  build(extra: { drift?: readonly DriftItem[]; diagnostics?: readonly Diagnostic[]; complete?: boolean } = {}): Plan {
    const actions = topoOrder(this.actions);
    const diagnostics = extra.diagnostics ?? [];
    return {
      format_version: '1.0',
      pumphouse_version: '0.1.0',
      plan_id: FIXED_IDENTITY.plan_id,
      created_at: FIXED_IDENTITY.created_at,
      manifest: { path: 'manifest.yaml', sha256: hex('manifest'), text_sha256: hex('manifest text') },
      config: {
        source: { auth_url: 'http://192.168.0.2:5000/v2.0', region: 'RegionOne', identity_api: 'v2.0', release: 'juno', networking: 'nova-network' },
        destination: { auth_url: 'http://10.20.0.2:5000/v3', region: 'RegionOne', identity_api: 'v3', release: 'zed', networking: 'neutron' },
        fuel: { url: 'http://10.20.0.2:8000', source_environment: 1, destination_environment: 2 },
      },
      prior_state: { lineage: '5b0f3c1e-8f7a-4c55-9a51-0f3a7d2c9e11', serial: 7 },
      observed: {
        source: { fingerprint: hex('source inventory'), at: '2026-11-26T11:58:10.000Z', calls: 41 },
        destination: { fingerprint: hex('destination inventory'), at: '2026-11-26T11:58:12.000Z', calls: 37 },
        fuel: { fingerprint: hex('fuel inventory'), at: '2026-11-26T11:58:13.000Z', calls: 4 },
      },
      options: { targets: [], excludes: [] },
      actions,
      drift: extra.drift ?? [],
      summary: summarize(actions),
      diagnostics,
      applyable: !diagnostics.some((d) => d.severity === 'error') && actions.some((a) => a.action !== 'no-op'),
      complete: extra.complete ?? true,
    };
  }
}

/** A deterministic fake uuid/sha derived from a label, so fixtures look real and never change. */
export function hex(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}
export function uuid(label: string): string {
  const h = hex(label);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export interface TenantShape {
  readonly name: string;
  readonly users: readonly string[];
  readonly servers: readonly { readonly name: string; readonly host: string; readonly disk_gb: number; readonly volume_gb?: number; readonly floating?: string }[];
  readonly sourceAfter: 'keep' | 'stop' | 'delete';
  readonly image?: { readonly name: string; readonly size: number };
}

/** Adds everything one tenant owns; returns the ids of its servers' final actions (for host evacuations). */
export function addTenant(b: PlanBuilder, t: TenantShape, shared: { readonly memberRole: string; readonly flavor: string; readonly publicImage: string }): Map<string, string[]> {
  const T = `tenant[${t.name}]`;
  const tenant = t.name;
  const projectId = uuid(`project ${tenant}`);
  const project = b.add({
    address: T,
    kind: 'project',
    action: 'create',
    reason: ['missing_in_destination', `project ${tenant} is in the manifest and not in the destination`],
    tenant,
    source: { id: projectId, name: tenant },
    destination: { name: tenant },
    before: null,
    after: { name: tenant, description: `migrated by pumphouse from ${projectId}`, enabled: true, domain_id: 'default', tags: [`pumphouse_source=${projectId}`] },
    preconditions: [
      { cloud: 'source', ref: `keystone/tenants/${projectId}`, must: 'match', fields: { name: tenant, enabled: true } },
      { cloud: 'destination', ref: `keystone/projects?name=${tenant}`, must: 'absent' },
    ],
  });
  const grant = b.add({
    address: `${T}.admin_membership`,
    kind: 'admin_membership',
    action: 'grant',
    reason: ['needs_tenant_scope', 'Nova looks up security groups, networks and keypairs in the project the token is scoped to'],
    tenant,
    deps: [project],
    after: { project: { $ref: project }, user: 'admin', role: 'admin' },
  });
  const userIds: string[] = [];
  const assignments: string[] = [];
  for (const u of t.users) {
    const uid = uuid(`user ${u}`);
    const user = b.add({
      address: `user[${u}]`,
      kind: 'user',
      action: 'create',
      reason: ['missing_in_destination', `user ${u} is a member of ${tenant} and not in the destination`],
      source: { id: uid, name: u },
      destination: { name: u },
      before: null,
      after: { name: u, email: `${u}@example.com`, enabled: true, domain_id: 'default', default_project_id: { $ref: project } },
      preconditions: [{ cloud: 'destination', ref: `keystone/users?name=${u}`, must: 'absent' }],
    });
    userIds.push(user);
    b.add({
      address: `user[${u}].password_hash`,
      kind: 'password_hash',
      action: 'update',
      reason: ['missing_in_destination', 'users keep their passwords: the hash is copied through the identity database'],
      deps: [user],
      after: { user: { $ref: user }, password_hash: { $secret: `keystone/user/${uid}/password_hash` }, algorithm: 'sha512_crypt' },
      warnings: ['sha512_crypt hashes verify on Keystone up to 2024.2 only'],
    });
    assignments.push(
      b.add({
        address: `${T}.role_assignment[${u}:${'member'}]`,
        kind: 'role_assignment',
        action: 'create',
        reason: ['missing_in_destination', `${u} has the member role in ${tenant}`],
        tenant,
        deps: [project, user, shared.memberRole],
        after: { project: { $ref: project }, user: { $ref: user }, role: { $ref: shared.memberRole } },
      }),
    );
  }
  const quota = b.add({
    address: `${T}.quota`,
    kind: 'quota',
    action: 'update',
    reason: ['differs_in_destination', 'quotas are copied from the source project'],
    tenant,
    deps: [project],
    before: { instances: 10, cores: 20, ram: 51200 },
    after: { project: { $ref: project }, instances: 40, cores: 80, ram: 163840, volumes: 20, gigabytes: 2000, floating_ips: 10 },
  });
  const keypair = b.add({
    address: `user[${t.users[0]}].keypair[deploy]`,
    kind: 'keypair',
    action: 'create',
    reason: ['missing_in_destination', 'servers were booted with this keypair'],
    tenant,
    deps: [userIds[0]!, grant],
    source: { id: `deploy@${uuid(`user ${t.users[0]}`)}`, name: 'deploy' },
    after: { name: 'deploy', user: { $ref: userIds[0]! }, public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx0 deploy@acme', type: 'ssh' },
  });
  const sgDefault = b.add({
    address: `${T}.security_group[default]`,
    kind: 'security_group',
    action: 'adopt',
    reason: ['exists_in_destination', "Neutron made the project's own default group: the source's default maps onto it"],
    tenant,
    deps: [project, grant],
    source: { id: '1', name: 'default' },
    destination: { name: 'default' },
  });
  const sgWeb = b.add({
    address: `${T}.security_group[web]`,
    kind: 'security_group',
    action: 'create',
    reason: ['missing_in_destination', 'used by the web servers'],
    tenant,
    deps: [project, grant],
    source: { id: '7', name: 'web' },
    before: null,
    after: { name: 'web', description: 'HTTP from anywhere', project: { $ref: project } },
  });
  const rules = ['tcp-80-0.0.0.0/0', 'tcp-443-0.0.0.0/0'].map((r) =>
    b.add({
      address: `${T}.security_group[web].security_group_rule[ingress-${r}]`,
      kind: 'security_group_rule',
      action: 'create',
      reason: ['missing_in_destination', `ingress rule ${r}`],
      tenant,
      deps: [sgWeb],
      after: { security_group: { $ref: sgWeb }, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: Number(r.split('-')[1]), port_range_max: Number(r.split('-')[1]), remote_ip_prefix: '0.0.0.0/0' },
    }),
  );
  const net = b.add({
    address: `${T}.network[private]`,
    kind: 'network',
    action: 'create',
    reason: ['translated_from_nova_network', 'nova-network FlatDHCP network novanetwork (10.0.0.0/24) becomes a tenant Neutron network'],
    tenant,
    deps: [project, grant],
    source: { id: uuid(`nova-network ${tenant}`), name: 'novanetwork' },
    before: null,
    after: { name: 'private', project: { $ref: project }, admin_state_up: true, mtu: 1450 },
  });
  const subnet = b.add({
    address: `${T}.subnet[private-v4]`,
    kind: 'subnet',
    action: 'create',
    reason: ['translated_from_nova_network', 'same CIDR, gateway and DHCP range so fixed IPs can be kept'],
    tenant,
    deps: [net],
    after: { network: { $ref: net }, cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', ip_version: 4, enable_dhcp: true, allocation_pools: [{ start: '10.0.0.2', end: '10.0.0.254' }], dns_nameservers: ['8.8.8.8'] },
  });
  const router = b.add({
    address: `${T}.router[${tenant}-router]`,
    kind: 'router',
    action: 'create',
    reason: ['translated_from_nova_network', 'nova-network routed through the host; Neutron needs a router to reach the public network'],
    tenant,
    deps: [project, grant],
    after: { name: `${tenant}-router`, project: { $ref: project }, external_gateway_info: { network: 'public' } },
  });
  const rif = b.add({
    address: `${T}.router_interface[${tenant}-router:private-v4]`,
    kind: 'router_interface',
    action: 'create',
    reason: ['translated_from_nova_network', 'floating IPs need the router on the servers subnet'],
    tenant,
    deps: [router, subnet],
    after: { router: { $ref: router }, subnet: { $ref: subnet } },
  });
  const image = t.image
    ? b.add({
        address: `${T}.image[${t.image.name}]`,
        kind: 'image',
        action: 'migrate',
        reason: ['missing_in_destination', `private image of ${tenant}, used by its servers`],
        tenant,
        deps: [project],
        source: { id: uuid(`image ${tenant} ${t.image.name}`), name: t.image.name },
        before: null,
        after: { name: t.image.name, disk_format: 'qcow2', container_format: 'bare', visibility: 'private', owner: { $ref: project }, checksum: hex(t.image.name).slice(0, 32), min_disk: 10 },
        preconditions: [{ cloud: 'source', ref: `glance/images/${uuid(`image ${tenant} ${t.image.name}`)}`, must: 'match', fields: { status: 'active', checksum: hex(t.image.name).slice(0, 32) } }],
        impact: { bytes: t.image.size, estimate_s: Math.ceil(t.image.size / (80 * MiB)) },
      })
    : shared.publicImage;
  const servers = new Map<string, string[]>();
  let ip = 10;
  for (const s of t.servers) {
    const sid = uuid(`server ${tenant} ${s.name}`);
    const addr = `10.0.0.${ip++}`;
    const port = b.add({
      address: `${T}.port[${s.name}:${addr}]`,
      kind: 'port',
      action: 'create',
      reason: ['translated_from_nova_network', `pins fixed IP ${addr} of ${s.name}`],
      tenant,
      deps: [subnet, s.name.startsWith('web') ? sgWeb : sgDefault],
      after: { network: { $ref: net }, fixed_ips: [{ subnet: { $ref: subnet }, ip_address: addr }], security_groups: [{ $ref: s.name.startsWith('web') ? sgWeb : sgDefault }] },
    });
    const deps = [port, keypair, image, shared.flavor, ...assignments, ...rules, quota];
    let volume: string | undefined;
    let bytes = s.disk_gb * GiB;
    if (s.volume_gb) {
      const vid = uuid(`volume ${tenant} ${s.name}`);
      volume = b.add({
        address: `${T}.volume[${s.name}-data]`,
        kind: 'volume',
        action: 'migrate',
        reason: ['missing_in_destination', `attached to ${s.name} at /dev/vdb`],
        tenant,
        deps: [project, grant],
        source: { id: vid, name: `${s.name}-data` },
        before: null,
        after: { name: `${s.name}-data`, size: s.volume_gb, volume_type: 'lvmdriver-1', project: { $ref: project }, metadata: { pumphouse_source: vid } },
        preconditions: [{ cloud: 'source', ref: `cinder/volumes/${vid}`, must: 'match', fields: { status: 'in-use', size: s.volume_gb } }],
        impact: { bytes: s.volume_gb * GiB, estimate_s: Math.ceil((s.volume_gb * GiB) / (60 * MiB)) },
      });
      deps.push(volume);
      bytes += 0;
    }
    const downtime = Math.ceil((s.disk_gb * GiB) / (80 * MiB)) + 60;
    const server = b.add({
      address: `${T}.server[${s.name}]`,
      kind: 'server',
      action: 'migrate',
      reason: ['missing_in_destination', `server of ${tenant} on ${s.host}`],
      tenant,
      host: s.host,
      deps,
      source: { id: sid, name: s.name },
      destination: { name: s.name },
      before: null,
      after: {
        name: s.name,
        flavor: { $ref: shared.flavor },
        image: { $ref: image },
        key_name: 'deploy',
        networks: [{ port: { $ref: port } }],
        security_groups: [s.name.startsWith('web') ? 'web' : 'default'],
        volumes: volume ? [{ volume: { $ref: volume }, device: '/dev/vdb' }] : [],
        metadata: { pumphouse_source: sid },
      },
      preconditions: [
        { cloud: 'source', ref: `nova/servers/${sid}`, must: 'match', fields: { status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': s.host } },
        { cloud: 'destination', ref: `nova/servers?pumphouse_source=${sid}`, must: 'absent' },
      ],
      impact: { downtime: true, bytes, estimate_s: downtime + 30, downtime_s: downtime },
    });
    const finals = [server];
    if (s.floating) {
      finals.push(
        b.add({
          address: `${T}.floating_ip[${s.floating}]`,
          kind: 'floating_ip',
          action: 'create',
          reason: ['missing_in_destination', `associated with ${s.name}`],
          tenant,
          deps: [server, rif],
          source: { id: uuid(`fip ${s.floating}`), name: s.floating },
          after: { floating_network: 'public', port: { $ref: port }, floating_ip_address: null },
          warnings: [`address changes: ${s.floating} is outside the destination's public range 172.24.4.0/24; a new address is allocated`],
        }),
      );
    }
    if (t.sourceAfter !== 'keep') {
      const del = t.sourceAfter === 'delete';
      finals.push(
        b.add({
          address: `${T}.server[${s.name}].source_after`,
          kind: 'source_after',
          action: t.sourceAfter,
          reason: ['source_after_manifest', `the manifest says ${t.sourceAfter} for ${tenant}'s source servers`],
          tenant,
          host: s.host,
          deps: [...finals],
          source: { id: sid, name: s.name },
          preconditions: [{ cloud: 'source', ref: `nova/servers/${sid}`, must: 'present' }],
          impact: { destructive: del, irreversible: del, downtime: false },
        }),
      );
    }
    servers.set(s.host, [...(servers.get(s.host) ?? []), ...finals]);
  }
  // Revoking the temporary grant waits for everything done with the tenant-scoped token.
  const inTenant = b.actions.filter((a) => a.tenant === tenant && a.address !== `${T}.admin_membership`).map((a) => a.id);
  b.add({
    address: `${T}.admin_membership`,
    kind: 'admin_membership',
    action: 'revoke',
    reason: ['tenant_scope_done', 'the admin role granted for the migration is removed'],
    tenant,
    deps: inTenant,
  });
  return servers;
}

/** Shared (global) objects every tenant uses. */
export function addShared(b: PlanBuilder): { memberRole: string; flavor: string; publicImage: string } {
  const memberRole = b.add({
    address: 'role[member]',
    kind: 'role',
    action: 'adopt',
    reason: ['exists_in_destination', "the destination's member role replaces the source's _member_"],
    source: { id: uuid('role _member_'), name: '_member_' },
    destination: { id: uuid('role member dst'), name: 'member' },
  });
  b.add({
    address: 'role[admin]',
    kind: 'role',
    action: 'no-op',
    reason: ['up_to_date', 'exists in both clouds'],
    destination: { id: uuid('role admin dst'), name: 'admin' },
  });
  const flavor = b.add({
    address: 'flavor[m1.small]',
    kind: 'flavor',
    action: 'create',
    reason: ['missing_in_destination', 'used by servers to migrate'],
    source: { id: '2', name: 'm1.small' },
    before: null,
    after: { name: 'm1.small', vcpus: 1, ram: 2048, disk: 20, is_public: true },
  });
  const publicImage = b.add({
    address: 'image[cirros-0.6.2]',
    kind: 'image',
    action: 'migrate',
    reason: ['missing_in_destination', 'public image used by servers to migrate'],
    source: { id: uuid('image cirros'), name: 'cirros-0.6.2' },
    before: null,
    after: { name: 'cirros-0.6.2', disk_format: 'qcow2', container_format: 'bare', visibility: 'public', checksum: hex('cirros').slice(0, 32) },
    impact: { bytes: 21 * MiB, estimate_s: 2 },
  });
  return { memberRole, flavor, publicImage };
}

/** Evacuation and reassignment of one freed host, after its servers' final actions. */
export function addHost(b: PlanBuilder, host: string, nodeId: number, after: readonly string[]): void {
  const evac = b.add({
    address: `host[${host}]`,
    kind: 'host_evacuate',
    action: 'evacuate',
    reason: ['host_not_empty', `${host} still runs servers not in the manifest; they are live-migrated to other source hosts`],
    host,
    deps: after,
    source: { id: host, name: host },
    preconditions: [{ cloud: 'source', ref: `nova/os-services?host=${host}`, must: 'match', fields: { status: 'enabled', state: 'up' } }],
    impact: { downtime: false, estimate_s: 600 },
    after: { disable_reason: 'pumphouse: evacuating for reassignment', target_hosts: [] },
  });
  b.add({
    address: `host[${host}]`,
    kind: 'host_reassign',
    action: 'reassign',
    reason: ['host_in_source_environment', `${host} moves from Fuel environment 1 to 2 as compute`],
    host,
    deps: [evac],
    source: { cloud: 'fuel', id: String(nodeId), name: host },
    destination: { cloud: 'fuel', name: host },
    before: { cluster: 1, roles: ['compute'] },
    after: { cluster: 2, roles: ['compute'], match_by_macs: [`52:54:00:00:${(nodeId >> 8).toString(16).padStart(2, '0')}:${(nodeId & 255).toString(16).padStart(2, '0')}`] },
    preconditions: [{ cloud: 'fuel', ref: `fuel/nodes/${nodeId}`, must: 'match', fields: { cluster: 1, status: 'ready' } }],
    impact: { downtime: false, destructive: true, irreversible: true, estimate_s: 3600 },
    warnings: ['the host is re-provisioned: its disks are wiped'],
  });
}

/** One realistic tenant with every kind of object, three servers and one host to free. */
export function smallPlan(): Plan {
  const b = new PlanBuilder();
  const shared = addShared(b);
  const byHost = addTenant(
    b,
    {
      name: 'acme',
      users: ['alice', 'bob'],
      sourceAfter: 'delete',
      image: { name: 'acme-app-base', size: 2 * GiB },
      servers: [
        { name: 'web-1', host: 'node-12', disk_gb: 20, floating: '172.16.0.10' },
        { name: 'web-2', host: 'node-12', disk_gb: 20 },
        { name: 'db-1', host: 'node-13', disk_gb: 40, volume_gb: 100 },
      ],
    },
    shared,
  );
  const flavorAccess = b.add({
    address: 'tenant[acme].flavor_access[m1.small]',
    kind: 'flavor_access',
    action: 'no-op',
    reason: ['up_to_date', 'm1.small is public'],
    tenant: 'acme',
  });
  void flavorAccess;
  addHost(b, 'node-12', 12, byHost.get('node-12') ?? []);
  return b.build({
    drift: [
      {
        address: 'tenant[acme].security_group[web]',
        kind: 'security_group',
        cloud: 'source',
        change: 'changed',
        fields: ['description'],
        text: 'description changed in the source since the last apply',
      },
    ],
    diagnostics: [
      {
        severity: 'warning',
        summary: "acme's floating IP 172.16.0.10 cannot keep its address",
        detail: "the destination's public network holds 172.24.4.0/24",
        address: 'tenant[acme].floating_ip[172.16.0.10]',
      },
    ],
  });
}

/** 25 tenants x 20 servers over 10 hosts, every host freed: the scale case for renderers. */
export function largePlan(): Plan {
  const b = new PlanBuilder();
  const shared = addShared(b);
  const finals = new Map<string, string[]>();
  for (let t = 0; t < 25; t++) {
    const name = `tenant-${String(t + 1).padStart(2, '0')}`;
    const servers = Array.from({ length: 20 }, (_, i) => ({
      name: `vm-${String(i + 1).padStart(2, '0')}`,
      host: `node-${String(((t * 20 + i) % 10) + 1).padStart(2, '0')}`,
      disk_gb: 20 + (i % 3) * 20,
      ...(i % 5 === 0 ? { volume_gb: 50 } : {}),
      ...(i % 10 === 0 ? { floating: `172.16.${t}.${i + 10}` } : {}),
    }));
    const byHost = addTenant(b, { name, users: [`${name}-admin`, `${name}-dev`], sourceAfter: t % 2 ? 'stop' : 'delete', image: { name: `${name}-base`, size: GiB }, servers }, shared);
    for (const [h, ids] of byHost) finals.set(h, [...(finals.get(h) ?? []), ...ids]);
  }
  for (let h = 1; h <= 10; h++) {
    const host = `node-${String(h).padStart(2, '0')}`;
    addHost(b, host, 100 + h, finals.get(host) ?? []);
  }
  return b.build();
}

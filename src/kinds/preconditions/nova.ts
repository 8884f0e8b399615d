import type { Cloud, Flavor } from '../../openstack/index.js';
import type { Facts } from '../contract.js';
import { path, value } from './keystone.js';
import { badRef, facts, orNull, type ParsedRef } from './ref.js';

/**
 * Nova facts (and nova-network's, which live on the compute API): flavors, keypairs
 * (`user/name`), quota sets, servers, server groups, services (`host/binary`), hypervisors, nova-network
 * networks, security groups and rules, and bulk floating IPs (by address).
 */
export async function novaFacts(cloud: Cloud, ref: ParsedRef, raw: string): Promise<Facts | null> {
  const c = cloud.compute;
  switch (`${ref.collection}${ref.form === 'lookup' ? `?${ref.key}` : ''}`) {
    case 'flavors':
      return flavorFacts(await orNull(() => c.flavors.get(path(ref))));
    case 'flavors?name':
      return flavorFacts((await c.flavors.list()).filter((f) => f.name === value(ref)).sort(byId)[0] ?? null);
    case 'keypairs': {
      const id = path(ref);
      const slash = id.indexOf('/');
      if (slash <= 0) throw badRef(raw, 'names no user/name');
      const userId = id.slice(0, slash);
      const k = await orNull(() => c.keypairs.get(id.slice(slash + 1), { userId }));
      return k && facts({ name: k.name, userId, fingerprint: k.fingerprint, type: k.type, publicKey: k.publicKey });
    }
    case 'quota_sets':
      return orNull(async () => facts({ ...(await c.quotas.get(path(ref))) }));
    case 'servers': {
      const s = await orNull(() => c.servers.get(path(ref)));
      return (
        s &&
        facts({
          id: s.id,
          name: s.name,
          status: s.status,
          host: s.host,
          hypervisorHostname: s.hypervisorHostname,
          flavorId: s.flavorId,
          imageId: s.imageId,
          projectId: s.tenantId,
          userId: s.userId,
        })
      );
    }
    case 'server_groups': {
      const g = await orNull(() => c.serverGroups.get(path(ref)));
      return g && facts({ id: g.id, name: g.name, policy: g.policies[0] ?? null, members: g.members.join(',') });
    }
    case 'services': {
      const id = path(ref);
      const slash = id.lastIndexOf('/');
      if (slash <= 0) throw badRef(raw, 'names no host/binary');
      const host = id.slice(0, slash);
      const binary = id.slice(slash + 1);
      const s = (await c.services.list({ host, binary })).find((x) => x.host === host && x.binary === binary);
      return s ? facts({ id: s.id, host: s.host, binary: s.binary, zone: s.zone, status: s.status, state: s.state, disabledReason: s.disabledReason }) : null;
    }
    case 'hypervisors': {
      const h = await orNull(() => c.hypervisors.get(path(ref)));
      return (
        h &&
        facts({ id: h.id, hypervisorHostname: h.hostname, host: h.servicehost, state: h.state, status: h.status, runningVms: h.runningVms })
      );
    }
    default:
      return novaNetworkFacts(cloud, ref, raw);
  }
}

async function novaNetworkFacts(cloud: Cloud, ref: ParsedRef, raw: string): Promise<Facts | null> {
  const nn = cloud.novaNetwork;
  if (!nn || ref.form !== 'path') throw badRef(raw, 'names no Nova collection pumphouse reads on this cloud');
  switch (ref.collection) {
    case 'networks': {
      const n = await orNull(() => nn.networks.get(ref.id));
      return n && facts({ id: n.id, label: n.label, cidr: n.cidr, gateway: n.gateway, vlan: n.vlan, projectId: n.projectId, bridge: n.bridge });
    }
    case 'security_groups': {
      const g = await orNull(() => nn.securityGroups.get(ref.id));
      return g && facts({ id: g.id, name: g.name, description: g.description, projectId: g.tenantId });
    }
    case 'security_group_rules': {
      // nova-network has no GET for one rule: find it among every group's rules.
      for (const g of await nn.securityGroups.list({ allTenants: true })) {
        const r = g.rules.find((x) => x.id === ref.id);
        if (r) return facts({ id: r.id, groupId: g.id, protocol: r.ipProtocol, portMin: r.fromPort, portMax: r.toPort, remoteIpPrefix: r.cidr });
      }
      return null;
    }
    case 'floating_ips_bulk': {
      const f = (await nn.floatingIpsBulk.list()).find((x) => x.address === ref.id);
      return f ? facts({ address: f.address, pool: f.pool, projectId: f.projectId, serverId: f.instanceUuid }) : null;
    }
    default:
      throw badRef(raw, 'names no Nova collection pumphouse reads');
  }
}

function flavorFacts(f: Flavor | null): Facts | null {
  return (
    f &&
    facts({
      id: f.id,
      name: f.name,
      vcpus: f.vcpus,
      ramMb: f.ramMb,
      diskGb: f.diskGb,
      ephemeralGb: f.ephemeralGb,
      swapMb: f.swapMb,
      rxtxFactor: f.rxtxFactor,
      isPublic: f.isPublic,
      disabled: f.disabled,
    })
  );
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

import { badRequest, notFound } from '../../../http/errors.js';
import { empty, json, type SimReply } from '../../../http/reply.js';
import { cidrContains } from '../../../store/addresses.js';
import type { NovaNetworkRecord } from '../../../store/types/network.js';
import { requireAdmin, type NovaCall, type NovaRoute } from '../context.js';
import { hostnameOf } from '../render-server.js';
import { gate } from './availability.js';

function addressOf(c: NovaCall): { readonly address: string; readonly network: NovaNetworkRecord } {
  const address = c.req.params['address']!;
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(address) || address.split('.').some((p) => Number(p) > 255)) throw badRequest(`Fixed IP address ${address} is invalid.`);
  const network = c.store.novaNetworks.find((n) => cidrContains(n.cidr, address));
  if (!network) throw notFound(`Fixed IP ${address} not found.`);
  return { address, network };
}

/** `GET /os-fixed-ips/{address}` (admin): the address's network CIDR and the server holding it. */
function show(c: NovaCall): SimReply {
  requireAdmin(c, 'os_compute_api:os-fixed-ips');
  gate(c, 'nova-network-only');
  const { address, network } = addressOf(c);
  const row = c.store.fixedIps.get(address);
  const server = row?.instanceUuid ? c.store.servers.get(row.instanceUuid) : undefined;
  return json(200, { fixed_ip: { address, cidr: network.cidr, hostname: server ? hostnameOf(server.name) : null, host: row?.host ?? null, ...(c.mv >= 4 ? { reserved: row?.reserved ?? false } : {}) } });
}

/** `POST /os-fixed-ips/{address}/action` with `reserve` or `unreserve` (202): a reserved address is never handed out. */
async function action(c: NovaCall): Promise<SimReply> {
  requireAdmin(c, 'os_compute_api:os-fixed-ips');
  gate(c, 'nova-network-only');
  const { address, network } = addressOf(c);
  const body = await c.req.json<Record<string, unknown>>();
  const { store } = c;
  const row = store.fixedIps.get(address);
  if ('reserve' in body) {
    if (row) row.reserved = true;
    else {
      store.pools.get(network.id)?.take(address);
      store.fixedIps.insert({ id: address, dbId: store.ids.next('fixed_ip'), networkId: network.id, instanceUuid: null, mac: null, allocated: false, reserved: true, host: null });
    }
    return empty(202);
  }
  if ('unreserve' in body) {
    if (row) {
      row.reserved = false;
      if (!row.allocated) {
        store.pools.get(network.id)?.release(address);
        store.fixedIps.delete(address);
      }
    }
    return empty(202);
  }
  throw badRequest(`There is no such action: ${Object.keys(body).join(', ')}`);
}

/** os-fixed-ips (admin, nova-network only; legacy-apis.md §2.7). */
export function fixedIpRoutes(): NovaRoute[] {
  return [
    { method: 'GET', path: '/os-fixed-ips/{address}', auth: 'token', handler: show },
    { method: 'POST', path: '/os-fixed-ips/{address}/action', auth: 'token', handler: action },
  ];
}

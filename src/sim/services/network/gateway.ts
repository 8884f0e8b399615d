import { badRequest, conflict } from '../../http/errors.js';
import { macFrom } from '../../store/addresses.js';
import type { PortRecord, RouterRecord } from '../../store/types/network.js';
import { bool, policy, type NeutronCall } from './call.js';
import { allocateFixedIps, fixedIpRequests, releaseFixedIps, type FixedIpRequest } from './fixed-ips.js';
import { notFoundOf } from './lookup.js';
import { forget } from './standard-attrs.js';

/** The router's gateway port (device_owner `network:router_gateway`), if it has one. */
export function gatewayPortOf(c: NeutronCall, routerId: string): PortRecord | undefined {
  return c.store.ports.find((p) => p.deviceId === routerId && p.deviceOwner === 'network:router_gateway');
}

/**
 * Sets, changes or clears (`null` or `{}`) a router's external gateway, as l3_db does:
 * the network must be external (400), `enable_snat` and `external_fixed_ips` are admin-only
 * (403), the gateway port has no project and takes its address from the external subnets
 * (409 when none is left), and a gateway that floating IPs go through cannot be removed or
 * moved (409 `RouterExternalGatewayInUseByFloatingIp`).
 */
export function setGateway(c: NeutronCall, router: RouterRecord, raw: unknown): void {
  if (raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) throw badRequest(`Invalid input for external_gateway_info. Reason: '${String(raw)}' is not a dictionary.`);
  const info = (raw ?? {}) as Record<string, unknown>;
  const allowed = ['network_id', 'enable_snat', ...(c.profile.routerExternalFixedIps ? ['external_fixed_ips'] : [])];
  const unexpected = Object.keys(info).filter((k) => !allowed.includes(k));
  if (unexpected.length > 0) throw badRequest(`Invalid input for external_gateway_info. Reason: Unexpected keys supplied: ${unexpected.join(', ')}.`);
  const networkId = typeof info['network_id'] === 'string' ? info['network_id'] : undefined;
  const action = router.gateway ? 'update_router' : 'create_router';
  if (!c.isAdmin && info['enable_snat'] !== undefined) throw policy(action, 'external_gateway_info:enable_snat');
  if (!c.isAdmin && info['external_fixed_ips'] !== undefined) throw policy(action, 'external_gateway_info:external_fixed_ips');

  if (networkId === undefined) {
    if (router.gateway) {
      refuseWhileFloatingIpsUse(c, router);
      dropGatewayPort(c, router);
    }
    router.gateway = null;
    return;
  }
  const network = c.store.networks.get(networkId);
  if (!network) throw notFoundOf.network(networkId);
  if (!network.external) throw badRequest(`Bad router request: Network ${networkId} is not an external network`, 'BadRequest');
  const enableSnat = info['enable_snat'] === undefined ? (router.gateway?.enableSnat ?? true) : bool('enable_snat', info['enable_snat']);
  const requests: FixedIpRequest[] | undefined = info['external_fixed_ips'] === undefined ? undefined : fixedIpRequests(info['external_fixed_ips']);

  const current = gatewayPortOf(c, router.id);
  if (router.gateway && router.gateway.networkId === networkId && current && requests === undefined) {
    router.gateway.enableSnat = enableSnat;
    return;
  }
  if (router.gateway && router.gateway.networkId !== networkId) refuseWhileFloatingIpsUse(c, router);
  if (current && current.networkId === networkId) {
    // New addresses on the same network: the old ones go back first (so asking for one of them
    // works) and come back if the new ones cannot be had.
    const old = current.fixedIps;
    releaseFixedIps(c.store, old);
    try {
      current.fixedIps = allocateFixedIps(c.store, network, requests);
    } catch (err) {
      current.fixedIps = allocateFixedIps(c.store, network, old.map((f) => ({ subnetId: f.subnetId, ipAddress: f.ipAddress })));
      throw err;
    }
  } else {
    const fixedIps = allocateFixedIps(c.store, network, requests);
    if (current) dropGatewayPort(c, router);
    c.store.ports.insert({
      id: c.store.ids.uuid(), name: '', networkId, projectId: '', macAddress: macFrom(c.store.rng), fixedIps, deviceId: router.id,
      deviceOwner: 'network:router_gateway', status: 'DOWN', adminStateUp: true, securityGroups: [], bindingHostId: '', allowedAddressPairs: [],
      description: '', createdAt: c.store.now(),
    });
  }
  const fixedIps = gatewayPortOf(c, router.id)?.fixedIps ?? [];
  router.gateway = { networkId, enableSnat, externalFixedIps: fixedIps.map((f) => ({ ...f })) };
}

function refuseWhileFloatingIpsUse(c: NeutronCall, router: RouterRecord): void {
  const net = router.gateway?.networkId ?? '';
  if (c.store.floatingIps.find((f) => f.routerId === router.id)) {
    throw conflict(
      `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${net} is required by one or more floating IPs.`,
      'RouterExternalGatewayInUseByFloatingIp',
    );
  }
}

function dropGatewayPort(c: NeutronCall, router: RouterRecord): void {
  const port = gatewayPortOf(c, router.id);
  if (!port) return;
  releaseFixedIps(c.store, port.fixedIps);
  c.store.ports.delete(port.id);
  forget(c.store, port.id);
}

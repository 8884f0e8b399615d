import { isCloudHttpError, type Port, type PortInput } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { getAdopted, markerOf, taken } from '../common/marker.js';
import { NeutronMarks } from './neutron-marked.js';
import { createDescription, neutronOf, portSecurity, projectScope, tagCopy } from './neutron.js';

/**
 * A server NIC made ahead of the server, so that it boots on it: on the planned network,
 * with the source fixed IPs and MAC when the plan keeps them (admin may set both), the
 * security groups of the server's copy, the allowed address pairs, the extra DHCP options,
 * port security as planned, and the marker. No device is set: the server's
 * boot binds it. A planned address or MAC another port holds stops the action (409).
 */
export const portKind: KindHandler = kindHandler('port', {
  create: { create: createPort },
  adopt: { adopt: adoptPort },
});

/** The create request `after` describes for a Neutron with these extension aliases (pure; exported for tests). */
export function portInput(a: AfterValues, extensions: ReadonlySet<string>): PortInput {
  const projectId = a.optStr('project_id');
  const mac = a.optStr('mac_address');
  const pairs = a.objects('allowed_address_pairs').map((x) => {
    const mac = x.optStr('mac_address');
    return { ipAddress: x.str('ip_address'), ...(mac ? { macAddress: mac } : {}) };
  });
  const dhcp = a.objects('extra_dhcp_opts').map((o) => {
    // ip_version is Kilo+ (an older Neutron refuses the key) and defaults to 4: sent for 6 only.
    const v6 = o.optNum('ip_version') === 6;
    return { optName: o.str('opt_name'), optValue: o.str('opt_value'), ...(v6 ? { ipVersion: 6 } : {}) };
  });
  const fixedIps = a
    .objects('fixed_ips')
    .map((f) => ({ subnetId: f.optStr('subnet_id'), ipAddress: f.optStr('ip_address') }))
    .filter((f) => f.subnetId !== null || f.ipAddress !== null)
    .map((f) => ({ ...(f.subnetId ? { subnetId: f.subnetId } : {}), ...(f.ipAddress ? { ipAddress: f.ipAddress } : {}) }));
  return {
    networkId: a.str('network_id'),
    name: a.optStr('name') ?? '',
    adminStateUp: a.bool('admin_state_up', true),
    securityGroupIds: a.strings('security_groups'),
    ...(fixedIps.length > 0 ? { fixedIps } : {}),
    ...(pairs.length > 0 ? { allowedAddressPairs: pairs } : {}),
    ...(dhcp.length > 0 ? { extraDhcpOpts: dhcp } : {}),
    ...portSecurity(a.optBool('port_security_enabled'), extensions),
    ...(mac ? { macAddress: mac } : {}),
    ...(projectId ? { tenantId: projectId } : {}),
    ...(a.optStr('vnic_type') ? { vnicType: a.str('vnic_type') } : {}),
  };
}

async function createPort(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const { cloud, net } = await neutronOf(ctx, action.address);
  const marks = new NeutronMarks(net);
  const marker = markerOf(ctx);
  const input = portInput(a, net.extensions);
  const { value } = await createOnce(
    () => marks.find('ports', net.ports, marker, { ...projectScope(cloud, a.optStr('project_id')), network_id: input.networkId }),
    async () => {
      try {
        return await net.ports.create({ ...input, ...createDescription(ctx, action.address, marks, a.optStr('description'), marker) });
      } catch (err) {
        // MacAddressInUse / IpAddressAlreadyAllocated: the plan's address is no longer free.
        if (isCloudHttpError(err, 409)) throw taken(action.address, 'a port holding the planned MAC or fixed IP', input.networkId, err.cloudMessage);
        throw err;
      }
    },
  );
  await tagCopy(ctx, action.address, marks, 'ports', value, marker, a.strings('tags'));
  return { destinationId: value.id, outputs: outputsOf(value) };
}

async function adoptPort(action: Action, ctx: StepContext): Promise<StepResult> {
  const { net } = await neutronOf(ctx, action.address);
  const p = await getAdopted(action.address, 'port', ctx.recorded.destinationId ?? action.destination?.id, (id) => net.ports.get(id));
  return { destinationId: p.id, outputs: outputsOf(p) };
}

function outputsOf(p: Port): { name: string; mac_address: string; fixed_ip: string | null; fixed_ips: string } {
  return { name: p.name, mac_address: p.macAddress, fixed_ip: p.fixedIps[0]?.ipAddress ?? null, fixed_ips: p.fixedIps.map((f) => f.ipAddress).join(',') };
}

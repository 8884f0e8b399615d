import { PumphouseError } from '../../errors/index.js';
import type { Server } from '../../openstack/index.js';
import type { StepResult } from '../contract.js';
import { vanished } from '../common/marker.js';
import { afterValues, type DataStep } from '../image/data-step.js';
import { cleanTemporaries } from '../volume/temporaries.js';
import { destinationServer, neutron } from './attach.js';
import { isOurServer, serverOrNull } from './server-copy.js';

/**
 * `verify`: the destination server is ours, in its planned power state with no fault, sits
 * on every planned port (bound to it, the port's MAC and fixed IPs among its addresses) and
 * has every migrated volume attached. Then the action's temporaries are deleted (snapshot
 * images on both sides, a lent keypair left by a crash): once verified, nothing needs them.
 */
export async function verifyServer(s: DataStep): Promise<StepResult> {
  const id = destinationServer(s);
  const a = await afterValues(s);
  const destination = await s.ctx.clouds.destination();
  const sv = await serverOrNull(destination, id);
  if (!sv) throw vanished(s.address, 'server', id);
  const wrong: string[] = [];
  if (!isOurServer(s, sv)) wrong.push('it lacks the pumphouse marker');
  const planned = a.optStr('status') === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE';
  if (sv.status !== planned) wrong.push(`its status is ${sv.status}, planned ${planned}`);
  if (sv.fault) wrong.push(`Nova reports a fault: ${sv.fault.message}`);
  const fixed: string[] = [];
  const ports = a.strings('ports');
  if (ports.length > 0) {
    const network = neutron(s, destination);
    const macs = serverMacs(sv);
    const ips = serverIps(sv);
    for (const portId of ports) {
      const port = await network.ports.get(portId);
      if (port.deviceId !== id) wrong.push(`port ${portId} is bound to ${port.deviceId || 'nothing'}`);
      if (!macs.has(port.macAddress.toLowerCase())) wrong.push(`MAC ${port.macAddress} of port ${portId} is not among its addresses`);
      for (const ip of port.fixedIps) {
        if (!ips.has(ip.ipAddress)) wrong.push(`fixed IP ${ip.ipAddress} of port ${portId} is not among its addresses`);
        fixed.push(ip.ipAddress);
      }
    }
  }
  const volumes = [...a.objects('volumes').map((v) => v.str('volume_id')), ...(a.optStr('root_volume_id') ? [a.str('root_volume_id')] : [])];
  const attached = new Set(sv.volumesAttached);
  for (const v of volumes) if (!attached.has(v)) wrong.push(`volume ${v} is not attached`);
  if (wrong.length > 0) {
    throw new PumphouseError('PH_CLOUD_OBJECT_FAILED', `${s.address}: destination server ${id} is not a complete copy: ${wrong.join('; ')}`, {
      address: s.address,
      source: 'cloud',
      details: { server_id: id, status: sv.status },
    });
  }
  const left = await cleanTemporaries(s);
  return {
    destinationId: id,
    outputs: { status: sv.status, fixed_ips: fixed.sort().join(','), volumes: volumes.length, temporaries_left: left.length },
  };
}

function serverMacs(sv: Server): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(sv.addresses)) for (const x of list) if (x.mac) out.add(x.mac.toLowerCase());
  return out;
}

function serverIps(sv: Server): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(sv.addresses)) for (const x of list) if (x.type === 'fixed') out.add(x.addr);
  return out;
}

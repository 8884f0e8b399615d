import { PumphouseError } from '../../errors/index.js';
import { isCloudHttpError, type NetworkClient } from '../../openstack/index.js';
import type { StepResult } from '../contract.js';
import { vanished } from '../common/marker.js';
import { sendSettled } from '../common/settle.js';
import { afterValue, afterValues, type DataStep } from '../image/data-step.js';
import { cinder, volumeOrNull, waitVolume } from '../volume/cinder.js';

/**
 * `attach_volumes`: the migrated data volumes (not the root one, which the boot mapped) are
 * attached at the source's device names; Nova may pick other names (libvirt does), which is
 * fine. Volumes already attached to this server count as done; one attached elsewhere
 * stops the action.
 */
export async function attachVolumes(s: DataStep): Promise<StepResult> {
  const serverId = destinationServer(s);
  const wanted = (await afterValues(s)).objects('volumes').map((v) => ({ id: v.str('volume_id'), device: v.optStr('device') }));
  const destination = await s.ctx.clouds.destination();
  const volumes = cinder(s, destination, 'destination');
  const servers = destination.compute.servers;
  const attached = new Set((await servers.listVolumeAttachments(serverId)).map((x) => x.volumeId));
  for (const w of wanted) {
    if (attached.has(w.id)) continue;
    const v = await volumeOrNull(volumes, w.id);
    if (!v) throw vanished(s.address, 'volume', w.id);
    const elsewhere = v.attachments.find((x) => x.serverId !== serverId);
    if (elsewhere) {
      throw new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: destination volume ${w.id} is attached to server ${elsewhere.serverId}, not ours; plan again`, {
        address: s.address,
        details: { volume_id: w.id, server_id: elsewhere.serverId },
      });
    }
    if (v.status === 'available') {
      const attach = async (device: string | undefined) => {
        await servers.attachVolume(serverId, w.id, device);
        return true;
      };
      // An attachment answered 5xx or cut off is looked up (the server's attachments, then
      // the volume's status: Cinder says `attaching` at once) at once and after a settle
      // time; the attach is sent again only when neither shows it (sendSettled).
      const attached = async () => {
        if ((await servers.listVolumeAttachments(serverId)).some((x) => x.volumeId === w.id)) return true;
        const now = await volumeOrNull(volumes, w.id);
        return now && now.status !== 'available' && now.attachments.every((x) => x.serverId === serverId) ? true : undefined;
      };
      const what = { what: `the attachment of volume ${w.id} to server ${serverId}` };
      try {
        await sendSettled(() => attach(w.device ?? undefined), attached, what);
      } catch (err) {
        // Some releases refuse a device name they would not choose: let Nova choose.
        if (!(w.device && isCloudHttpError(err) && err.status === 400)) throw err;
        await sendSettled(() => attach(undefined), attached, what);
      }
    }
    await waitVolume(s, volumes, w.id, `volume ${w.id} to attach to server ${serverId}`, ['in-use'], s.settings.volumeTimeoutS);
  }
  return { destinationId: serverId, outputs: { volumes_attached: wanted.length } };
}

/**
 * `floating_ip`: the floating IP actions associated each address with its port before the
 * boot (planner: the server comes up reachable); this checks that every one of them points
 * at one of the server's ports now.
 */
export async function checkFloatingIps(s: DataStep): Promise<StepResult> {
  const serverId = destinationServer(s);
  const ports = new Set((await afterValue(s, 'ports')).strings('ports'));
  const ids = (await afterValue(s, 'floating_ips')).strings('floating_ips');
  const network = neutron(s, await s.ctx.clouds.destination());
  const addresses: string[] = [];
  for (const id of ids) {
    const fip = await network.floatingIps.get(id);
    if (!fip.portId || !ports.has(fip.portId)) {
      throw new PumphouseError('PH_PRECONDITION_FAILED', `${s.address}: floating IP ${fip.floatingIpAddress} is ${fip.portId ? `on port ${fip.portId}` : 'not associated'}, not on one of the server's ports; plan again`, {
        address: s.address,
        details: { floating_ip_id: id, port_id: fip.portId },
      });
    }
    addresses.push(fip.floatingIpAddress);
  }
  return { destinationId: serverId, outputs: { floating_ips: addresses.sort().join(',') } };
}

/** The destination server the boot step recorded. */
export function destinationServer(s: DataStep): string {
  const id = s.ctx.recorded.destinationId;
  if (!id) {
    throw new PumphouseError('PH_INTERNAL', `${s.address}: step ${s.ctx.step} runs before the boot recorded the destination server`, { address: s.address, source: 'internal' });
  }
  return id;
}

export function neutron(s: DataStep, cloud: { readonly network: NetworkClient | undefined }): NetworkClient {
  if (cloud.network) return cloud.network;
  throw new PumphouseError('PH_CLOUD_UNSUPPORTED', `${s.address}: the destination has no Neutron; pumphouse migrates into Neutron clouds only`, {
    address: s.address,
    source: 'cloud',
  });
}

import { hex } from './prng.js';

/** A NIC of a simulated machine. */
export interface SimNic {
  readonly name: string;
  readonly mac: string;
  readonly maxSpeed: number;
  readonly currentSpeed: number | null;
}

/** A physical disk; `size` is the MiB left for volumes (after Fuel's service partitions). */
export interface SimPhysicalDisk {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly model: string;
}

/**
 * A bare-metal machine. It outlives its Nailgun node records: when Nailgun deletes a node
 * and the machine boots back into bootstrap, it registers again with the same hardware.
 */
export interface Machine {
  readonly serial: string;
  readonly nics: readonly SimNic[];
  readonly disks: readonly SimPhysicalDisk[];
  readonly manufacturer: string;
  readonly platformName: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  /** Set by the simulator's failNext(): the next phase of this kind fails on this machine. */
  failNext?: 'provision' | 'deploy' | 'deletion' | undefined;
}

/** Four NICs (eth0 is the PXE/admin one) and two disks: the sample hardware of the original tool. */
export function makeMachine(random: () => number, taken: Set<string>): Machine {
  const nics: SimNic[] = [];
  for (let i = 0; i < 4; i++) {
    let mac: string;
    do {
      // 52:54:00 is the locally administered prefix QEMU/libvirt labs use.
      mac = `52:54:00:${hex(random, 3).replace(/(..)(..)(..)/, '$1:$2:$3')}`;
    } while (taken.has(mac));
    taken.add(mac);
    nics.push({ name: `eth${i}`, mac, maxSpeed: 1000, currentSpeed: i === 1 ? null : 1000 });
  }
  const disks: SimPhysicalDisk[] = [
    { id: 'disk/by-path/pci-0000:00:1f.2-scsi-0:0:0:0', name: 'sda', size: 102_400, model: 'QEMU HARDDISK' },
    { id: 'disk/by-path/pci-0000:00:1f.2-scsi-1:0:0:0', name: 'sdb', size: 204_800, model: 'QEMU HARDDISK' },
  ];
  return { serial: hex(random, 6), nics, disks, manufacturer: 'QEMU', platformName: 'Standard PC (i440FX + PIIX, 1996)', cpus: 4, memoryBytes: 8 * 1024 ** 3 };
}

/** What the bootstrap agent reports in `meta`. */
export function machineMeta(m: Machine, fqdn: string): Record<string, unknown> {
  return {
    interfaces: m.nics.map((n) => ({ name: n.name, mac: n.mac, max_speed: n.maxSpeed, current_speed: n.currentSpeed })),
    disks: m.disks.map((d) => ({ name: d.name, model: d.model, disk: d.id.replace('disk/', ''), size: (d.size + 500) * 1024 * 1024 })),
    cpu: { total: m.cpus, real: 1, spec: Array.from({ length: m.cpus }, () => ({ model: 'QEMU Virtual CPU version 2.0.0', frequency: 2400 })) },
    memory: { total: m.memoryBytes, slots: 1 },
    system: { manufacturer: m.manufacturer, product: m.platformName, serial: m.serial, fqdn },
  };
}

import type { SimPhysicalDisk } from './hardware.js';

/** Volume groups each role brings (Nailgun's `volumes_roles_mapping`, simplified). */
const ROLE_VOLUMES: Readonly<Record<string, readonly string[]>> = {
  controller: ['image'],
  compute: ['vm'],
  cinder: ['cinder'],
  'ceph-osd': ['ceph'],
  mongo: ['mongo'],
  'base-os': [],
};

const OS_SIZE = 51_200;

/** Volume names a node with these roles has on every disk: `os` first, then the roles' ones. */
export function volumeNames(roles: readonly string[]): string[] {
  const names = ['os'];
  for (const r of [...roles].sort()) for (const v of ROLE_VOLUMES[r] ?? []) if (!names.includes(v)) names.push(v);
  return names;
}

/**
 * Nailgun's default allocation, simplified: `os` on the first disk, the rest of each disk to
 * the first role volume. Every disk lists every volume (0 where unused), as Nailgun does.
 */
export function defaultVolumes(disks: readonly SimPhysicalDisk[], roles: readonly string[]): Map<string, { name: string; size: number }[]> {
  const names = volumeNames(roles);
  const main = names[1];
  const out = new Map<string, { name: string; size: number }[]>();
  disks.forEach((disk, i) => {
    const os = i === 0 ? Math.min(OS_SIZE, disk.size) : 0;
    const rest = disk.size - os;
    out.set(
      disk.name,
      names.map((name) => ({ name, size: name === 'os' ? os : name === main ? rest : 0 })),
    );
  });
  return out;
}

/**
 * The layout an operator tuned on the seeded nodes (a smaller `os`), so that copying a
 * template node's disks is visible: it differs from the default a fresh node gets.
 */
export function tunedVolumes(disks: readonly SimPhysicalDisk[], roles: readonly string[]): Map<string, { name: string; size: number }[]> {
  const out = defaultVolumes(disks, roles);
  const first = disks[0];
  const vols = first ? out.get(first.name) : undefined;
  const names = volumeNames(roles);
  if (first && vols && names[1]) {
    const os = 40_960;
    for (const v of vols) v.size = v.name === 'os' ? os : v.name === names[1] ? first.size - os : 0;
  }
  return out;
}

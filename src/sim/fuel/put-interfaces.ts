import type { SimBond, SimNode } from './model.js';
import { NailgunError, isInt } from './reply.js';
import type { FuelWorld } from './world.js';

const BOND_MODES = ['active-backup', 'balance-slb', 'lacp-balance-tcp'];

/**
 * `PUT /api/nodes/{id}/interfaces` with Nailgun 6.0's NetAssignmentValidator rules and
 * messages: every HW interface by id, bonds with a mode and two slaves, each network once,
 * only networks the node carries now, and none of them left out.
 */
export function putInterfaces(world: FuelWorld, node: SimNode, body: unknown[]): void {
  const bad = (msg: string): never => {
    throw new NailgunError(400, msg);
  };
  const nid = node.id;
  const seen = new Set<number>();
  const ifaces = body.map((raw) => {
    if (typeof raw !== 'object' || raw === null) bad(`Node '${nid}': each interface should be a dict (got '${JSON.stringify(raw)}')`);
    const i = raw as Record<string, unknown>;
    if (!('type' in i)) bad(`Node '${nid}': each interface must have a type`);
    if (i.type !== 'ether' && i.type !== 'bond') bad(`Node '${nid}': unknown interface type`);
    if (i.type === 'ether' && !('id' in i)) bad(`Node '${nid}': each HW interface must have ID`);
    const label = String(i.id ?? i.name);
    if (i.type === 'bond') {
      if (typeof i.name !== 'string') bad(`Node '${nid}': each bond interface must have name`);
      if (typeof i.mode !== 'string') bad(`Node '${nid}': each bond interface must have mode`);
      if (!BOND_MODES.includes(i.mode as string)) bad(`Node '${nid}': bond interface '${String(i.name)}' has unknown mode '${String(i.mode)}'`);
      if (!Array.isArray(i.slaves) || i.slaves.length < 2) bad(`Node '${nid}': each bond interface must have two or more slaves`);
      for (const s of i.slaves as unknown[]) if (typeof s !== 'object' || s === null || typeof (s as { name?: unknown }).name !== 'string') bad(`Node '${nid}', interface '${String(i.name)}': each bond slave must have name`);
    }
    if (!Array.isArray(i.assigned_networks)) bad(`Node '${nid}', interface '${label}': there is no 'assigned_networks' list`);
    const nets = (i.assigned_networks as unknown[]).map((n) => {
      if (typeof n !== 'object' || n === null) bad(`Node '${nid}', interface '${label}': each assigned network should be a dict`);
      const id = (n as { id?: unknown }).id;
      if (!isInt(id)) return bad(`Node '${nid}', interface '${label}': each assigned network should have ID`);
      if (seen.has(id)) bad(`Node '${nid}': there is a duplicated network '${id}' in assigned networks (second occurrence is in interface '${label}')`);
      seen.add(id);
      return id;
    });
    return { i, nets };
  });

  // verify_data_correctness: ids exist, networks are the node's current ones, none left over.
  const byId = new Map([...node.nicIds].map(([name, id]) => [id, name]));
  const remaining = new Set([...node.networks.values(), ...node.bonds.map((b) => b.networks)].flat());
  const bonded = new Set<string>();
  for (const { i, nets } of ifaces) {
    if (i.type === 'ether' && !byId.has(i.id as number)) bad(`Node '${nid}': there is no interface with ID '${String(i.id)}' in DB`);
    if (i.type === 'bond') {
      for (const s of i.slaves as { name: string }[]) {
        if (!node.nicIds.has(s.name)) bad(`Node '${nid}': there is no interface '${s.name}' found for bond '${String(i.name)}' in DB`);
        if (bonded.has(s.name)) bad(`Node '${nid}': interface '${node.nicIds.get(s.name)}' is used in bonds more than once`);
        bonded.add(s.name);
      }
    }
    for (const id of nets) {
      if (!remaining.has(id)) bad(`Network '${id}' doesn't exist for node ${nid}`);
      remaining.delete(id);
    }
  }
  if (remaining.size > 0) bad(`Node '${nid}': ${[...remaining].map((id) => `'${id}'`).join(',')} network(s) are left unassigned`);
  for (const { i, nets } of ifaces) {
    if (i.type === 'ether' && bonded.has(byId.get(i.id as number) as string) && nets.length > 0) {
      bad(`Node '${nid}': interface '${String(i.id)}' cannot have assigned networks as it is used in bond`);
    }
  }

  const networks = new Map(node.machine.nics.map((n) => [n.name, [] as number[]]));
  const bonds: SimBond[] = [];
  for (const { i, nets } of ifaces) {
    if (i.type === 'ether') networks.set(byId.get(i.id as number) as string, nets);
    else bonds.push({ name: i.name as string, mode: i.mode as string, slaves: (i.slaves as { name: string }[]).map((s) => s.name), networks: nets });
  }
  node.networks = networks;
  node.bonds = bonds;
  const cluster = node.clusterId === null ? undefined : world.clusters.get(node.clusterId);
  if (cluster) world.addChange(cluster, 'interfaces', node.id);
}

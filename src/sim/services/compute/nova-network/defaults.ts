import { addNovaNetwork } from '../../../store/bootstrap.js';
import type { SimStore } from '../../../store/store.js';

/** How many spare networks a VLAN deployment starts with (Fuel's `fixed_networks_amount`-like default). */
const SPARE_VLAN_NETWORKS = 4;

/**
 * A VlanManager cloud is deployed with unassociated networks (`nova-manage network create
 * --num_networks N --vlan_start V`) that projects get on their first boot. The bootstrap makes
 * none, so add them when the store has no nova-network network at all: 172.16.<i>.0/24 on VLANs
 * 4000+ (away from the generator's per-tenant 10.x ranges and VLANs 100+).
 */
export function addNovaNetworkDefaults(store: SimStore): void {
  if (store.profile.network !== 'nova-network:vlan' || store.novaNetworks.size > 0) return;
  for (let i = 0; i < SPARE_VLAN_NETWORKS; i++) {
    addNovaNetwork(store, { label: `novanetwork-${i + 1}`, cidr: `172.16.${i}.0/24`, projectId: null, vlan: 4000 + i });
  }
}

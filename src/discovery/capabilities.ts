import type { CloudCapabilities } from '../inventory/index.js';
import type { Cloud } from '../openstack/index.js';
import { inferRelease } from './release.js';
import type { Survey } from './survey.js';

/**
 * The inventory's capabilities from the clients' (found at login), the survey and Neutron's
 * extension aliases (undefined without Neutron). The release is inferred (see release.ts);
 * the Keystone release is taken to be the cloud's.
 */
export function capabilitiesOf(caps: Cloud['capabilities'], s: Survey, neutronExtensions?: ReadonlySet<string>): CloudCapabilities {
  const release = inferRelease(caps.computeMicroversion, {
    hypervisorState: s.hypervisors.some((h) => h.state !== null),
    serviceIds: s.services.some((x) => x.id !== null),
  });
  const manager = novaNetworkManager(s);
  return {
    identityApi: caps.identityVersion === '3' ? 'v3' : 'v2.0',
    networkModel: caps.network,
    ...(manager ? { novaNetworkManager: manager } : {}),
    imageApi: caps.imageVersion === '2' ? 'v2' : 'v1',
    volumeApi: caps.volumeVersion === null ? null : `v${caps.volumeVersion}`,
    computeMicroversion: caps.computeMicroversion,
    ...(release ? { release, keystoneRelease: release } : {}),
    // Neutron takes `floating_ip_address` on create from Kilo, the first release with
    // microversions (legacy-apis.md §5).
    floatingIpAddressOnCreate: caps.network === 'neutron' && caps.computeMicroversion !== null,
    ...(neutronExtensions
      ? {
          neutron: {
            allowedAddressPairs: neutronExtensions.has('allowed-address-pairs'),
            portSecurity: neutronExtensions.has('port-security'),
            extraDhcpOpts: neutronExtensions.has('extra_dhcp_opt'),
            l3Ha: neutronExtensions.has('l3-ha'),
            dvr: neutronExtensions.has('dvr'),
            rbac: neutronExtensions.has('rbac-policies'),
          },
        }
      : {}),
  };
}

/**
 * VlanManager gives each project a network with a VLAN tag; FlatDHCP networks have none.
 * Plain FlatManager cannot be told from FlatDHCP through the API and is reported as
 * FlatDHCP (the translation to Neutron is the same: one shared flat network).
 */
function novaNetworkManager(s: Survey): CloudCapabilities['novaNetworkManager'] {
  const nets = s.novaNetwork?.networks;
  if (!nets || nets.length === 0) return undefined;
  return nets.some((n) => n.vlan !== null) ? 'VLAN' : 'FlatDHCP';
}

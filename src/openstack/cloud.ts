import type { CloudCredentials } from './credentials.js';
import { ComputeClient } from './compute/compute-client.js';
import { openIdentity, type IdentityClient } from './identity/index.js';
import { glanceVersion, imageClient, type ImageClient } from './image/index.js';
import { NetworkClient } from './network/network-client.js';
import { NovaNetworkClient } from './nova-network/nova-network-client.js';
import type { IdentityVersion } from './session/identity-discovery.js';
import { Session, type SessionOptions } from './session/session.js';
import { pickVolumeEndpoint, type VolumeEndpoint } from './volume/endpoint.js';
import { VolumeClient } from './volume/volume-client.js';

/** What the cloud's release offers, found once at openCloud (and reused by scopedTo). */
export interface CloudCapabilities {
  readonly identityVersion: IdentityVersion;
  /** Highest Nova microversion; null for legacy Nova v2 (no microversions). */
  readonly computeMicroversion: string | null;
  readonly imageVersion: '1' | '2';
  /** null when the catalog has no Cinder. */
  readonly volumeVersion: '1' | '2' | '3' | null;
  /** Catalog type the volume client uses (`volumev3`, `block-storage`, `volumev2`, `volume`). */
  readonly volumeServiceType: string | null;
  readonly network: 'neutron' | 'nova-network';
  /** Neutron extension aliases; [] with nova-network. */
  readonly networkExtensions: readonly string[];
  /** Nova 2.10: an admin can list and create other users' keypairs. */
  readonly keypairsOfOtherUsers: boolean;
  /** Neutron can tag networks (and usually more; see NetworkClient.supportsTags). */
  readonly networkTags: boolean;
}

/** Every client of one cloud over one session. */
export interface Cloud {
  readonly session: Session;
  readonly identity: IdentityClient;
  readonly compute: ComputeClient;
  readonly image: ImageClient;
  readonly volume: VolumeClient | undefined;
  /** Neutron; undefined on nova-network clouds. */
  readonly network: NetworkClient | undefined;
  /** nova-network APIs; undefined when the catalog has Neutron. */
  readonly novaNetwork: NovaNetworkClient | undefined;
  readonly capabilities: CloudCapabilities;
  /** The same clients acting inside another project (see Session.scopedTo); no rediscovery. */
  scopedTo(projectId: string): Promise<Cloud>;
  /** Closes the connection pool (call on the cloud returned by openCloud). */
  close(): Promise<void>;
}

/**
 * Logs in and finds what the cloud offers: Nova's microversion range, Glance v2 or v1,
 * the best Cinder API, Neutron (with its extensions) or nova-network. Costs the login
 * (1 call, 2 with version discovery) plus up to 3 calls made in parallel.
 */
export async function openCloud(creds: CloudCredentials, opts: SessionOptions = {}): Promise<Cloud> {
  const session = await Session.login(creds, opts);
  try {
    const neutron = session.hasEndpoint('network');
    const [compute, imageVersion, network] = await Promise.all([
      ComputeClient.open(session),
      glanceVersion(session),
      neutron ? NetworkClient.open(session) : Promise.resolve(undefined),
    ]);
    const volumeEndpoint = pickVolumeEndpoint(session);
    const capabilities: CloudCapabilities = {
      identityVersion: session.identityVersion,
      computeMicroversion: compute.maxMicroversion ?? null,
      imageVersion,
      volumeVersion: volumeEndpoint?.version ?? null,
      volumeServiceType: volumeEndpoint?.type ?? null,
      network: neutron ? 'neutron' : 'nova-network',
      networkExtensions: network ? [...network.extensions].sort() : [],
      keypairsOfOtherUsers: compute.supports('2.10'),
      networkTags: network?.supportsTags('networks') ?? false,
    };
    return assemble(session, capabilities, volumeEndpoint, network?.extensions ?? new Set(), compute);
  } catch (err) {
    await session.close();
    throw err;
  }
}

function assemble(session: Session, capabilities: CloudCapabilities, volumeEndpoint: VolumeEndpoint | undefined, extensions: ReadonlySet<string>, compute?: ComputeClient): Cloud {
  const nova = compute ?? new ComputeClient(session, capabilities.computeMicroversion ?? undefined);
  return {
    session,
    identity: openIdentity(session),
    compute: nova,
    image: imageClient(session, capabilities.imageVersion),
    volume: volumeEndpoint ? new VolumeClient(session, volumeEndpoint) : undefined,
    network: capabilities.network === 'neutron' ? new NetworkClient(session, extensions) : undefined,
    novaNetwork: capabilities.network === 'nova-network' ? new NovaNetworkClient(nova.api) : undefined,
    capabilities,
    scopedTo: async (projectId: string) => assemble(await session.scopedTo(projectId), capabilities, volumeEndpoint, extensions),
    close: () => session.close(),
  };
}

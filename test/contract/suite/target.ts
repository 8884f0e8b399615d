import type { CloudCredentials } from '../../../src/openstack/index.js';

/**
 * What the suite expects a target to offer. A field left out is not checked: it is taken
 * from what the clients discover (a cloud named only by a clouds.yaml entry), and parts that
 * depend on it decide at run time.
 */
export interface ExpectedCapabilities {
  /** Keystone APIs the cloud serves; the first one is the one `credentials` log in with. */
  readonly identity?: readonly ('2.0' | '3')[];
  readonly network?: 'neutron' | 'nova-network';
  /** nova-network manager (only with `network: 'nova-network'`). */
  readonly novaNetworkMode?: 'flatdhcp' | 'vlan';
  readonly image?: '1' | '2';
  /** null: the cloud has no Cinder. */
  readonly volume?: '1' | '2' | '3' | null;
  /** Nova has microversions (v2.1); false for legacy Nova v2. */
  readonly computeMicroversions?: boolean;
}

/**
 * What the suite does with what it made:
 * - `always`: delete everything in `after`, even when a test failed (real clouds);
 * - `keep-on-failure`: keep the objects of a failed area for a look (never on shared clouds);
 * - `never`: leave everything (a throwaway simulator that is stopped afterwards).
 */
export type CleanupPolicy = 'always' | 'keep-on-failure' | 'never';

/** Names of things the target already has, which the suite uses but never changes. */
export interface TargetFixtures {
  /** Flavor to boot servers with; default `m1.tiny`, else the smallest public one. */
  readonly flavorName?: string;
  /** External network for router gateways and floating IPs; default the first `router:external` one. */
  readonly externalNetworkName?: string;
  /** Keystone v2.0 URL when it is not the auth URL with `/v3` swapped for `/v2.0`. */
  readonly identityV2Url?: string;
}

/** Longest waits for asynchronous work, in ms. */
export interface TargetTimeouts {
  /** Server to ACTIVE / SHUTOFF / gone. Default 120 s. */
  readonly serverMs?: number;
  /** Volume or snapshot to available / gone. Default 120 s. */
  readonly volumeMs?: number;
  /** Image made by Cinder to active. Default 180 s. */
  readonly imageMs?: number;
  /** First pause between two probes of a wait (then doubling up to 2 s). Default 250 ms; a simulator needs far less. */
  readonly pollMs?: number;
}

/** One cloud the contract suite runs against: a real one, or a simulator profile. */
export interface ContractTarget {
  /** Shown in test names (`source`, `sim juno nova-network:vlan`). */
  readonly name: string;
  /** Cloud admin credentials (admin role on their project). */
  readonly credentials: CloudCredentials;
  readonly capabilities: ExpectedCapabilities;
  readonly cleanup: CleanupPolicy;
  readonly fixtures?: TargetFixtures;
  readonly timeouts?: TargetTimeouts;
  /** Why this target is known not to support something; shown as skip reasons. */
  readonly notes?: Readonly<Record<string, string>>;
}

export const DEFAULT_TIMEOUTS: Required<TargetTimeouts> = { serverMs: 120_000, volumeMs: 120_000, imageMs: 180_000, pollMs: 250 };

/** Expected capabilities of the testbed's two clouds (OpenStack Zed, Debian bookworm). */
export const ZED_CAPABILITIES: ExpectedCapabilities = {
  identity: ['3'],
  network: 'neutron',
  image: '2',
  volume: '3',
  computeMicroversions: true,
};

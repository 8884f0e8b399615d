import type { FuelCredentials } from '../../fuel/credentials.js';
import type { ComputeHostHooks } from './model.js';

export type { ComputeHostHooks };

/** An environment (Nailgun cluster) of the simulated master. */
export interface FuelSimEnvironment {
  readonly name: string;
  /** Release by name, version or id (default: the first, `Juno on Ubuntu 12.04.4`, 2014.2-6.0). */
  readonly release?: string;
  /** Told when a compute node of this environment becomes ready or is removed (a simulated cloud). */
  readonly cloud?: ComputeHostHooks;
  /** Default `nova_network`. */
  readonly netProvider?: 'nova_network' | 'neutron';
  /** Default `multinode`. */
  readonly mode?: 'multinode' | 'ha_compact';
}

/** A machine present at start: deployed in an environment (status `ready`) or unassigned (`discover`). */
export interface FuelSimNodeSeed {
  /** Short name (`node-1`) or fqdn; a short name gets the `.domain.tld` suffix. */
  readonly hostname: string;
  readonly environment?: string;
  /** Deployed roles; default `['compute']` inside an environment. */
  readonly roles?: readonly string[];
}

/** Durations of simulated work, in milliseconds before `timeScale`. */
export interface FuelSimKnobs {
  /** OS installation of a node (default 6000). */
  readonly provisionMs?: number;
  /** Deployment (puppet) of a node (default 9000). */
  readonly deployMs?: number;
  /** Removal of pending-deletion nodes (default 3000). */
  readonly removeMs?: number;
  /** From removal to the machine registering again under a new id (default 4000). */
  readonly rediscoverMs?: number;
  /** Multiplies every duration above (tests use 0.01). Default 1. */
  readonly timeScale?: number;
  /** Lifetime of Keystone tokens in real milliseconds (default one hour). */
  readonly tokenTtlMs?: number;
}

export interface FuelSimulatorOptions {
  /** Seed of MACs, serials, token and task uuids (default 1). */
  readonly seed?: number;
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly environments: readonly FuelSimEnvironment[];
  /** Default: per environment one controller and two computes. */
  readonly nodes?: readonly FuelSimNodeSeed[];
  readonly knobs?: FuelSimKnobs;
  /** Wire dialect: `6.0` (default) or `7.0` (nodes carry `hostname`; status `removing` while removed). */
  readonly fuelVersion?: '6.0' | '7.0';
  /** false: no Keystone, like Fuel 5.0 (`auth_required: false`). Default true. */
  readonly authRequired?: boolean;
}

/** A node as tests see it (the shape of the client's FuelNode, plus the environment name). */
export interface FuelSimNodeView {
  readonly id: number;
  readonly name: string;
  readonly hostname: string;
  readonly fqdn: string;
  readonly mac: string;
  readonly macs: readonly string[];
  readonly status: string;
  readonly online: boolean;
  readonly clusterId: number | null;
  readonly environment: string | null;
  readonly roles: readonly string[];
  readonly pendingRoles: readonly string[];
  readonly pendingAddition: boolean;
  readonly pendingDeletion: boolean;
  readonly progress: number;
  readonly errorType: string | null;
}

/** A scripted failure of the transport in front of Nailgun (nginx, network). */
export interface FuelSimFault {
  /** Any method when absent. */
  readonly method?: string;
  /** Path without `/v1` and trailing slash, e.g. `/api/nodes`; a RegExp is tested against it. */
  readonly path: string | RegExp;
  /** Answer with this status (and `body`, default an nginx error page). */
  readonly status?: number;
  readonly body?: string;
  /** Wait this long first (real milliseconds) — longer than the client's timeout to test it. */
  readonly delayMs?: number;
  /** Destroy the connection without answering. */
  readonly reset?: boolean;
  /** How many requests it hits (default 1). */
  readonly times?: number;
}

export interface FuelSimRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly path: string;
  /** Status answered; 0 when the connection was reset. */
  readonly status: number;
}

export interface FuelSimulator {
  /** `http://host:port` of Nailgun (and of the master's Keystone under `/keystone/v2.0`). */
  readonly url: string;
  readonly credentials: FuelCredentials;
  /** Snapshot of every node now (after running due events). */
  nodes(): FuelSimNodeView[];
  clusters(): { readonly id: number; readonly name: string; readonly status: string }[];
  /** Every request received, in order. */
  requests(): readonly FuelSimRequest[];
  injectFault(fault: FuelSimFault): void;
  /** The next `phase` run on the machine with this MAC ends in error (node `error`, task `error`). */
  failNext(mac: string, phase: 'provision' | 'deploy' | 'deletion'): void;
  /** Invalidates every Keystone token, as an expiry or a master restart would. */
  revokeTokens(): void;
  /** Keystone logins so far. */
  readonly loginCount: number;
  /** Resolves when no task runs and no removed machine is still on its way back; rejects if a hook or route threw. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

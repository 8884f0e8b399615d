import type { Problem, SourceLocation } from '../errors/index.js';
import type { FuelCredentials } from '../fuel/credentials.js';
import type { CloudCredentials } from '../openstack/credentials.js';

export type CloudName = 'source' | 'destination';

/** Where a cloud's credentials came from: shown by `validate` and the API, never secret. */
export type CredentialsOrigin =
  | { readonly kind: 'config'; readonly location: SourceLocation }
  | {
      readonly kind: 'clouds.yaml';
      /** Absolute path of the clouds.yaml that held the entry. */
      readonly file: string;
      readonly cloud: string;
      /** `config` for `cloud: NAME` in the config, `OS_CLOUD` for the environment variable. */
      readonly via: 'config' | 'OS_CLOUD';
      readonly location: SourceLocation;
    }
  | { readonly kind: 'environment'; readonly variables: readonly string[] };

/** `CLOUDS.source.populate`: how many test objects `setup` generates. */
export interface PopulateConfig {
  readonly numTenants?: number;
  readonly numServers?: number;
  readonly numVolumes?: number;
  readonly volumeSize?: number;
}

/** One cloud, normalized: credentials ready for openstack/Session plus the seed's extras. */
export interface CloudConfig {
  readonly name: CloudName;
  readonly credentials: CloudCredentials;
  readonly origin: CredentialsOrigin;
  /** SQLAlchemy-style MySQL URL of the Keystone database (`identity.connection`). Secret. */
  readonly identityDbUrl?: string;
  /** Fuel environment (cluster) name of this cloud. */
  readonly environment?: string;
  /** Dashboard links (`horizon`, `mos`), passed through to the UI. */
  readonly urls: Readonly<Record<string, string>>;
  readonly populate?: PopulateConfig;
  /** Explicit test workload for `setup`, kept as written. */
  readonly workloads?: Readonly<Record<string, unknown>>;
  /** The `CLOUDS.<name>` section in the config, when the cloud came from the config file. */
  readonly location?: SourceLocation;
}

export interface FuelConfig {
  readonly credentials: FuelCredentials;
  readonly urls: Readonly<Record<string, string>>;
  readonly location: SourceLocation;
}

/** A Fuel node disk layout: `{name, size, volumes: [{name, size}]}` (sizes in MiB). */
export interface DiskLayout {
  readonly name: string;
  readonly size?: number;
  readonly volumes: readonly { readonly name: string; readonly size: number }[];
}

/** A Fuel node NIC and the networks assigned to it, matched by NIC name (`eth0`...). */
export interface InterfaceLayout {
  readonly name: string;
  readonly assignedNetworks: readonly string[];
}

/** `PLUGINS` of the original, with its defaults applied. */
export interface PluginsConfig {
  readonly network: 'nova' | 'neutron';
  readonly provisionServer: 'image' | 'snapshot';
  /** `fixed`: roles/disks/NICs from assignmentParameters; `discovery`: copy an existing compute node. */
  readonly assignment: 'fixed' | 'discovery';
  readonly assignmentParameters?: {
    readonly roles: readonly string[];
    readonly disks: readonly DiskLayout[];
    readonly ifaces: readonly InterfaceLayout[];
  };
  readonly postMortem: boolean;
}

export interface ParametersConfig {
  /** `PARAMETERS.volume_tasks_timeout`, default 120 s as in the original. */
  readonly volumeTasksTimeoutSeconds: number;
  /** Every key as written (free-form in the original). */
  readonly all: Readonly<Record<string, unknown>>;
}

/** The API server keys of the original. */
export interface ServerConfig {
  readonly serverName?: string;
  readonly bindHost?: string;
  readonly debug: boolean;
  /** `CLOUDS_RESET` (or the docs' `CLOUD_RESET`): enables POST /reset. */
  readonly cloudsReset: boolean;
}

/** A loaded, validated and normalized config. Holds secrets in memory: never serialize it; use redactedConfig(). */
export interface PumphouseConfig {
  /** Absolute path of the config file. */
  readonly path: string;
  /** The path as the operator gave it (used in messages). */
  readonly file: string;
  readonly source?: CloudConfig;
  readonly destination?: CloudConfig;
  readonly fuel?: FuelConfig;
  readonly plugins: PluginsConfig;
  readonly parameters: ParametersConfig;
  readonly server: ServerConfig;
  readonly logging?: Readonly<Record<string, unknown>>;
  /** The file's content as written (`${VAR}` unexpanded), with secret values masked. */
  readonly redactedRaw: unknown;
  /** Things that load but deserve a look (e.g. OS_* variables ignored). */
  readonly warnings: readonly Problem[];
}

export interface LoadConfigOptions {
  /** Environment for `${VAR}`, OS_* and the clouds.yaml search; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory for relative paths and `./clouds.yaml`; default process.cwd(). */
  readonly cwd?: string;
  /** Home directory for `~/.config/openstack`; default env.HOME, then os.homedir(). */
  readonly home?: string;
  /** System config directory; default `/etc/openstack`. */
  readonly systemDir?: string;
}

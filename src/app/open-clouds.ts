import type { CloudConfig, PumphouseConfig } from '../config/index.js';
import { PumphouseError } from '../errors/index.js';
import type { Reporter } from '../events/index.js';
import { openFuel, type FuelClient } from '../fuel/index.js';
import { openIdentityDb, type IdentityDb } from '../identity-db/index.js';
import { openCloud, type Cloud } from '../openstack/index.js';

/** Everything a command talks to, opened from the config. Close it in a `finally`. */
export interface OpenClouds {
  readonly source: Cloud;
  readonly destination: Cloud;
  readonly fuel?: FuelClient;
  readonly sourceIdentityDb?: IdentityDb;
  readonly destinationIdentityDb?: IdentityDb;
  /** Closes every connection (pools, DB pools); never throws. */
  close(): Promise<void>;
}

export interface OpenCloudsOptions {
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  /** Open the Fuel master named in the config (when there is one). */
  readonly fuel?: boolean;
  /** Open the source / destination Keystone databases named in the config (when named). */
  readonly identityDbs?: { readonly source?: boolean; readonly destination?: boolean };
}

/**
 * Logs in to both clouds (and Fuel, and the Keystone databases, when asked and configured)
 * at once. When any of them fails, whatever did open is closed again and the first failure
 * in the order source, destination, Fuel, databases is thrown as it came: PH_AUTH_FAILED,
 * PH_CLOUD_UNREACHABLE, PH_CLOUD_TIMEOUT, PH_CATALOG_MISSING, PH_IDENTITY_DB...
 * A config without both clouds is PH_CONFIG_INVALID.
 */
export async function openClouds(config: PumphouseConfig, options: OpenCloudsOptions = {}): Promise<OpenClouds> {
  return startClouds(config, options).open(options);
}

/** The logins to both clouds, under way (see startClouds). */
export interface StartedClouds {
  /**
   * Waits for the two logins, opens Fuel and the Keystone databases as asked, and gives what
   * openClouds gives (or throws what it throws, closing whatever opened). Call once.
   */
  open(more: Pick<OpenCloudsOptions, 'fuel' | 'identityDbs'>): Promise<OpenClouds>;
  /** For a caller that will not open them after all (its other inputs failed): closes whatever opened; never throws. */
  abandon(): Promise<void>;
}

/**
 * Starts the logins to both clouds now and returns at once, so that a caller can read the
 * rest of its inputs while the clouds work (Keystone hashes the password on every login:
 * most of a login's time is the cloud's). `open()` then finishes as openClouds does; Fuel and
 * the databases are opened only then, since whether they are wanted depends on the manifest.
 * `openClouds(config, o)` is `startClouds(config, o).open(o)`. A config without both clouds
 * starts nothing; `open()` throws its PH_CONFIG_INVALID.
 */
export function startClouds(config: PumphouseConfig, options: Pick<OpenCloudsOptions, 'reporter' | 'signal'> = {}): StartedClouds {
  let clouds: { source: CloudConfig; destination: CloudConfig };
  try {
    clouds = { source: required(config, 'source'), destination: required(config, 'destination') };
  } catch (err) {
    return { open: () => Promise.reject(err), abandon: () => Promise.resolve() };
  }
  const { source, destination } = clouds;
  const session = { ...(options.reporter ? { reporter: options.reporter } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  // Settled at once: a login failing before open() or abandon() is asked is not an unhandled rejection.
  const logins = Promise.allSettled([openCloud(source.credentials, { ...session, name: 'source' }), openCloud(destination.credentials, { ...session, name: 'destination' })]);
  return {
    async open(more) {
      const wantFuel = more.fuel === true && config.fuel !== undefined;
      const srcDb = more.identityDbs?.source === true ? source.identityDbUrl : undefined;
      const dstDb = more.identityDbs?.destination === true ? destination.identityDbUrl : undefined;
      const [[src, dst], fuel, sdb, ddb] = await Promise.all([
        logins,
        settle(wantFuel ? openFuel(config.fuel!.credentials, options.signal ? { signal: options.signal } : {}) : undefined),
        settle(srcDb ? openIdentityDb(srcDb, { label: 'source' }) : undefined),
        settle(dstDb ? openIdentityDb(dstDb, { label: 'destination' }) : undefined),
      ]);
      const settled = [src, dst, fuel, sdb, ddb];
      const opened = {
        source: src.status === 'fulfilled' ? src.value : undefined,
        destination: dst.status === 'fulfilled' ? dst.value : undefined,
        fuel: fuel.status === 'fulfilled' ? fuel.value : undefined,
        sourceIdentityDb: sdb.status === 'fulfilled' ? sdb.value : undefined,
        destinationIdentityDb: ddb.status === 'fulfilled' ? ddb.value : undefined,
      };
      const close = async (): Promise<void> => {
        await Promise.allSettled([
          opened.source?.close(),
          opened.destination?.close(),
          opened.fuel?.close(),
          opened.sourceIdentityDb?.close(),
          opened.destinationIdentityDb?.close(),
        ]);
      };
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed || !opened.source || !opened.destination) {
        await close();
        throw failed?.reason ?? new PumphouseError('PH_INTERNAL', 'a cloud did not open');
      }
      return {
        source: opened.source,
        destination: opened.destination,
        ...(opened.fuel ? { fuel: opened.fuel } : {}),
        ...(opened.sourceIdentityDb ? { sourceIdentityDb: opened.sourceIdentityDb } : {}),
        ...(opened.destinationIdentityDb ? { destinationIdentityDb: opened.destinationIdentityDb } : {}),
        close,
      };
    },
    async abandon() {
      const [src, dst] = await logins;
      await Promise.allSettled([src.status === 'fulfilled' ? src.value.close() : undefined, dst.status === 'fulfilled' ? dst.value.close() : undefined]);
    },
  };
}

function settle<T>(p: Promise<T> | undefined): Promise<PromiseSettledResult<T | undefined>> {
  return Promise.allSettled([p ?? Promise.resolve(undefined)]).then(([r]) => r!);
}

function required(config: PumphouseConfig, name: 'source' | 'destination'): CloudConfig {
  const cloud = config[name];
  if (!cloud) {
    throw new PumphouseError('PH_CONFIG_INVALID', `the config names no ${name} cloud (CLOUDS.${name}); planning needs both clouds`, {
      location: { file: config.file, field: `CLOUDS.${name}` },
    });
  }
  return cloud;
}

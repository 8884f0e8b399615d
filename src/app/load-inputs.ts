import { loadConfig, type LoadConfigOptions, type PumphouseConfig } from '../config/index.js';
import { PumphouseError, type Problem } from '../errors/index.js';
import { checkAgainstConfig, loadManifest, type ConfigFacts, type LoadedManifest } from '../manifest/index.js';

export interface Inputs {
  readonly config: PumphouseConfig;
  readonly manifest: LoadedManifest;
  /** Things that load but deserve a look: the config's own and the cross-check's. */
  readonly warnings: readonly Problem[];
}

/**
 * Loads the config and the manifest side by side and checks them against each other, as
 * `validate` does. Errors are the loaders' typed ones (PH_CONFIG_*, PH_SECRET_UNSET,
 * PH_MANIFEST_INVALID, PH_NOT_FOUND); a manifest that does not fit the config is
 * PH_MANIFEST_INVALID listing every problem. Nothing is contacted, nothing written.
 *
 * `onConfig` is called with the config as soon as it is loaded, before the manifest may be
 * (a caller starts its logins there: see startClouds); it is called even when the manifest
 * then fails, and not when the config does.
 */
export async function loadInputs(
  configPath: string,
  manifestPath: string,
  options: LoadConfigOptions = {},
  onConfig?: (config: PumphouseConfig) => void,
): Promise<Inputs> {
  const loading = loadConfig(configPath, options).then((c) => {
    onConfig?.(c);
    return c;
  });
  const [config, manifest] = await Promise.allSettled([loading, loadManifest(manifestPath, options.cwd ? { cwd: options.cwd } : {})]);
  if (config.status === 'rejected') throw config.reason;
  if (manifest.status === 'rejected') throw manifest.reason;
  const cross = checkAgainstConfig(manifest.value, configFacts(config.value));
  if (cross.problems.length > 0) {
    const count = cross.problems.length === 1 ? '1 problem' : `${cross.problems.length} problems`;
    throw new PumphouseError('PH_MANIFEST_INVALID', `manifest file does not fit the config ${config.value.file} (${count})`, {
      location: { file: manifest.value.file },
      problems: cross.problems,
    });
  }
  return { config: config.value, manifest: manifest.value, warnings: [...config.value.warnings, ...cross.warnings] };
}

export function configFacts(config: PumphouseConfig): ConfigFacts {
  return {
    file: config.file,
    clouds: { source: config.source !== undefined, destination: config.destination !== undefined },
    fuel: config.fuel !== undefined,
    environments: {
      ...(config.source?.environment ? { source: config.source.environment } : {}),
      ...(config.destination?.environment ? { destination: config.destination.environment } : {}),
    },
    identityDb: { source: Boolean(config.source?.identityDbUrl), destination: Boolean(config.destination?.identityDbUrl) },
  };
}

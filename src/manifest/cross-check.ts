import type { Problem } from '../errors/index.js';
import { didYouMean } from '../config/input/index.js';
import type { LoadedManifest } from './types.js';

/**
 * What the manifest needs to know about the config, without importing it: which clouds
 * and Fuel are configured and the Fuel environment of each cloud.
 */
export interface ConfigFacts {
  readonly file: string;
  readonly clouds: { readonly source: boolean; readonly destination: boolean };
  readonly fuel: boolean;
  readonly environments: { readonly source?: string; readonly destination?: string };
  readonly identityDb: { readonly source: boolean; readonly destination: boolean };
}

export interface CrossCheck {
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/**
 * Checks that need both files and no cloud: tenants need both clouds; hosts need Fuel and
 * must move into the destination's Fuel environment; copying password hashes needs both
 * Keystone databases (a warning: the plan can still reset passwords).
 */
export function checkAgainstConfig(manifest: LoadedManifest, config: ConfigFacts): CrossCheck {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const { desired } = manifest;
  if (desired.tenants.length > 0) {
    for (const cloud of ['source', 'destination'] as const) {
      if (!config.clouds[cloud]) {
        problems.push({ message: `tenants are listed but the config ${config.file} has no ${cloud} cloud (CLOUDS.${cloud}, or OS_* variables)`, location: manifest.locate(['tenants']) });
      }
    }
    if (desired.identity.passwords === 'copy-hash' && !(config.identityDb.source && config.identityDb.destination)) {
      const missing = (['source', 'destination'] as const).filter((c) => !config.identityDb[c]).map((c) => `CLOUDS.${c}.identity.connection`);
      warnings.push({
        message: `identity.passwords is copy-hash (the default) but the config has no ${missing.join(' or ')}: users will need their passwords reset`,
        location: manifest.locate(['identity', 'passwords']),
      });
    }
  }
  if (desired.hosts.length === 0) return { problems, warnings };
  if (!config.fuel) {
    problems.push({ message: `hosts are listed but the config ${config.file} has no CLOUDS.fuel section (the Fuel master that reassigns them)`, location: manifest.locate(['hosts']) });
  }
  const target = config.environments.destination;
  const known = Object.values(config.environments).filter((e): e is string => e !== undefined);
  for (const host of desired.hosts) {
    const location = manifest.locate([...(manifest.paths.hosts.get(host.name) ?? ['hosts']), 'environment']);
    if (host.environment === target) continue;
    let message: string;
    if (target === undefined) {
      message = `the config ${config.file} names no Fuel environment for the destination (CLOUDS.destination.environment)`;
    } else if (host.environment === config.environments.source) {
      message = `${JSON.stringify(host.environment)} is the source's Fuel environment; hosts move to the destination's, ${JSON.stringify(target)}`;
    } else {
      const suggestion = didYouMean(host.environment, known);
      message = `unknown Fuel environment ${JSON.stringify(host.environment)}: the config's destination environment is ${JSON.stringify(target)}${suggestion && suggestion !== target ? ` (did you mean '${suggestion}'?)` : ''}`;
    }
    problems.push({ message, location });
  }
  return { problems, warnings };
}

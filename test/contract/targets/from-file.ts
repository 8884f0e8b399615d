import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/index.js';
import { CloudsYamlFiles } from '../../../src/config/clouds-yaml.js';
import type { CleanupPolicy, ContractTarget, ExpectedCapabilities } from '../suite/index.js';

export interface TargetFileOptions {
  /** Expected capabilities for every cloud of the file (default: none, all discovered). */
  readonly capabilities?: ExpectedCapabilities;
  readonly cleanup?: CleanupPolicy;
  /** Only these clouds of the file (default all). */
  readonly only?: readonly string[];
  /** Where a pumphouse config looks for `./clouds.yaml` (default: the current directory, as for the CLI). */
  readonly cwd?: string;
}

/**
 * The clouds of a file as contract targets. The file is either a clouds.yaml (every entry
 * under `clouds:` becomes a target, read with the same rules as the config's clouds.yaml
 * support, secure.yaml included) or a pumphouse config (its `source` and `destination`,
 * through loadConfig). Capabilities not given are discovered at run time.
 */
export async function targetsFromFile(path: string, opts: TargetFileOptions = {}): Promise<ContractTarget[]> {
  const absolute = resolve(path);
  const doc: unknown = parse(await readFile(absolute, 'utf8'));
  const top = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  const make = (name: string, credentials: ContractTarget['credentials']): ContractTarget => ({
    name,
    credentials,
    capabilities: opts.capabilities ?? {},
    cleanup: opts.cleanup ?? 'always',
  });
  const keep = (name: string) => !opts.only || opts.only.includes(name);

  if (typeof top['clouds'] === 'object' && top['clouds'] !== null) {
    const files = new CloudsYamlFiles({ env: { ...process.env, OS_CLIENT_CONFIG_FILE: absolute }, cwd: dirname(absolute), home: process.env['HOME'] ?? homedir(), systemDir: '/etc/openstack' });
    const out: ContractTarget[] = [];
    for (const name of Object.keys(top['clouds'] as object).filter(keep)) {
      const found = await files.resolve(name, { file: absolute, field: `clouds.${name}` });
      if (found.kind !== 'found') throw new Error(`${absolute}: cloud ${name}: ${found.problems.map((p) => p.message).join('; ')}`);
      out.push(make(name, found.entry.credentials));
    }
    return out;
  }
  if ('CLOUDS' in top) {
    const config = await loadConfig(absolute, opts.cwd ? { cwd: opts.cwd } : {});
    return [config.source, config.destination].flatMap((c) => (c !== undefined && keep(c.name) ? [make(c.name, c.credentials)] : []));
  }
  throw new Error(`${absolute}: neither a clouds.yaml (top-level "clouds") nor a pumphouse config (top-level "CLOUDS")`);
}

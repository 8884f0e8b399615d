import { checkSchema, invalidInput, readYamlInput } from '../config/input/index.js';
import { manifestDigest, sha256Hex } from './digest.js';
import { checkManifestRules } from './manifest-checks.js';
import { normalizeManifest } from './normalize-manifest.js';
import type { LoadedManifest } from './types.js';

export interface LoadManifestOptions {
  /** Base for a relative path; default process.cwd(). */
  readonly cwd?: string;
}

/**
 * Loads a manifest: YAML with source positions, ajv against schemas/manifest.schema.json,
 * then the rules the schema cannot express (name or id, duplicates, copy_from). Every
 * problem is reported at once in one PH_MANIFEST_INVALID with file, line, column and
 * field; a missing file is PH_NOT_FOUND. Returns the normalized, frozen desired state and
 * its digest.
 */
export async function loadManifest(path: string, opts: LoadManifestOptions = {}): Promise<LoadedManifest> {
  const input = await readYamlInput(path, { what: 'manifest', notFound: 'PH_NOT_FOUND', invalid: 'PH_MANIFEST_INVALID', ...opts });
  if (input.data === null || input.data === undefined) {
    throw invalidInput('PH_MANIFEST_INVALID', 'manifest', input.file, [{ message: 'the file is empty: expected a mapping with version: 1', location: { file: input.file, line: 1, column: 1 } }]);
  }
  const schema = checkSchema(input, input.data, 'manifest', { showValues: true });
  const problems = [...schema.problems];
  const data = input.data as Record<string, unknown>;
  // The rules skip what the schema already rejected, so one mistake stays one problem.
  if (typeof data === 'object' && !Array.isArray(data)) problems.push(...checkManifestRules(input, data, schema.unknownKeyParents));
  if (problems.length > 0) throw invalidInput('PH_MANIFEST_INVALID', 'manifest', input.file, problems);
  const { desired, tenants, hosts } = normalizeManifest(data);
  return {
    path: input.absolutePath,
    file: input.file,
    desired,
    digest: manifestDigest(desired),
    textSha256: sha256Hex(input.text),
    paths: { tenants, hosts },
    locate: (p) => input.locate(p),
  };
}

import { homedir } from 'node:os';
import { PumphouseError, redact, type ErrorCode, type Problem, type SourceLocation } from '../errors/index.js';
import { checkSchema, invalidInput, readYamlInput, type FieldPath, type YamlInput } from './input/index.js';
import { CloudsYamlFiles } from './clouds-yaml.js';
import { checkConfigRules } from './config-checks.js';
import { cloudFromEnvironment } from './os-environment.js';
import {
  CLOUD_NAMES,
  cloudExtras,
  cloudLevelOverrides,
  endpointCredentials,
  fuelConfig,
  parametersConfig,
  pluginsConfig,
  serverConfig,
} from './normalize-config.js';
import { expandSecretRefs } from './secret-refs.js';
import { asRecord, optional } from './shape.js';
import type { CloudConfig, CloudName, LoadConfigOptions, PumphouseConfig } from './types.js';

/** Problems by kind; the error code is picked from the worst kind present. */
interface Findings {
  invalid: Problem[];
  notFound: Problem[];
  unset: Problem[];
}

/**
 * Loads, validates and normalizes a config file in the original tool's format.
 *
 * Every problem is reported at once, each with file, line, column and field:
 * PH_CONFIG_INVALID when anything is malformed (YAML syntax, schema, rules, a bad
 * clouds.yaml entry), else PH_CONFIG_NOT_FOUND for a missing clouds.yaml entry, else
 * PH_SECRET_UNSET for `${VAR}` references to unset variables; all problems found are listed
 * in `problems` whichever code is chosen. A missing config file is PH_CONFIG_NOT_FOUND.
 * No message ever contains a value from the file or the environment.
 *
 * A missing `CLOUDS.source`/`destination` section is filled from the environment:
 * `OS_CLOUD` (a clouds.yaml entry) or `OS_AUTH_URL`... (see cloudFromEnvironment). When
 * both sections are missing the environment stands for the source. A section in the file
 * always wins over the environment.
 */
export async function loadConfig(path: string, opts: LoadConfigOptions = {}): Promise<PumphouseConfig> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const input = await readYamlInput(path, { what: 'config', notFound: 'PH_CONFIG_NOT_FOUND', invalid: 'PH_CONFIG_INVALID', cwd });
  if (input.data === null || input.data === undefined) {
    throw invalidInput('PH_CONFIG_INVALID', 'config', input.file, [{ message: 'the file is empty: expected a mapping with CLOUDS', location: { file: input.file, line: 1, column: 1 } }]);
  }
  const expansion = expandSecretRefs(input, input.data, secretRoots(), env);
  const data = expansion.data;
  const findings: Findings = { invalid: [], notFound: [], unset: [...expansion.unset] };
  const schema = checkSchema(input, data, 'config', { showValues: false, skip: expansion.unsetPaths });
  findings.invalid.push(...schema.problems);
  const top = asRecord(data);
  if (top) findings.invalid.push(...checkConfigRules(input, top, schema.unknownKeyParents));
  if (findings.invalid.length > 0 || !top) throw failure(input.file, findings);

  const files = new CloudsYamlFiles({
    env,
    cwd,
    home: opts.home ?? env.HOME ?? homedir(),
    systemDir: opts.systemDir ?? '/etc/openstack',
  });
  const sections = asRecord(top.CLOUDS) ?? {};
  const warnings: Problem[] = [];
  const clouds: Partial<Record<CloudName, CloudConfig>> = {};
  const absent = CLOUD_NAMES.filter((n) => !asRecord(sections[n]));
  for (const name of CLOUD_NAMES) {
    const section = asRecord(sections[name]);
    if (section) {
      const cloud = await cloudFromSection(input, name, section, files, findings);
      if (cloud) clouds[name] = cloud;
    }
  }
  // The environment describes one cloud: the missing one, or the source when both are.
  const fromEnv = absent.length === 1 ? absent[0] : absent.length === 2 ? 'source' : undefined;
  if (fromEnv) {
    const cloud = await cloudFromEnv(fromEnv, env, files, findings);
    if (cloud) clouds[fromEnv] = cloud;
  } else if (env.OS_CLOUD || env.OS_AUTH_URL) {
    warnings.push({ message: 'OS_* variables are set but ignored: the config defines both clouds', location: { file: input.file, field: 'CLOUDS' } });
  }
  if (clouds.source && clouds.destination && sameCloud(clouds.source, clouds.destination)) {
    warnings.push({ message: 'source and destination log in to the same Keystone with the same user and project', location: clouds.destination.location ?? { file: input.file } });
  }
  if (findings.invalid.length + findings.notFound.length + findings.unset.length > 0) throw failure(input.file, findings);

  const fuel = asRecord(sections.fuel);
  return {
    path: input.absolutePath,
    file: input.file,
    ...optional('source', clouds.source),
    ...optional('destination', clouds.destination),
    ...optional('fuel', fuel && fuelConfig(input, fuel)),
    plugins: pluginsConfig(asRecord(top.PLUGINS)),
    parameters: parametersConfig(asRecord(top.PARAMETERS)),
    server: serverConfig(top),
    ...optional('logging', asRecord(top.LOGGING)),
    redactedRaw: redact(input.data),
    warnings,
  };
}

/** Fields where `${VAR}` is expanded: credentials and connection strings, not test workloads. */
function secretRoots(): FieldPath[] {
  const keys = ['endpoint', 'identity', 'cloud', 'region', 'interface', 'cacert', 'environment'];
  return [...CLOUD_NAMES.flatMap((n) => keys.map((k) => ['CLOUDS', n, k])), ['CLOUDS', 'fuel', 'endpoint']];
}

async function cloudFromSection(
  input: YamlInput,
  name: CloudName,
  section: Record<string, unknown>,
  files: CloudsYamlFiles,
  findings: Findings,
): Promise<CloudConfig | undefined> {
  const location = input.locate(['CLOUDS', name], 'key');
  const extras = cloudExtras(section);
  const endpoint = asRecord(section.endpoint);
  if (endpoint) {
    const origin = { kind: 'config' as const, location: input.locate(['CLOUDS', name, 'endpoint'], 'key') };
    return { name, credentials: endpointCredentials(endpoint, section), origin, ...extras, location };
  }
  const entryName = section.cloud as string;
  const referencedAt = input.locate(['CLOUDS', name, 'cloud']);
  const result = await files.resolve(entryName, referencedAt);
  if (result.kind !== 'found') {
    (result.kind === 'not-found' ? findings.notFound : findings.invalid).push(...result.problems);
    return undefined;
  }
  const { entry } = result;
  const credentials = { ...entry.credentials, ...cloudLevelOverrides(section) };
  const origin = { kind: 'clouds.yaml' as const, file: entry.file, cloud: entry.cloud, via: 'config' as const, location: entry.location };
  return { name, credentials, origin, ...extras, location };
}

async function cloudFromEnv(name: CloudName, env: NodeJS.ProcessEnv, files: CloudsYamlFiles, findings: Findings): Promise<CloudConfig | undefined> {
  const described = cloudFromEnvironment(env, name);
  switch (described.kind) {
    case 'none':
      return undefined;
    case 'incomplete':
      findings.invalid.push(...described.problems);
      return undefined;
    case 'credentials':
      return { name, credentials: described.credentials, origin: { kind: 'environment', variables: described.variables }, urls: {} };
    case 'os-cloud': {
      const referencedAt: SourceLocation = { field: 'OS_CLOUD' };
      const result = await files.resolve(described.name, referencedAt);
      if (result.kind !== 'found') {
        (result.kind === 'not-found' ? findings.notFound : findings.invalid).push(...result.problems);
        return undefined;
      }
      const { entry } = result;
      const origin = { kind: 'clouds.yaml' as const, file: entry.file, cloud: entry.cloud, via: 'OS_CLOUD' as const, location: entry.location };
      return { name, credentials: entry.credentials, origin, urls: {} };
    }
  }
}

function sameCloud(a: CloudConfig, b: CloudConfig): boolean {
  const key = (c: CloudConfig): string =>
    [c.credentials.authUrl.replace(/\/+$/, ''), c.credentials.username, c.credentials.projectName ?? c.credentials.projectId ?? ''].join('\u0000');
  return key(a) === key(b);
}

function failure(file: string, findings: Findings): PumphouseError {
  const all = [...findings.invalid, ...findings.notFound, ...findings.unset];
  const code: ErrorCode = findings.invalid.length > 0 ? 'PH_CONFIG_INVALID' : findings.notFound.length > 0 ? 'PH_CONFIG_NOT_FOUND' : 'PH_SECRET_UNSET';
  const summary = {
    PH_CONFIG_INVALID: 'is invalid',
    PH_CONFIG_NOT_FOUND: 'names a clouds.yaml entry that cannot be found',
    PH_SECRET_UNSET: 'refers to unset environment variables',
  }[code as 'PH_CONFIG_INVALID'];
  return invalidInput(code, 'config', file, all, summary);
}

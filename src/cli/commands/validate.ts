// The file itself, not app/index.js: validate loads no planner or apply code.
import { configFacts } from '../../app/load-inputs.js';
import { loadConfig, type CloudConfig, type PumphouseConfig } from '../../config/index.js';
import { PumphouseError, redactUrl, type Problem } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import { checkAgainstConfig, loadManifest, type LoadedManifest } from '../../manifest/index.js';
import type { CommandContext } from '../context.js';

/**
 * `pumphouse validate -c CONFIG -m MANIFEST`: loads and checks both files and what they say
 * about each other, without any network access. Prints a short summary, or throws one
 * PumphouseError listing every problem of both files (main.ts prints it and exits 1).
 */
export async function run(_args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const configPath = String(options.config);
  const manifestPath = String(options.manifest);
  const [config, manifest] = await Promise.allSettled([loadConfig(configPath), loadManifest(manifestPath)]);
  if (config.status === 'rejected' || manifest.status === 'rejected') {
    throw combined(config.status === 'rejected' ? config.reason : undefined, manifest.status === 'rejected' ? manifest.reason : undefined);
  }
  const cross = checkAgainstConfig(manifest.value, configFacts(config.value));
  if (cross.problems.length > 0) {
    const count = cross.problems.length === 1 ? '1 problem' : `${cross.problems.length} problems`;
    throw new PumphouseError('PH_MANIFEST_INVALID', `manifest file does not fit the config ${config.value.file} (${count})`, {
      location: { file: manifest.value.file },
      problems: cross.problems,
    });
  }
  for (const warning of [...config.value.warnings, ...cross.warnings]) {
    emit(ctx.reporter, 'diagnostic', 'warn', withLocation(warning), { severity: 'warning', summary: warning.message, ...(warning.location?.file ? { detail: withLocation(warning) } : {}) });
  }
  emit(ctx.reporter, 'validate_complete', 'info', summary(config.value, manifest.value), {
    config_path: config.value.file,
    manifest_path: manifest.value.file,
    clouds: [config.value.source, config.value.destination].filter((c): c is CloudConfig => c !== undefined).map((c) => c.name),
    tenants: manifest.value.desired.tenants.length,
    hosts: manifest.value.desired.hosts.length,
    manifest_digest: manifest.value.digest,
  });
}

/** Both files' problems in one error, so one run shows everything; the config's code leads. */
function combined(configError: unknown, manifestError: unknown): unknown {
  if (!configError || !manifestError) return configError ?? manifestError;
  if (!PumphouseError.is(configError) || !PumphouseError.is(manifestError)) return configError;
  const asProblems = (e: PumphouseError): Problem[] => (e.problems.length > 0 ? [...e.problems] : [{ message: e.message, ...(e.location ? { location: e.location } : {}) }]);
  const problems = [...asProblems(configError), ...asProblems(manifestError)];
  return new PumphouseError(configError.code, `config and manifest are both invalid (${problems.length} problems)`, {
    problems,
    details: { manifest_code: manifestError.code },
  });
}

function summary(config: PumphouseConfig, manifest: LoadedManifest): string {
  const lines = [`config ${config.file}: OK`];
  for (const cloud of [config.source, config.destination]) {
    if (!cloud) continue;
    const c = cloud.credentials;
    const project = c.projectName ?? c.projectId ?? '-';
    const env = cloud.environment ? `, Fuel environment ${cloud.environment}` : '';
    lines.push(`  ${`${cloud.name}:`.padEnd(13)}${redactUrl(c.authUrl)} as ${c.username} in ${project} (${origin(cloud)})${env}`);
  }
  if (config.fuel) lines.push(`  ${'fuel:'.padEnd(13)}${config.fuel.credentials.host}:${config.fuel.credentials.port}`);
  const { desired } = manifest;
  lines.push(`manifest ${manifest.file}: OK (digest ${manifest.digest.slice(0, 12)})`);
  lines.push(`  ${'tenants:'.padEnd(13)}${listed(desired.tenants.map((t) => t.key))}`);
  lines.push(`  ${'hosts:'.padEnd(13)}${listed(desired.hosts.map((h) => `${h.name} -> ${h.environment}`))}`);
  return lines.join('\n');
}

function origin(cloud: CloudConfig): string {
  switch (cloud.origin.kind) {
    case 'config':
      return 'from the config';
    case 'clouds.yaml':
      return `clouds.yaml entry ${cloud.origin.cloud} in ${cloud.origin.file}${cloud.origin.via === 'OS_CLOUD' ? ' via OS_CLOUD' : ''}`;
    case 'environment':
      return 'from OS_* variables';
  }
}

function listed(items: readonly string[], max = 5): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, max).join(', ');
  return `${items.length} (${shown}${items.length > max ? `, +${items.length - max} more` : ''})`;
}

function withLocation(p: Problem): string {
  const loc = p.location;
  if (!loc) return p.message;
  const where = [loc.file, loc.line, loc.column].filter((x) => x !== undefined).join(':');
  const field = loc.field ? ` (${loc.field})` : '';
  return `${where}${field}${where || field ? ': ' : ''}${p.message}`;
}

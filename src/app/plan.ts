import { tmpdir } from 'node:os';
import { dirname } from 'node:path';
import { loadConfig, type LoadConfigOptions, type PumphouseConfig } from '../config/index.js';
import { discover, type Discovery, type DiscoveryNote } from '../discovery/index.js';
import { formatLocation, PumphouseError, type Problem } from '../errors/index.js';
import { emit, wants, type Reporter } from '../events/index.js';
import type { FuelInventory, Inventory } from '../inventory/index.js';
import { manifestDigest, type DesiredState, type LoadedManifest } from '../manifest/index.js';
import { ActionSpill, hasChanges, newPlanIdentity, writePlan, type Diagnostic, type Plan, type PlanIdentity } from '../plan/index.js';
import { toolVersion } from '../package-info.js';
import { plan as makePlan, type ManifestEntries } from '../planner/index.js';
import { loadInputs } from './load-inputs.js';
import { startClouds, type StartedClouds } from './open-clouds.js';
import { planEndpoints } from './plan-header.js';
import { readPriorState } from './prior-state.js';
import { byCodeUnits } from '../json/code-unit-order.js';

export interface PlanRequest {
  readonly configPath: string;
  /** The manifest file; give this or `desired`. */
  readonly manifestPath?: string;
  /** A desired state made in memory (the original's verbs build one) instead of a manifest file. */
  readonly desired?: InMemoryDesired;
  /**
   * Chooses `--target`/`--exclude` once the plan of the whole desired state is known (the
   * original's verbs select by source id or host name); may throw, and then nothing is written.
   * Added to `targets`/`excludes`.
   */
  readonly select?: PlanSelector;
  readonly statePath: string;
  /** Write the plan file here (what `pumphouse apply` runs); none when absent. */
  readonly out?: string;
  /** `--target` addresses: keep these and what they depend on. */
  readonly targets?: readonly string[];
  /** `--exclude` addresses: leave these and their dependents out. */
  readonly excludes?: readonly string[];
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  /** A fixed plan id and creation time (reproducible plans); default a random id and now. */
  readonly identity?: PlanIdentity;
  /** How the config resolves `${VAR}`, OS_* and clouds.yaml (default: this process). */
  readonly configOptions?: LoadConfigOptions;
}

/** A desired state built in memory, and what built it (recorded as the plan's manifest path). */
export interface InMemoryDesired {
  readonly desired: DesiredState;
  /** E.g. `pumphouse migrate images --ids ...`; stands for the manifest path in the plan header. */
  readonly label: string;
}

/** What a selector sees: the plan of the whole desired state and what discovery found. */
export interface WholePlan {
  readonly plan: Plan;
  readonly source: Inventory;
  readonly destination: Inventory;
  readonly fuel?: FuelInventory;
}

export type PlanSelector = (whole: WholePlan) => { readonly targets: readonly string[]; readonly excludes: readonly string[] };

export interface PlanResult {
  readonly plan: Plan;
  /** sha256 of the plan file; only when written. */
  readonly sha256?: string;
  /** The plan file; only when written. */
  readonly path?: string;
  /** Some action is not a no-op. */
  readonly hasChanges: boolean;
  /** What discovery cost, per cloud. */
  readonly calls: Discovery['calls'];
}

/**
 * `pumphouse plan` as a library call: load and cross-check the config and the manifest,
 * read the prior state (never written, no lock: see prior-state.ts), open and discover both
 * clouds (and Fuel when the manifest moves hosts) read-only and side by side, run the
 * planner, write the plan file when `out` is given. What discovery could not see and what
 * the inputs warn about are appended to the plan's diagnostics as warnings, so reviewers read
 * them with the changes. Emits discovery_*, planned_change (one per change), diagnostic,
 * change_summary and plan_written; never prints.
 *
 * With `desired` instead of `manifestPath` (the original's verbs), the desired state is taken as
 * given (its digest stands for the manifest's) and only the config is loaded; with `select`,
 * the whole desired state is planned first and `select` picks targets/excludes for the plan
 * that is kept (the planner is pure, so both come from the same discovery).
 *
 * Errors (nothing is written when one is thrown): the loaders' (PH_CONFIG_*, PH_SECRET_UNSET,
 * PH_MANIFEST_INVALID, PH_NOT_FOUND), the state's (PH_STATE_INVALID, PH_STATE_IO), the
 * clouds' (PH_AUTH_FAILED, PH_CLOUD_UNREACHABLE, PH_CLOUD_TIMEOUT, PH_CATALOG_MISSING,
 * PH_CLOUD_HTTP, PH_FUEL_HTTP, PH_IDENTITY_DB...), PH_PLAN_IO when the file cannot be
 * written, PH_ABORTED when `signal` aborts.
 */
export async function plan(request: PlanRequest): Promise<PlanResult> {
  const { reporter, signal } = request;
  const identity = request.identity ?? newPlanIdentity();
  // The logins start as soon as the config is loaded, while the manifest and the state are
  // read (Keystone hashes the password of every login: most of a login is the cloud's time).
  const session = { ...(reporter ? { reporter } : {}), ...(signal ? { signal } : {}) };
  let started: StartedClouds | undefined;
  let inputs: PlanInputs;
  let prior: Awaited<ReturnType<typeof readPriorState>>;
  try {
    inputs = await planInputs(request, (config) => {
      started = startClouds(config, session);
    });
    prior = await readPriorState(request.statePath, reporter);
    signal?.throwIfAborted();
  } catch (err) {
    await started?.abandon();
    throw err;
  }
  const { config, desired, header } = inputs;

  const clouds = await (started ?? startClouds(config, session)).open({
    fuel: desired.hosts.length > 0,
    // Hashes are read for copy-hash; a configured source database is also how keypairs of a
    // legacy source (admin sees only its own below Nova 2.10) are planned, whatever passwords says.
    identityDbs: { source: desired.identity.passwords === 'copy-hash' || config.source?.identityDbUrl !== undefined },
  });
  let found: Discovery;
  try {
    found = await discover(
      {
        source: clouds.source,
        destination: clouds.destination,
        ...(clouds.fuel ? { fuel: clouds.fuel } : {}),
        desired,
        prior: prior.state,
        ...(clouds.sourceIdentityDb ? { sourceIdentityDb: clouds.sourceIdentityDb } : {}),
      },
      { ...(reporter ? { reporter } : {}), ...(signal ? { signal } : {}), now: request.identity ? () => new Date(identity.created_at) : () => new Date() },
    );
  } finally {
    await clouds.close();
  }
  signal?.throwIfAborted();

  // The planner is pure: with a selector, the whole plan is made first, then the selected one
  // from the same inventories.
  // The actions' bulky members go to an unlinked file next to the plan file as they are made
  // (see ActionSpill): a 10,000-tenant plan no longer has to fit in the heap beside the
  // inventories. The spill's file is closed once the plan is garbage.
  const spillDir = request.out ? dirname(request.out) : tmpdir();
  const planWith = (targets: readonly string[], excludes: readonly string[], impliedExcludes: readonly string[] = []): Plan =>
    makePlan({
      spill: openSpill(spillDir),
      desired,
      entries: inputs.entries,
      source: found.source,
      destination: found.destination,
      ...(found.fuel ? { fuel: found.fuel } : {}),
      prior: prior.state,
      plugins: config.plugins,
      options: {
        targets: [...targets],
        excludes: [...excludes],
        ...(impliedExcludes.length > 0 ? { impliedExcludes: [...impliedExcludes] } : {}),
        toolVersion: toolVersion(),
        planId: identity.plan_id,
        createdAt: identity.created_at,
        manifest: header,
        config: planEndpoints(config, found.source, found.destination, found.fuel),
      },
    });
  let targets = request.targets ?? [];
  const excludes = request.excludes ?? [];
  // The selector's excludes are its own means of keeping exactly some objects (the operator
  // passed no --exclude), so the planner applies them without the "--exclude dropped" warning.
  let implied: readonly string[] = [];
  if (request.select) {
    const whole = planWith(targets, excludes);
    const chosen = request.select({ plan: whole, source: found.source, destination: found.destination, ...(found.fuel ? { fuel: found.fuel } : {}) });
    targets = [...targets, ...chosen.targets];
    implied = chosen.excludes;
  }
  const planned = planWith(targets, excludes, implied);
  const notes = [...inputs.warnings.map(warningNote), ...prior.notes, ...found.notes];
  const result = withNotes(planned, notes);

  const sha256 = request.out ? await writePlan(result, request.out) : undefined;
  report(result, reporter, request.out, sha256);
  return {
    plan: result,
    ...(sha256 ? { sha256, path: request.out! } : {}),
    hasChanges: hasChanges(result),
    calls: found.calls,
  };
}

function openSpill(dir: string): ActionSpill {
  try {
    return ActionSpill.open(dir);
  } catch (err) {
    throw new PumphouseError('PH_PLAN_IO', `cannot make a temporary file for the plan's actions in ${dir}: ${(err as Error).message}`, {
      cause: err,
      location: { file: dir },
    });
  }
}

interface PlanInputs {
  readonly config: Awaited<ReturnType<typeof loadConfig>>;
  readonly desired: DesiredState;
  readonly entries: ManifestEntries;
  readonly header: { readonly path: string; readonly sha256: string; readonly text_sha256: string };
  readonly warnings: readonly Problem[];
}

/**
 * The config and the desired state: from a manifest file (cross-checked as `validate` does),
 * or made in memory, whose digest stands for both manifest digests (there are no file bytes).
 */
async function planInputs(request: PlanRequest, onConfig: (config: PumphouseConfig) => void): Promise<PlanInputs> {
  if (request.manifestPath !== undefined && request.desired === undefined) {
    const { config, manifest, warnings } = await loadInputs(request.configPath, request.manifestPath, request.configOptions, onConfig);
    return {
      config,
      desired: manifest.desired,
      entries: manifestEntries(manifest),
      header: { path: manifest.file, sha256: manifest.digest, text_sha256: manifest.textSha256 },
      warnings,
    };
  }
  if (request.desired === undefined || request.manifestPath !== undefined) {
    throw new PumphouseError('PH_INTERNAL', 'plan() takes a manifest path or an in-memory desired state, exactly one', { source: 'internal' });
  }
  const config = await loadConfig(request.configPath, request.configOptions);
  onConfig(config);
  const digest = manifestDigest(request.desired.desired);
  return {
    config,
    desired: request.desired.desired,
    entries: {},
    header: { path: request.desired.label, sha256: digest, text_sha256: digest },
    warnings: config.warnings,
  };
}

function manifestEntries(manifest: LoadedManifest): ManifestEntries {
  const at = (paths: ReadonlyMap<string, Parameters<LoadedManifest['locate']>[0]>): Map<string, string> =>
    new Map([...paths].map(([key, path]) => [key, formatLocation({ ...manifest.locate(path), field: undefined })]));
  return { tenants: at(manifest.paths.tenants), hosts: at(manifest.paths.hosts) };
}

function warningNote(p: Problem): DiscoveryNote {
  const where = formatLocation(p.location);
  return { severity: 'warning', summary: where ? `${where}: ${p.message}` : p.message };
}

/** Warnings do not change `applyable`; the list keeps the planner's order (errors first, then address and text). */
function withNotes(p: Plan, notes: readonly DiscoveryNote[]): Plan {
  if (notes.length === 0) return p;
  const diagnostics: Diagnostic[] = [...p.diagnostics, ...notes.map(toDiagnostic)].sort(
    (a, b) =>
      Number(b.severity === 'error') - Number(a.severity === 'error') ||
      byCodeUnits(a.address ?? '', b.address ?? '') ||
      byCodeUnits(a.summary, b.summary) ||
      byCodeUnits(a.detail ?? '', b.detail ?? ''),
  );
  return { ...p, diagnostics };
}

function toDiagnostic(n: DiscoveryNote): Diagnostic {
  return { severity: n.severity, summary: n.summary, ...(n.detail ? { detail: n.detail } : {}), ...(n.address ? { address: n.address } : {}) };
}

function report(p: Plan, reporter: Reporter | undefined, path: string | undefined, sha256: string | undefined): void {
  if (wants(reporter, 'planned_change')) for (const a of p.actions) {
    if (a.action === 'no-op') continue;
    emit(reporter, 'planned_change', 'info', `${a.address}: ${a.action} (${a.reason.text})`, { address: a.address, action: a.action, reason: a.reason.text });
  }
  for (const d of p.diagnostics) {
    emit(reporter, 'diagnostic', d.severity === 'error' ? 'error' : 'warn', d.address ? `${d.address}: ${d.summary}` : d.summary, {
      severity: d.severity,
      summary: d.summary,
      ...(d.detail ? { detail: d.detail } : {}),
      ...(d.address ? { address: d.address } : {}),
    });
  }
  const counts: Record<string, number> = {};
  for (const [action, n] of Object.entries(p.summary.by_action)) if (action !== 'no-op' && n > 0) counts[action] = n;
  const text = p.summary.total === 0 ? 'no changes' : Object.entries(counts).map(([a, n]) => `${n} to ${a}`).join(', ');
  emit(reporter, 'change_summary', 'info', `Plan: ${text}`, { counts, total: p.summary.total });
  if (path && sha256) {
    emit(reporter, 'plan_written', 'info', `plan ${p.plan_id} written to ${path} (sha256 ${sha256})`, { path, sha256, plan_id: p.plan_id });
  }
}

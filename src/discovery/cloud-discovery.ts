import { emit } from '../events/index.js';
import type { Inventory } from '../inventory/index.js';
import type { Cloud, OtherGrant, Project, RoleAssignment } from '../openstack/index.js';
import { assembleInventory, grantKey } from './assemble.js';
import { capabilitiesOf } from './capabilities.js';
import { assignmentsInScope, readDetails, readQuotas, type DetailOptions } from './details.js';
import { EarlyRecords } from './early-records.js';
import { DiscoveryProgress } from './progress.js';
import { CallLedger, readOnlyCloud, type ReadOnlyCloud } from './read-only.js';
import { survey, type Survey } from './survey.js';
import { DEFAULT_CONCURRENCY, type CloudScope, type CloudTarget, type DiscoveryNote, type DiscoveryOptions } from './types.js';

/** What one cloud's discovery cost. */
export interface CallReport {
  /** Every HTTP attempt on this cloud's session: login, version probes, retries included. */
  readonly total: number;
  /** Requests discovery itself sent (all GET or HEAD). */
  readonly discovery: number;
  readonly byMethod: Readonly<Record<string, number>>;
  readonly byService: Readonly<Record<string, number>>;
}

export interface DiscoveredCloud {
  readonly inventory: Inventory;
  readonly notes: readonly DiscoveryNote[];
  readonly calls: CallReport;
  /** Every request discovery sent, in order (tests and `--verbose` diagnostics). */
  readonly ledger: CallLedger;
}

/**
 * One cloud's discovery in its two phases, so that several clouds can run side by side and
 * the destination's scope can wait for the source's: `begin` runs the bulk lists, then the
 * caller works out the scope (Keystone v2.0 needs `assignments` for that), then `finish` runs
 * the per-object reads and assembles the Inventory.
 */
export class CloudDiscovery {
  /** Grants not migrated that the per-project assignment reads gave (the survey's list was cut, or Keystone v2.0 sits beside v3). */
  readonly #lateGrants: OtherGrant[] = [];

  private constructor(
    readonly target: CloudTarget,
    private readonly source: Cloud,
    readonly cloud: ReadOnlyCloud,
    readonly ledger: CallLedger,
    readonly progress: DiscoveryProgress,
    readonly survey: Survey,
    private readonly options: DiscoveryOptions,
    private readonly started: number,
    private readonly early: EarlyRecords,
    private readonly earlyQuotas?: DetailOptions['quotas'],
  ) {}

  /**
   * Runs the bulk lists. `quotaScope`, when given, picks the projects whose quotas are read as
   * soon as the projects are listed, alongside the long lists (the source's scope needs only
   * the manifest and the projects); `finish` uses them when its scope has the same projects.
   */
  static async begin(
    cloud: Cloud,
    target: CloudTarget,
    options: DiscoveryOptions = {},
    quotaScope?: (projects: readonly Project[]) => ReadonlySet<string>,
  ): Promise<CloudDiscovery> {
    const started = performance.now();
    const ledger = new CallLedger();
    const ro = readOnlyCloud(cloud, ledger);
    const progress = new DiscoveryProgress(options.reporter, target.role, () => cloud.session.callCount);
    emit(options.reporter, 'discovery_start', 'info', `discovering ${target.role}`, { cloud: target.role });
    let early: DetailOptions['quotas'];
    const onProjects = quotaScope
      ? (projects: readonly Project[]) => {
          const projectIds = quotaScope(projects);
          const read = readQuotas(ro, { projectIds }, { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, ...(options.signal ? { signal: options.signal } : {}) });
          // Awaited in finish(); a failure while the survey still runs must not go unhandled.
          read.catch(() => undefined);
          early = { projectIds, read };
        }
      : undefined;
    // The big kinds' records are mapped as their lists come in (early-records.ts).
    const records = new EarlyRecords();
    const s = await survey(ro, progress, onProjects, records);
    return new CloudDiscovery(target, cloud, ro, ledger, progress, s, options, started, records, early);
  }

  /** Role assignments of these projects (all of them on Keystone v3, from the survey). */
  assignments(projectIds: ReadonlySet<string>): Promise<readonly RoleAssignment[]> {
    return assignmentsInScope(this.cloud, this.survey, projectIds, this.detailOptions(), this.#lateGrants);
  }

  async finish(scope: CloudScope, assignments: readonly RoleAssignment[]): Promise<DiscoveredCloud> {
    const session = this.source.session;
    const details = await readDetails(this.cloud, this.survey, withOwnQuotas(scope, this.target.role, session.projectId), this.progress, this.detailOptions());
    const surveyed = await this.withLateGrants();
    const mapped = await this.early.records();
    const notes: DiscoveryNote[] = [...(this.survey.notes ?? []), ...details.notes];
    const calls = session.callCount;
    const inventory = assembleInventory(
      {
        role: this.target.role,
        capabilities: capabilitiesOf(this.cloud.capabilities, this.survey, this.cloud.network?.extensions),
        session: { userId: session.userId, userName: session.userName ?? '', projectId: session.projectId ?? '' },
        survey: surveyed,
        assignments,
        details,
        observed: { at: (this.options.now?.() ?? new Date()).toISOString(), calls },
        mapped,
      },
      notes,
    );
    const objects = countObjects(inventory);
    const elapsed = Math.round(performance.now() - this.started);
    emit(this.options.reporter, 'discovery_complete', 'info', `${this.target.role}: ${objects} objects in ${calls} calls (${elapsed} ms)`, {
      cloud: this.target.role,
      calls,
      objects,
      elapsed_ms: elapsed,
    });
    return {
      inventory,
      notes,
      calls: { total: calls, discovery: this.ledger.total, byMethod: this.ledger.byMethod(), byService: this.ledger.byService() },
      ledger: this.ledger,
    };
  }

  /**
   * The survey with the grants the per-project reads found added (each once), and the groups
   * they name listed (one call) where the survey did not list them.
   */
  private async withLateGrants(): Promise<Survey> {
    if (this.#lateGrants.length === 0) return this.survey;
    const otherGrants = withGrants(this.survey.otherGrants, this.#lateGrants);
    const groupsApi = this.cloud.identity.groups;
    const needGroups = groupsApi !== undefined && this.survey.groups.length === 0 && otherGrants.some((g) => g.holder === 'group');
    return { ...this.survey, otherGrants, groups: needGroups ? await groupsApi.list() : this.survey.groups };
  }

  private detailOptions(): DetailOptions {
    return {
      concurrency: this.options.concurrency ?? DEFAULT_CONCURRENCY,
      ...(this.earlyQuotas ? { quotas: this.earlyQuotas } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(this.target.identityDb ? { identityDb: this.target.identityDb } : {}),
    };
  }
}

/** `known` and then those of `late` it does not hold already (a grant is its holder, role, scope and inheritance). */
export function withGrants(known: readonly OtherGrant[], late: readonly OtherGrant[]): OtherGrant[] {
  const seen = new Set(known.map(grantKey));
  const out = [...known];
  for (const g of late) {
    if (seen.has(grantKey(g))) continue;
    seen.add(grantKey(g));
    out.push(g);
  }
  return out;
}

/**
 * On a first plan no destination project is in scope yet, so the planner would not know which
 * quota keys the destination accepts (a modern Cinder refuses a Juno `consistencygroups` or a
 * per-type key of a type it lacks with HTTP 400). The admin's own project answers with every
 * key the destination has: one more read per service.
 */
function withOwnQuotas(scope: CloudScope, role: CloudTarget['role'], projectId: string | undefined): CloudScope {
  if (role !== 'destination' || !projectId || scope.projectIds.has(projectId)) return scope;
  return { ...scope, projectIds: new Set([...scope.projectIds, projectId]) };
}

function countObjects(inv: Inventory): number {
  let n = 0;
  for (const value of Object.values(inv)) if (Array.isArray(value)) n += value.length;
  return n;
}

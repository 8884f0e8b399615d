import type { IdentityDb } from '../identity-db/index.js';
import type { PasswordHashRef, ProjectQuotas } from '../inventory/index.js';
import { isCloudHttpError, isTruncated } from '../openstack/index.js';
import type * as os from '../openstack/index.js';
import type { QuotaSet } from '../openstack/types/quota.js';
import { mapLimit } from './limit.js';
import type { DiscoveryProgress } from './progress.js';
import type { ReadOnlyCloud } from './read-only.js';
import { toHashRef } from './records/identity.js';
import type { Survey } from './survey.js';
import type { CloudScope, DiscoveryNote } from './types.js';

/**
 * The reads that have no bulk form, each limited to what needs it:
 * - quotas: Nova and Cinder one call per project in scope; Neutron one list of the projects
 *   with limits of their own plus one read of the defaults (per project only where the list
 *   is missing, or for a single project);
 * - flavor access: one call per private flavor (public flavors have no list);
 * - keypairs: one call per user in scope (Nova 2.10+); below 2.10 only the caller's own;
 * - password hash refs: one SQL read per user in scope (no HTTP).
 * Keystone v2.0 role assignments are read per project in scope by `assignmentsInScope`.
 */
export interface Details {
  readonly quotas: readonly ProjectQuotas[];
  /** Private flavor id -> project ids. */
  readonly flavorAccess: ReadonlyMap<string, readonly string[]>;
  readonly keypairs: readonly { readonly keypair: os.Keypair; readonly owner: string }[];
  readonly hashRefs: readonly PasswordHashRef[];
  readonly notes: readonly DiscoveryNote[];
}

export interface DetailOptions {
  readonly concurrency: number;
  /** Quotas already being read for exactly these projects (started early, during the survey). */
  readonly quotas?: { readonly projectIds: ReadonlySet<string>; readonly read: Promise<ProjectQuotas[]> };
  readonly signal?: AbortSignal;
  readonly identityDb?: IdentityDb;
}

/**
 * Keystone v3 answered every assignment in the survey; v2.0 (or a v3 list Keystone cut) is
 * asked per project in scope. The grants those reads give that pumphouse does not migrate (a
 * group's, inherited ones: v3 only) go to `others`, so that the plan warns about them as it
 * does for the survey's whole list.
 */
export async function assignmentsInScope(
  cloud: ReadOnlyCloud,
  s: Survey,
  projectIds: ReadonlySet<string>,
  opts: DetailOptions,
  others: os.OtherGrant[] = [],
): Promise<readonly os.RoleAssignment[]> {
  if (s.assignments) return s.assignments;
  const api = cloud.identity.roleAssignments;
  const direct = (g: os.Grants): readonly os.RoleAssignment[] => {
    for (const o of g.others) others.push(o);
    return g.direct;
  };
  const ofProject = async (projectId: string) => direct(await api.grants({ projectId }));
  // Not after list_limit cut the whole list (assignmentsCut): asking for it again would be cut again.
  if (!s.assignmentsCut && projectIds.size > 1 && projectIds.size * 2 >= s.projects.length) {
    // Most projects are in scope: one unfiltered list. The client answers it with a single
    // v3 role_assignments call where Keystone serves v3 next to v2.0 (Havana on); without v3 it
    // walks every project's members, which costs at most twice the per-project walk here.
    // A project in scope missing from the list is asked on its own (a project without members
    // is not in it). A list cut by Keystone's list_limit is PH_LIST_TRUNCATED from the client:
    // the per-project reads below are the fallback.
    let all: readonly os.RoleAssignment[];
    try {
      all = direct(await api.grants()).filter((a) => projectIds.has(a.projectId));
    } catch (err) {
      if (!isTruncated(err)) throw err;
      all = [];
    }
    const seen = new Set(all.map((a) => a.projectId));
    const missing = [...projectIds].filter((id) => !seen.has(id)).sort();
    const per = await mapLimit(missing, opts.concurrency, ofProject, opts.signal);
    return [...all, ...per.flat()];
  }
  const per = await mapLimit([...projectIds].sort(), opts.concurrency, ofProject, opts.signal);
  return per.flat();
}

export async function readDetails(cloud: ReadOnlyCloud, s: Survey, scope: CloudScope, progress: DiscoveryProgress, opts: DetailOptions): Promise<Details> {
  const notes: DiscoveryNote[] = [];
  const [quotas, flavorAccess, keypairs, hashRefs] = await Promise.all([
    (sameIds(opts.quotas?.projectIds, scope.projectIds) ? opts.quotas!.read : readQuotas(cloud, scope, opts)).then((q) => (progress.found('quotas', q.length), q)),
    readFlavorAccess(cloud, s, notes, opts).then((a) => (progress.found('flavor_access', a.size), a)),
    readKeypairs(cloud, scope, opts).then((k) => (progress.found('keypairs', k.length), k)),
    opts.identityDb ? readHashRefs(opts.identityDb, scope, notes, opts).then((h) => (progress.found('password_hash_refs', h.length), h)) : Promise.resolve([]),
  ]);
  const read = new Set(quotas.map((q) => q.projectId));
  for (const id of [...scope.projectIds].sort()) {
    if (!read.has(id)) notes.push({ severity: 'warning', summary: `project ${id} was deleted while discovery ran: it is taken as listed, without quotas` });
  }
  return { quotas, flavorAccess, keypairs, hashRefs, notes };
}

function sameIds(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): boolean {
  if (!a || a.size !== b.size) return false;
  for (const id of b) if (!a.has(id)) return false;
  return true;
}

/**
 * Quotas of the projects in scope: Nova and Cinder per project, Neutron in bulk (below).
 * Each service has its own queue of at most `concurrency` reads in flight, so Nova and Cinder
 * are each kept busy (a project's Cinder read no longer waits for its Nova read, nor the
 * reverse). The first failure rejects and stops every queue (reads in flight finish).
 */
export async function readQuotas(cloud: ReadOnlyCloud, scope: Pick<CloudScope, 'projectIds'>, opts: Pick<DetailOptions, 'concurrency' | 'signal'>): Promise<ProjectQuotas[]> {
  const { compute, volume, network } = cloud;
  const projectIds = [...scope.projectIds].sort();
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const queue = <T>(read: (projectId: string) => Promise<T>): Promise<T[]> => mapLimit(projectIds, opts.concurrency, read, signal);
  const stopOthers = <T>(reads: Promise<T>): Promise<T> =>
    reads.catch((err: unknown) => {
      stop.abort(err);
      throw err;
    });
  // Nova and Cinder have no list of projects' quotas: one read per project and service.
  const novaReads = stopOthers(queue((projectId) => novaQuotas(cloud, projectId)));
  const cinderReads = volume ? stopOthers(queue((projectId) => volume.quotas.get(projectId))) : undefined;
  // Neutron's list goes out with the first Nova and Cinder reads instead of before them.
  const neutronReads = network ? stopOthers(neutronQuotaSets(network, projectIds, queue)) : undefined;
  const [c, v, n] = await Promise.all([novaReads, cinderReads, neutronReads]);
  const out: ProjectQuotas[] = [];
  projectIds.forEach((projectId, i) => {
    const compute = c[i]!;
    if (compute !== GONE) out.push({ projectId, compute, volume: v ? v[i]! : null, network: n ? n[i]! : null });
  });
  return out;
}

const GONE = Symbol('project deleted');

/**
 * A project's Nova quotas, or GONE when the project was deleted after the projects were
 * listed: Nova (Pike+) answers 400 "is not a valid project" for a project Keystone does not
 * know, and a live cloud of 10,000 tenants loses some while it is read. Keystone tells which:
 * any other refusal is the error it is.
 */
async function novaQuotas(cloud: ReadOnlyCloud, projectId: string): Promise<QuotaSet | typeof GONE> {
  try {
    return await cloud.compute.quotas.get(projectId);
  } catch (err) {
    if (!isCloudHttpError(err, 400, 404)) throw err;
    try {
      await cloud.identity.projects.get(projectId);
    } catch (gone) {
      if (isCloudHttpError(gone, 404)) return GONE;
    }
    throw err;
  }
}

/** Every project's Neutron quotas: from the bulk list where Neutron has it, else one read each (in `queue`). */
async function neutronQuotaSets(
  network: NonNullable<ReadOnlyCloud['network']>,
  projectIds: readonly string[],
  queue: (read: (projectId: string) => Promise<QuotaSet>) => Promise<QuotaSet[]>,
): Promise<QuotaSet[]> {
  const listed = projectIds.length > 1 ? await neutronQuotas(network, projectIds) : undefined;
  if (!listed) return queue((projectId) => network.quotas.get(projectId));
  return Promise.all(projectIds.map(listed));
}

/**
 * Neutron's quotas of many projects in at most two calls: `GET /quotas` lists every project
 * with limits of its own (defaults filled in); every other project has the defaults, read once
 * through the first such project. A Neutron without the list (a quota driver that keeps no
 * table answers 404/400/501) is asked per project.
 */
async function neutronQuotas(network: NonNullable<ReadOnlyCloud['network']>, projectIds: readonly string[]): Promise<((projectId: string) => Promise<QuotaSet>) | undefined> {
  let listed: Map<string, QuotaSet>;
  try {
    listed = new Map((await network.quotas.list()).map((q) => [q.projectId, q.quota]));
  } catch (err) {
    if (isCloudHttpError(err, 400, 404, 405, 501)) return undefined;
    throw err;
  }
  const onDefaults = projectIds.find((id) => !listed.has(id));
  const defaults = onDefaults === undefined ? undefined : network.quotas.get(onDefaults);
  // A rejected read is awaited (and reported) by the first project that needs it.
  defaults?.catch(() => undefined);
  return async (projectId) => listed.get(projectId) ?? (await defaults!);
}

/**
 * Access lists of the private flavors. A flavor deleted between the flavor list and its
 * access read (a live cloud changes while it is read) answers 404: it keeps no access, and a
 * note says so, instead of failing the whole discovery.
 */
async function readFlavorAccess(cloud: ReadOnlyCloud, s: Survey, notes: DiscoveryNote[], opts: DetailOptions): Promise<Map<string, readonly string[]>> {
  const private_ = s.flavors.filter((f) => !f.isPublic);
  const lists = await mapLimit(
    private_,
    opts.concurrency,
    async (f) => {
      try {
        return await cloud.compute.flavors.listAccess(f.id);
      } catch (err) {
        if (!isCloudHttpError(err, 404)) throw err;
        notes.push({ severity: 'warning', summary: `flavor '${f.name}' (${f.id}) was deleted while discovery ran: it is taken as listed, with no access` });
        return [];
      }
    },
    opts.signal,
  );
  return new Map(private_.map((f, i) => [f.id, lists[i]!]));
}

async function readKeypairs(cloud: ReadOnlyCloud, scope: CloudScope, opts: DetailOptions): Promise<{ keypair: os.Keypair; owner: string }[]> {
  const { keypairs } = cloud.compute;
  const self = cloud.session.userId;
  if (!keypairs.canActForOtherUsers) {
    // Below microversion 2.10 an admin lists only its own keypairs (legacy-apis.md §2.4). No
    // note here: the planner says whose keypairs stay behind or are read as their owner, since
    // only it knows the migrated users, the source database and options.legacy_keypairs (one
    // message, not two similar ones).
    return (await keypairs.list()).map((keypair) => ({ keypair, owner: self }));
  }
  const users = [...scope.userIds].sort();
  const per = await mapLimit(users, opts.concurrency, (userId) => keypairs.list({ userId }), opts.signal);
  return per.flatMap((list, i) => list.map((keypair) => ({ keypair, owner: users[i]! })));
}

async function readHashRefs(db: IdentityDb, scope: CloudScope, notes: DiscoveryNote[], opts: DetailOptions): Promise<PasswordHashRef[]> {
  await db.detectSchema();
  const users = [...scope.userIds].sort();
  // The hash value never leaves this function: only whether there is one, and its scheme.
  const algorithms = await mapLimit(users, Math.min(opts.concurrency, 4), async (userId) => (await db.readPasswordHash(userId))?.algorithm ?? null, opts.signal);
  const refs: PasswordHashRef[] = [];
  const missing: string[] = [];
  users.forEach((userId, i) => {
    const algorithm = algorithms[i];
    if (algorithm) refs.push(toHashRef(userId, algorithm));
    else missing.push(userId);
  });
  if (missing.length > 0) {
    notes.push({
      severity: 'warning',
      summary: `${missing.length} user${missing.length === 1 ? ' has' : 's have'} no password hash in the Keystone database (federated, LDAP, or never set)`,
      detail: `users: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`,
    });
  }
  return refs;
}

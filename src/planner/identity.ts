import type { Project, Role, User } from '../inventory/index.js';
import type { Attributes, Reason } from '../plan/index.js';
import type { PlanContext, TenantScope, UserScope } from './context.js';
import { decide } from './decide.js';
import { refTo, type Handle } from './draft.js';
import { destinationAbsent, observed, sourceMatch, sourcePresent } from './facts.js';
import { all } from './indexes.js';
import { addr, child, childAt, seg, segmentText, uniqueNames } from './names.js';
import { acceptsSha512Crypt } from './releases.js';
import { warnGrantsLeftBehind } from './grants-left.js';

/** Projects, users, roles, role assignments and password hashes. */
export function planIdentity(ctx: PlanContext): void {
  refuseNameClashes(ctx, 'project', ctx.tenants.map((t) => ({ name: t.project.name, domainId: t.project.domainId, address: t.address })));
  refuseNameClashes(ctx, 'user', [...ctx.users.values()].map((u) => ({ name: u.user.name, domainId: u.user.domainId, address: u.address })));
  for (const t of ctx.tenants) planProject(ctx, t);
  for (const u of ctx.users.values()) planUser(ctx, u);
  const roleNames = uniqueNames(ctx.src.roles, (r) => r.name, (r) => r.id);
  if (ctx.desired.identity.roles === 'all') for (const r of ctx.src.roles) roleHandle(ctx, r, roleNames);
  planAssignments(ctx, roleNames);
  planPasswords(ctx);
  warnGrantsLeftBehind(ctx);
}

/**
 * Keystone v3 names are unique within a domain only, and the copies all go to the
 * destination's default domain, found again by name: two source projects (or users) of one
 * name would meet there. The first apply would fail on the second, and the next plan would
 * adopt the first's copy for it: two tenants merged, grants given to the wrong user. A plan
 * error on each, before anything is made.
 */
function refuseNameClashes(ctx: PlanContext, what: 'project' | 'user', items: readonly { name: string; domainId: string | null; address: string }[]): void {
  const byName = new Map<string, { name: string; domainId: string | null; address: string }[]>();
  for (const it of items) {
    const same = byName.get(it.name);
    if (same) same.push(it);
    else byName.set(it.name, [it]);
  }
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    const domains = same.map((x) => x.domainId ?? '?').join(', ');
    for (const it of same) {
      ctx.draft.error(
        `${same.length} source ${what}s are named '${name}' (domains ${domains}); their copies would be one ${what} in the destination's default domain`,
        it.address,
        `rename all but one in the source, or leave all but one out of the manifest`,
      );
    }
  }
}

function planProject(ctx: PlanContext, t: TenantScope): void {
  const p = t.project;
  const same = all(ctx.d.projectsByName, p.name);
  const natural =
    same.length === 1 ? { id: same[0]!.id, why: `a destination project named '${p.name}' already exists; it is used` } : null;
  const d = decide(ctx.memory.resolve('project', p.id), { make: 'create', natural });
  const dst = d.destinationId ? ctx.d.projectsById.get(d.destinationId) : undefined;
  t.handle = ctx.draft.add(
    p.id,
    {
      address: t.address,
      kind: 'project',
      action: d.action,
      reason: d.reason,
      tenant: t.name,
      source: { cloud: 'source', id: p.id, name: p.name },
      destination: { name: p.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: dst ? projectAttrs(dst) : null,
      after: projectAttrs(p),
      preconditions:
        d.action === 'create'
          ? [
              sourceMatch('keystone', 'projects', p.id, { name: p.name }),
              destinationAbsent('keystone', 'projects', 'name', p.name),
            ]
          : [],
    },
    d.destinationId,
  );
}

function projectAttrs(p: Project): Attributes {
  return observed({ name: p.name, description: p.description, enabled: p.enabled });
}

function planUser(ctx: PlanContext, u: UserScope): void {
  const user = u.user;
  const same = all(ctx.d.usersByName, user.name);
  const natural =
    same.length === 1 ? { id: same[0]!.id, why: `a destination user named '${user.name}' already exists; it is used` } : null;
  const d = decide(ctx.memory.resolve('user', user.id), { make: 'create', natural });
  const home = user.defaultProjectId ? ctx.tenantByProject.get(user.defaultProjectId) : undefined;
  const dst = d.destinationId ? ctx.d.usersById.get(d.destinationId) : undefined;
  u.handle = ctx.draft.add(
    user.id,
    {
      address: u.address,
      kind: 'user',
      action: d.action,
      reason: d.reason,
      deps: [home?.handle],
      source: { cloud: 'source', id: user.id, name: user.name },
      destination: { name: user.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: dst ? userAttrs(dst, null) : null,
      after: userAttrs(user, home ? refTo(home.handle) : null),
      preconditions:
        d.action === 'create'
          ? [
              sourceMatch('keystone', 'users', user.id, { name: user.name, enabled: user.enabled }),
              destinationAbsent('keystone', 'users', 'name', user.name),
            ]
          : [],
      ...(d.reason.code === 'exists_in_destination'
        ? { warnings: ['an existing destination user is used: its password is never changed by pumphouse'] }
        : {}),
    },
    d.destinationId,
  );
}

function userAttrs(u: User, home: Attributes[string] | null): Attributes {
  return { name: u.name, email: u.email, enabled: u.enabled, default_project_id: home };
}

/**
 * The destination role a source role maps to: same name, or Keystone's newer `member` for
 * the legacy `_member_` when the destination has no `_member_` (Keystone stopped making it).
 */
function destinationRole(ctx: PlanContext, role: Role): Role | undefined {
  const same = ctx.d.rolesByName.get(role.name);
  if (same) return same;
  if (role.name === '_member_') return ctx.d.rolesByName.get('member');
  return undefined;
}

function roleHandle(ctx: PlanContext, role: Role, names: ReadonlyMap<string, string>): Handle {
  const known = ctx.draft.get('role', role.id);
  if (known) return known;
  const match = destinationRole(ctx, role);
  const natural = match ? { id: match.id, why: `the destination has the role '${match.name}'` } : null;
  const d = decide(ctx.memory.resolve('role', role.id), { make: 'create', natural });
  return ctx.draft.add(
    role.id,
    {
      address: addr(seg('role', names.get(role.id) ?? role.name)),
      kind: 'role',
      action: d.action,
      reason: d.reason,
      source: { cloud: 'source', id: role.id, name: role.name },
      destination: { name: match?.name ?? role.name, ...(d.destinationId ? { id: d.destinationId } : {}) },
      before: match ? { name: match.name } : null,
      after: { name: match?.name ?? role.name },
      preconditions:
        d.action === 'create'
          ? [sourceMatch('keystone', 'roles', role.id, { name: role.name }), destinationAbsent('keystone', 'roles', 'name', role.name)]
          : [],
    },
    d.destinationId,
  );
}

/** Each (user, role) a user in scope holds in a migrated tenant. */
function planAssignments(ctx: PlanContext, roleNames: ReadonlyMap<string, string>): void {
  for (const t of ctx.tenants) {
    const seen = new Set<string>();
    for (const a of all(ctx.s.assignmentsByProject, t.project.id)) {
      const u = ctx.users.get(a.userId);
      const role = ctx.s.rolesById.get(a.roleId);
      const key = `${a.userId}/${a.roleId}/${a.projectId}`;
      // Keystone v2.0 can list an assignment twice (bug #1308218).
      if (!u || !role || seen.has(key)) continue;
      seen.add(key);
      const rh = roleHandle(ctx, role, roleNames);
      const du = u.handle?.destinationId;
      const dr = rh.destinationId;
      const dp = t.handle?.destinationId;
      const dKey = du && dr && dp ? `${du}/${dr}/${dp}` : null;
      const natural =
        dKey && ctx.d.assignmentKeys.has(dKey) ? { id: dKey, why: 'the destination already has this assignment' } : null;
      const d = decide(ctx.memory.resolve('role_assignment', key), { make: 'create', natural });
      ctx.draft.add(
        key,
        {
          address: [t.address, segmentText('user', u.name), segmentText('role', roleNames.get(role.id) ?? role.name)].join('.'),
          kind: 'role_assignment',
          action: d.action,
          reason: d.reason,
          deps: [u.handle, rh, t.handle],
          tenant: t.name,
          source: { cloud: 'source', id: key, name: `${u.user.name}/${role.name}` },
          after: { user_id: refTo(u.handle), role_id: refTo(rh), project_id: refTo(t.handle) },
          preconditions: d.action === 'create' ? [sourcePresent('keystone', 'role_assignments', key)] : [],
        },
        d.destinationId,
      );
    }
  }
}

/**
 * Password hashes of the users pumphouse made (never of users it found by name: overwriting
 * an existing destination user's password, e.g. a service user's, would break that cloud).
 */
function planPasswords(ctx: PlanContext): void {
  const mode = ctx.desired.identity.passwords;
  if (mode === 'skip') return;
  const verifies = acceptsSha512Crypt(ctx.dst.capabilities);
  let weak = 0;
  for (const u of ctx.users.values()) {
    const h = u.handle;
    if (!h || !madeByUs(ctx, u)) continue;
    const scheme = ctx.s.hashSchemeByUser.get(u.user.id);
    if (mode === 'copy-hash' && scheme === undefined) {
      ctx.draft.warn(`user '${u.user.name}' has no readable password hash; it needs a password reset`, u.address);
      ctx.draft.skipped++;
      continue;
    }
    const warnings: string[] = [];
    if (mode === 'copy-hash' && scheme === 'sha512_crypt' && verifies === false) {
      weak++;
      warnings.push('the destination Keystone (2025.1+) no longer verifies $6$ sha512_crypt hashes: this login will fail');
    }
    const existing = ctx.memory.resolve('password_hash', u.user.id);
    const done = existing.state === 'ready';
    const secret: Attributes =
      mode === 'copy-hash'
        ? { password_hash: { $secret: `keystone/user/${u.user.id}/password_hash` } }
        : { password: { $secret: `pumphouse/user/${u.user.id}/reset_password` } };
    ctx.draft.add(u.user.id, {
      address: childAt(u.address, 'password_hash'),
      kind: 'password_hash',
      action: done ? 'no-op' : 'update',
      reason: done ? PASSWORD_SET : passwordReason(mode === 'copy-hash' ? `copy the source password hash (${scheme})` : 'reset the password (passwords: reset)'),
      deps: [h],
      source: { cloud: 'source', id: u.user.id, name: u.user.name },
      after: { user_id: refTo(h), mode, ...secret },
      ...(mode === 'reset' ? { steps: ['generate_password', 'write_destination_password', 'verify'] } : {}),
      preconditions: done ? [] : [sourceMatch('keystone', 'users', u.user.id, { name: u.user.name })],
      warnings,
    });
  }
  if (weak > 0) {
    ctx.draft.warn(
      `${weak} copied password hash(es) will not verify in the destination (Keystone 2025.1+ dropped sha512_crypt)`,
      undefined,
      'set identity.passwords: reset in the manifest to give those users new passwords instead',
    );
  }
}

const PASSWORD_SET: Reason = { code: 'up_to_date', text: 'the password was set by an earlier apply' };
// One reason object per text (one per hash scheme): every copied user has one.
const PASSWORD_REASONS = new Map<string, Reason>();

function passwordReason(text: string): Reason {
  let r = PASSWORD_REASONS.get(text);
  if (!r) {
    r = { code: 'missing_in_destination', text };
    PASSWORD_REASONS.set(text, r);
  }
  return r;
}

/**
 * True when the user's destination copy is (or will be) one pumphouse made: it is created
 * now, or the destination user carries our marker. A user adopted by name is not ours.
 */
function madeByUs(ctx: PlanContext, u: UserScope): boolean {
  const h = u.handle;
  if (!h) return false;
  if (h.action === 'create') return true;
  return ctx.memory.markedOf('user', u.user.id) !== undefined;
}

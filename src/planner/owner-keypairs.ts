import type { Server } from '../inventory/index.js';
import type { PlanContext } from './context.js';
import { decide } from './decide.js';
import { refTo, type Handle } from './draft.js';
import { sourceMatch } from './facts.js';
import { all } from './indexes.js';
import { child, seg } from './names.js';
import { byCodeUnits } from '../json/code-unit-order.js';
import { novaHas } from './releases.js';

/** True when the source Nova shows an admin only its own keypairs (below microversion 2.10). */
export function ownerOnlyKeypairs(ctx: PlanContext): boolean {
  return !novaHas(ctx.src.capabilities, '2.10');
}

/** Why the keypairs of source user `ownerId` cannot be read as that user, or null when they can. */
export function unreadable(ctx: PlanContext, ownerId: string): string | null {
  const owner = ctx.users.get(ownerId);
  if (!owner?.handle) return 'its owner is not migrated';
  if (!owner.user.enabled) return 'its owner is disabled in the source, so apply cannot log in as it to read the key';
  if (ctx.s.hashSchemeByUser.has(ownerId)) return null;
  return ctx.src.passwordHashRefs.length === 0
    ? 'configuring the source Keystone database (CLOUDS.source.identity.connection) lets apply read it as its owner and copy it'
    : 'its owner has no password in the source Keystone database (federated or LDAP), so apply cannot read it as its owner';
}

/** Per owner: the key names its migrated servers use and the project of the first such server. */
function usedKeys(ctx: PlanContext): Map<string, { names: Set<string>; projectId: string }> {
  const used = new Map<string, { names: Set<string>; projectId: string }>();
  for (const t of ctx.tenants) {
    for (const sv of t.migrated) {
      if (sv.keyName === null) continue;
      let entry = used.get(sv.userId);
      if (entry === undefined) {
        entry = { names: new Set<string>(), projectId: sv.projectId };
        used.set(sv.userId, entry);
      }
      entry.names.add(sv.keyName);
    }
  }
  return used;
}

/**
 * Per user, a project it holds a role in (a token scoped to it lists the user's keypairs): a
 * migrated tenant first, else the lowest project id. One pass over the assignments (a
 * 10,000-tenant plan must not scan them per user).
 */
function loginProjects(ctx: PlanContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of ctx.tenants) {
    for (const a of all(ctx.s.assignmentsByProject, t.project.id)) if (!out.has(a.userId)) out.set(a.userId, t.project.id);
  }
  const other = new Map<string, string>();
  for (const a of ctx.src.roleAssignments) {
    const had = other.get(a.userId);
    if (!out.has(a.userId) && (had === undefined || a.projectId < had)) other.set(a.userId, a.projectId);
  }
  for (const [u, p] of other) out.set(u, p);
  return out;
}

/** Up to ten names, quoted, for a diagnostic's detail. */
function someNames(users: readonly { readonly user: { readonly name: string } }[]): string {
  const names = users.slice(0, 10).map((u) => `'${u.user.name}'`);
  return `${names.join(', ')}${users.length > 10 ? ', ...' : ''}`;
}

/**
 * True when options.legacy_keypairs lets apply open a temporary-password window for `userId`:
 * `all` every migrated user, `used` only owners of a key a migrated server uses, `none` nobody.
 */
function chosen(ctx: PlanContext, used: ReadonlyMap<string, unknown>, userId: string): boolean {
  const mode = ctx.desired.options.legacyKeypairs;
  return mode === 'all' || (mode === 'used' && used.has(userId));
}

/**
 * A legacy source (Nova below 2.10) lists an admin only its own keypairs, so discovery has
 * none of the other users'. With the source Keystone database configured, every migrated user
 * whose password hash apply can swap and whom options.legacy_keypairs chooses (`all`, the
 * default: every one; `used`: owners of a key a migrated server uses; `none`: nobody) gets ONE
 * `owner_keypairs` action (`user[alice].owner_keypairs`, steps `read_as_owner`, `import`):
 * apply gives the user a temporary password in the source database once, lists all its
 * keypairs as the user, restores the hash, revokes the token, then imports those the
 * destination user lacks. Their names are known only at apply time; the plan names the ones
 * migrated servers use (`used_key_names`), and those servers depend on the action. Done once
 * (state `ready`), the next plan has a no-op whatever the option says (no window, and servers
 * keep the keys copied then): keypairs made in the source afterwards are not seen. A warning
 * says which option applies and how many users get a window; without the database, or for
 * users apply cannot log in as or the option leaves out, one says whose keypairs stay behind
 * (servers warn they boot without their key). Discovery says nothing of these keypairs: this
 * is the one message.
 */
export function planOwnerKeypairs(ctx: PlanContext): void {
  if (!ownerOnlyKeypairs(ctx)) return;
  const mode = ctx.desired.options.legacyKeypairs;
  const used = usedKeys(ctx);
  const admin = ctx.src.session?.userId;
  const users = [...ctx.users.values()].filter((u) => u.handle && u.user.id !== admin).sort((a, b) => byCodeUnits(a.address, b.address));
  if (users.length === 0) return;
  if (ctx.src.passwordHashRefs.length === 0) {
    ctx.draft.warn(
      `keypairs of ${users.length} user(s) are not copied: this Nova (below microversion 2.10) shows keypairs only to their owner`,
      undefined,
      mode === 'none'
        ? `options.legacy_keypairs is none; servers using one boot without it. users: ${someNames(users)}`
        : `configuring the source Keystone database (CLOUDS.source.identity.connection) lets apply list them as their owner (a temporary password set in the SOURCE Keystone, the original hash restored) and copy them (options.legacy_keypairs: ${mode}); without it, servers using one boot without it. users: ${someNames(users)}`,
    );
    return;
  }
  const projects = loginProjects(ctx);
  const left: string[] = [];
  const leftOut: typeof users = [];
  let reading = 0;
  for (const u of users) {
    const d = decide(ctx.memory.resolve('owner_keypairs', u.user.id), { make: 'create', natural: null });
    // A user an earlier apply read keeps its no-op whatever the option: no window is opened.
    if (d.action !== 'no-op' && !chosen(ctx, used, u.user.id)) {
      leftOut.push(u);
      continue;
    }
    const why = unreadable(ctx, u.user.id);
    const projectId = why ? null : (used.get(u.user.id)?.projectId ?? projects.get(u.user.id) ?? u.user.defaultProjectId);
    if (why || projectId === null) {
      left.push(`'${u.user.name}' (${why ?? 'it holds no role in a project a token could be scoped to'})`);
      continue;
    }
    const names = [...(used.get(u.user.id)?.names ?? [])].sort(byCodeUnits);
    const creating = d.action === 'create';
    if (creating) reading++;
    const usedText = names.length > 0 ? `; migrated servers use ${names.map((n) => `'${n}'`).join(', ')}` : '';
    ctx.draft.add(
      u.user.id,
      {
        address: child(u.address, seg('owner_keypairs')),
        kind: 'owner_keypairs',
        action: d.action,
        reason: creating
          ? {
              code: d.reason.code,
              text: `${d.reason.text}; this Nova shows keypairs only to their owner, so their names are known only at apply time: apply lists the user's source keypairs as the user and imports those the destination user lacks${usedText}`,
            }
          : d.reason,
        // After the password copy: it must never read the owner's temporary source hash. After
        // the user's keypairs discovery listed (planned one by one), which it then adopts.
        deps: [
          u.handle,
          ctx.draft.get('password_hash', u.user.id),
          ...all(ctx.s.keypairsByUser, u.user.id).map((k) => ctx.draft.get('keypair', `${k.userId}/${k.name}`)),
        ],
        source: { cloud: 'source', id: u.user.id, name: u.user.name },
        after: {
          user_id: refTo(u.handle),
          source_user_id: u.user.id,
          source_user_name: u.user.name,
          source_user_domain_id: u.user.domainId,
          source_project_id: projectId,
          used_key_names: names,
        },
        preconditions: creating ? [sourceMatch('keystone', 'users', u.user.id, { name: u.user.name })] : [],
        warnings: creating
          ? [
              `the keypair names are known only at apply time: apply briefly gives user '${u.user.name}' a temporary password in the SOURCE Keystone (written to its database) to list its keypairs as the user, then restores the original password hash and revokes the token`,
            ]
          : [],
      },
      d.destinationId,
    );
  }
  if (reading > 0) {
    ctx.draft.warn(
      `the keypairs of ${reading} user(s) are read from the source as their owners (options.legacy_keypairs: ${mode}; their names are known only at apply time): apply briefly gives each of these ${reading} owner(s) a temporary password in the SOURCE Keystone database and restores the original hash`,
      undefined,
      'the original hashes wait in a 0600 file (pumphouse.owner-passwords beside the state file, or apply --owner-passwords-file) until restored; an interrupted apply restores them when it runs again',
    );
  }
  if (leftOut.length > 0) {
    ctx.draft.warn(
      `keypairs of ${leftOut.length} user(s) are not copied: options.legacy_keypairs is ${mode}, so ${reading} user(s) get a temporary password in the SOURCE Keystone`,
      undefined,
      `${
        mode === 'used'
          ? 'only owners of a keypair a migrated server uses are read as their owner; the keypairs of these users stay in the source (legacy_keypairs: all copies them, one temporary password per user)'
          : 'no keypair of another user is read from this Nova (it shows keypairs only to their owner): servers using one boot without it (legacy_keypairs: used reads only their owners)'
      }. users: ${someNames(leftOut)}`,
    );
  }
  if (left.length > 0) {
    ctx.draft.warn(`keypairs of ${left.length} user(s) cannot be read as their owner and are not copied`, undefined, left.join('; '));
  }
}

/**
 * The action a server's keypair comes from on a legacy source: the owner's `owner_keypairs`
 * when it is to run (the key arrives at apply time), or when an earlier apply copied the
 * owner's keypairs and the destination user has that name; else undefined (boots without).
 */
export function ownerKeypairsFor(ctx: PlanContext, sv: Server): Handle | undefined {
  if (sv.keyName === null) return undefined;
  const h = ctx.draft.get('owner_keypairs', sv.userId);
  if (!h || h.action !== 'no-op') return h;
  return h.destinationId !== null && all(ctx.d.keypairsByUser, h.destinationId).some((k) => k.name === sv.keyName) ? h : undefined;
}

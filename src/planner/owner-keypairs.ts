import type { Server } from '../inventory/index.js';
import type { PlanContext } from './context.js';
import { decide } from './decide.js';
import { refTo, type Handle } from './draft.js';
import { sourceMatch } from './facts.js';
import { all } from './indexes.js';
import { child, seg } from './names.js';

/** True when the source Nova shows an admin only its own keypairs (below microversion 2.10). */
export function ownerOnlyKeypairs(ctx: PlanContext): boolean {
  const mv = ctx.src.capabilities.computeMicroversion;
  if (mv === null) return true;
  const [major, minor] = mv.split('.').map(Number);
  return major! < 2 || (major === 2 && minor! < 10);
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

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Per owner: the key names its migrated servers use and the project of the first such server. */
function usedKeys(ctx: PlanContext): Map<string, { names: Set<string>; projectId: string }> {
  const used = new Map<string, { names: Set<string>; projectId: string }>();
  for (const t of ctx.tenants) {
    for (const sv of t.servers) {
      if (!ctx.migratedServers.has(sv.id) || sv.keyName === null) continue;
      const entry = used.get(sv.userId) ?? { names: new Set<string>(), projectId: sv.projectId };
      entry.names.add(sv.keyName);
      used.set(sv.userId, entry);
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

/**
 * A legacy source (Nova below 2.10) lists an admin only its own keypairs, so discovery has
 * none of the other users'. With the source Keystone database configured, every migrated user
 * whose password hash apply can swap gets ONE `owner_keypairs` action (`user[alice].owner_keypairs`,
 * steps `read_as_owner`, `import`): apply gives the user a temporary password in the source
 * database once, lists all its keypairs as the user, restores the hash, revokes the token, then
 * imports those the destination user lacks. Their names are known only at apply time; the
 * plan names the ones migrated servers use (`used_key_names`), and those servers depend on the
 * action. Done once (state `ready`), the next plan has a no-op: keypairs made in the source
 * afterwards are not seen. Without the database, or for users apply cannot log in as, a
 * diagnostic says whose keypairs stay behind (servers warn they boot without their key).
 */
export function planOwnerKeypairs(ctx: PlanContext): void {
  if (!ownerOnlyKeypairs(ctx)) return;
  const used = usedKeys(ctx);
  const admin = ctx.src.session?.userId;
  const users = [...ctx.users.values()].filter((u) => u.handle && u.user.id !== admin).sort((a, b) => byText(a.address, b.address));
  if (users.length === 0) return;
  if (ctx.src.passwordHashRefs.length === 0) {
    ctx.draft.warn(
      `keypairs of ${users.length} user(s) are not copied: this Nova (below microversion 2.10) shows keypairs only to their owner`,
      undefined,
      'configuring the source Keystone database (CLOUDS.source.identity.connection) lets apply list them as their owner (a temporary password set in the SOURCE Keystone, the original hash restored) and copy them; without it, servers using one boot without it',
    );
    return;
  }
  const projects = loginProjects(ctx);
  const left: string[] = [];
  let reading = 0;
  for (const u of users) {
    const why = unreadable(ctx, u.user.id);
    const projectId = why ? null : (used.get(u.user.id)?.projectId ?? projects.get(u.user.id) ?? u.user.defaultProjectId);
    if (why || projectId === null) {
      left.push(`'${u.user.name}' (${why ?? 'it holds no role in a project a token could be scoped to'})`);
      continue;
    }
    const names = [...(used.get(u.user.id)?.names ?? [])].sort(byText);
    const d = decide(ctx.memory.resolve('owner_keypairs', u.user.id), { make: 'create', natural: null });
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
      `the keypairs of ${reading} user(s) are read from the source as their owners (their names are known only at apply time): apply briefly gives each owner a temporary password in the SOURCE Keystone database and restores the original hash`,
      undefined,
      'the original hashes wait in a 0600 file (pumphouse.owner-passwords beside the state file, or apply --owner-passwords-file) until restored; an interrupted apply restores them when it runs again',
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

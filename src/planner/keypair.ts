import type { Server } from '../inventory/index.js';
import type { PlanContext, UserScope } from './context.js';
import { decide } from './decide.js';
import { refTo } from './draft.js';
import { sourceMatch } from './facts.js';
import { all } from './indexes.js';
import { child, seg, uniqueNames } from './names.js';

/**
 * Keypairs belong to users, not projects: every keypair of every user in scope is copied
 * (public key only; Nova never stored the private half) and owned by that user's copy.
 * Keypairs discovery could not read (a legacy Nova shows them only to their owner) are
 * planned from the migrated servers' `key_name`s: see planOwnerKeypairs.
 */
export function planKeypairs(ctx: PlanContext): void {
  planListedKeypairs(ctx);
  planOwnerKeypairs(ctx);
}

function planListedKeypairs(ctx: PlanContext): void {
  for (const u of ctx.users.values()) {
    const keys = all(ctx.s.keypairsByUser, u.user.id);
    if (keys.length === 0) continue;
    const names = uniqueNames(keys, (k) => k.name, (k) => k.name);
    const dstUser = u.handle?.destinationId ?? null;
    const dstKeys = dstUser ? all(ctx.d.keypairsByUser, dstUser) : [];
    for (const k of keys) {
      const key = `${k.userId}/${k.name}`;
      const address = child(u.address, seg('keypair', names.get(k.name)!));
      const same = dstKeys.find((x) => x.name === k.name);
      if (same && same.fingerprint !== k.fingerprint && ctx.memory.resolve('keypair', key).state === 'none') {
        ctx.draft.error(
          `user '${u.user.name}' already has a different keypair named '${k.name}' in the destination`,
          address,
          `source fingerprint ${k.fingerprint}, destination ${same.fingerprint}`,
        );
        ctx.draft.skipped++;
        continue;
      }
      const natural = same ? { id: `${dstUser}/${same.name}`, why: 'the destination user already has this key' } : null;
      const d = decide(ctx.memory.resolve('keypair', key), { make: 'create', natural });
      ctx.draft.add(
        key,
        {
          address,
          kind: 'keypair',
          action: d.action,
          reason: d.reason,
          deps: [u.handle],
          source: { cloud: 'source', id: key, name: k.name },
          after: { name: k.name, user_id: refTo(u.handle), public_key: k.publicKey, type: k.type, fingerprint: k.fingerprint },
          preconditions: d.action === 'create' ? [sourceMatch('nova', 'keypairs', key, { fingerprint: k.fingerprint })] : [],
        },
        d.destinationId,
      );
    }
  }
}

/** True when the source Nova shows an admin only its own keypairs (below microversion 2.10). */
function ownerOnlyKeypairs(ctx: PlanContext): boolean {
  const mv = ctx.src.capabilities.computeMicroversion;
  if (mv === null) return true;
  const [major, minor] = mv.split('.').map(Number);
  return major! < 2 || (major === 2 && minor! < 10);
}

/** Why a server's keypair `(owner, name)` cannot be read, or null when it can (as its owner). */
function unreadable(ctx: PlanContext, ownerId: string): string | null {
  const owner = ctx.users.get(ownerId);
  if (!owner?.handle) return 'its owner is not migrated';
  if (!owner.user.enabled) return 'its owner is disabled in the source, so apply cannot log in as it to read the key';
  if (ctx.s.hashSchemeByUser.has(ownerId)) return null;
  return ctx.src.passwordHashRefs.length === 0
    ? 'configuring the source Keystone database (CLOUDS.source.identity.connection) lets apply read it as its owner and copy it'
    : 'its owner has no password in the source Keystone database (federated or LDAP), so apply cannot read it as its owner';
}

/**
 * The warning of a server booting without its keypair (called by the server planner when no
 * keypair action exists for its `key_name`): the reason, and what would enable the copy.
 */
export function missingKeypairWarning(ctx: PlanContext, sv: Server): string {
  const base = `keypair '${sv.keyName}' of its owner is not in the source; the server boots without it`;
  if (!ownerOnlyKeypairs(ctx) || sv.userId === ctx.src.session?.userId) return base;
  const why = unreadable(ctx, sv.userId);
  return why ? `${base} (this Nova shows keypairs only to their owner; ${why})` : base;
}

/**
 * A legacy source (Nova below 2.10) lists an admin only its own keypairs, so discovery has
 * none of the other users'. What it has are the migrated servers' `key_name` and owner: one
 * keypair action per (owner, key name) they reference, and only those, whose public key apply
 * reads from the source as the owner (`after.public_key: null`, `read_as_owner: true`, step
 * `read_as_owner`), which needs the source Keystone database: apply gives the owner a
 * temporary password there for the time of one GET and restores the original hash. Owners
 * whose hash discovery could not see keep the server planner's warning.
 */
function planOwnerKeypairs(ctx: PlanContext): void {
  if (!ownerOnlyKeypairs(ctx)) return;
  const wanted = new Map<string, { owner: UserScope; name: string; projectId: string }>();
  for (const t of ctx.tenants) {
    for (const sv of t.servers) {
      if (!ctx.migratedServers.has(sv.id) || sv.keyName === null || sv.userId === ctx.src.session?.userId) continue;
      const key = `${sv.userId}/${sv.keyName}`;
      if (wanted.has(key) || ctx.draft.get('keypair', key) || unreadable(ctx, sv.userId) !== null) continue;
      wanted.set(key, { owner: ctx.users.get(sv.userId)!, name: sv.keyName, projectId: sv.projectId });
    }
  }
  for (const [key, { owner: u, name, projectId }] of [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const d = decide(ctx.memory.resolve('keypair', key), { make: 'create', natural: null });
    const creating = d.action === 'create';
    ctx.draft.add(
      key,
      {
        address: child(u.address, seg('keypair', name)),
        kind: 'keypair',
        action: d.action,
        reason: creating
          ? { code: d.reason.code, text: `${d.reason.text}; the public key is read from the source as its owner at apply time (this Nova shows keypairs only to their owner)` }
          : d.reason,
        // After the password copy: it must never read the owner's temporary source hash.
        deps: [u.handle, ctx.draft.get('password_hash', u.user.id)],
        source: { cloud: 'source', id: key, name },
        after: {
          name,
          user_id: refTo(u.handle),
          public_key: null,
          read_as_owner: true,
          source_user_id: u.user.id,
          source_user_name: u.user.name,
          source_user_domain_id: u.user.domainId,
          source_project_id: projectId,
        },
        ...(creating ? { steps: ['read_as_owner', 'create'] } : {}),
        preconditions: creating ? [sourceMatch('keystone', 'users', u.user.id, { name: u.user.name })] : [],
        warnings: creating
          ? [`apply briefly gives user '${u.user.name}' a temporary password in the SOURCE Keystone (written to its database) to read this keypair, then restores the original password hash`]
          : [],
      },
      d.destinationId,
    );
  }
  const count = [...wanted.keys()].filter((k) => ctx.draft.get('keypair', k)?.action === 'create').length;
  if (count > 0) {
    ctx.draft.warn(
      `${count} keypair(s) are read from the source as their owners: apply briefly gives each owner a temporary password in the source Keystone database and restores the original hash`,
      undefined,
      'the original hashes wait in a 0600 file beside the state file (pumphouse.owner-passwords) until restored; an interrupted apply restores them when it runs again',
    );
  }
}

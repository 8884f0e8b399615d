import { PumphouseError } from '../../errors/index.js';
import { emit } from '../../events/index.js';
import type { Keypair, Keypairs } from '../../openstack/index.js';
import type { Action } from '../../plan/index.js';
import type { KindHandler, StepContext, StepResult } from '../contract.js';
import { AfterValues } from '../common/after.js';
import { createOnce } from '../common/create-once.js';
import { kindHandler } from '../common/handler.js';
import { findUserKeypair } from './keypair.js';
import type { OwnerTokens, SourceOwner } from './owner-token.js';

/** One source keypair as `read_as_owner` records it (public facts only). */
export interface ListedKeypair {
  readonly name: string;
  readonly public_key: string;
  readonly fingerprint: string;
  readonly type: string | null;
}

/**
 * Every keypair of one user on a legacy source (Nova below microversion 2.10 shows a user's
 * keypairs only to that user), in one temporary-password window per user:
 * - `read_as_owner`: lists the owner's source keypairs with a token of the owner (OwnerTokens:
 *   a temporary password in the source Keystone database, the original hash restored, the
 *   token revoked) and records them as the step output `keypairs` (a JSON list of name,
 *   public key, fingerprint, type: public facts). Run again after a crash, it lists again.
 * - `import`: for each listed keypair, the destination user's keypair of that name (microversion
 *   2.10 `user_id`) is looked up first: the same key is adopted, none is imported, another
 *   key is left alone with a warning event, unless a migrated server uses that name
 *   (`after.used_key_names`), which fails the action (the server would boot with another key).
 *   A used name the owner no longer has is warned about (the server boot then fails "plan
 *   again", and the next plan boots it without the key).
 * The destination id is the destination user id. Without OwnerTokens (no source Keystone
 * database) `read_as_owner` fails before changing anything.
 */
export function ownerKeypairsKindWith(owners?: OwnerTokens): KindHandler {
  return kindHandler('owner_keypairs', {
    create: { read_as_owner: (action, ctx) => readAsOwner(action, ctx, owners), import: importAll },
  });
}

/** The kind without owner tokens: `read_as_owner` is refused (PH_CONFIG_INVALID). */
export const ownerKeypairsKind: KindHandler = ownerKeypairsKindWith();

function ownerOf(a: AfterValues): SourceOwner {
  return {
    userId: a.str('source_user_id'),
    userName: a.str('source_user_name'),
    domainId: a.optStr('source_user_domain_id'),
    projectId: a.str('source_project_id'),
  };
}

async function readAsOwner(action: Action, ctx: StepContext, owners: OwnerTokens | undefined): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const owner = ownerOf(a);
  if (!owners?.available) {
    throw new PumphouseError(
      'PH_CONFIG_INVALID',
      `${action.address}: the keypairs must be listed as their owner in the source, which needs the source Keystone database (CLOUDS.source.identity.connection)`,
      { address: action.address, details: { field: 'CLOUDS.source.identity.connection' } },
    );
  }
  const listed = await owners.asOwner(action.address, owner, ctx, (keypairs) => keypairs.list());
  const keys: ListedKeypair[] = listed
    .map((k) => ({ name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint, type: k.type }))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return { outputs: { keypairs: JSON.stringify(keys), count: keys.length } };
}

/** The keypairs `read_as_owner` recorded (journal view, so also after a crash). */
export function recordedKeypairs(action: Action, ctx: StepContext): ListedKeypair[] {
  const raw = ctx.recorded.outputs['keypairs'];
  if (typeof raw !== 'string') {
    throw new PumphouseError('PH_INTERNAL', `${action.address}: step import runs before read_as_owner recorded the keypairs`, { address: action.address, source: 'internal' });
  }
  return JSON.parse(raw) as ListedKeypair[];
}

function sameKey(found: Keypair, k: ListedKeypair): boolean {
  return found.fingerprint === k.fingerprint || found.publicKey.trim() === k.public_key.trim();
}

async function importAll(action: Action, ctx: StepContext): Promise<StepResult> {
  const a = new AfterValues(await ctx.resolveAfter(), action.address);
  const userId = a.str('user_id');
  const sourceUser = a.str('source_user_id');
  const used = new Set(a.strings('used_key_names'));
  const keys = recordedKeypairs(action, ctx);
  const keypairs = (await ctx.clouds.destination()).compute.keypairs;
  const imported: string[] = [];
  const adopted: string[] = [];
  const conflicts: string[] = [];
  for (const k of keys) {
    const { value, created } = await createOnce(
      () => findUserKeypair(keypairs, k.name, userId),
      () => keypairs.create({ name: k.name, publicKey: k.public_key, userId, ...(k.type ? { type: k.type } : {}) }),
    );
    if (!sameKey(value, k)) conflicts.push(k.name);
    else (created ? imported : adopted).push(k.name);
  }
  const usedConflicts = conflicts.filter((n) => used.has(n));
  for (const name of conflicts.filter((n) => !used.has(n))) {
    const summary = `${action.address}: keypair '${name}' not copied: destination user ${userId} already has a keypair of that name with another key`;
    emit(ctx.reporter, 'diagnostic', 'warn', summary, { severity: 'warning', summary, address: action.address, detail: `source user ${sourceUser}; rename or delete one of them and plan again to copy it` });
  }
  const listed = new Set(keys.map((k) => k.name));
  for (const name of [...used].filter((n) => !listed.has(n)).sort()) {
    const summary = `${action.address}: keypair '${name}', which a migrated server names, is no longer among the owner's source keypairs`;
    emit(ctx.reporter, 'diagnostic', 'warn', summary, { severity: 'warning', summary, address: action.address, detail: 'the server using it cannot boot with it: the next plan boots it without a key' });
  }
  if (usedConflicts.length > 0) {
    throw new PumphouseError(
      'PH_PRECONDITION_FAILED',
      `${action.address}: destination user ${userId} already has keypair(s) ${usedConflicts.map((n) => `'${n}'`).join(', ')} with another key, and migrated servers use that name; rename or delete the destination keypair and plan again`,
      { address: action.address, details: { user_id: userId, keypairs: usedConflicts.join(',') } },
    );
  }
  return {
    destinationId: userId,
    outputs: { imported: imported.join(','), adopted: adopted.join(','), conflicts: conflicts.join(','), count: keys.length },
  };
}

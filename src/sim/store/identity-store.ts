import { createHash } from 'node:crypto';
import { hashPassword, verifyPasswordHash, type HashCost, type HashScheme } from '../auth/passwords.js';
import type { SimRandom } from '../random.js';
import { Table } from './table.js';
import type { AssignmentRecord, DomainRecord, ProjectRecord, RoleRecord, UserRecord } from './types/identity.js';

/**
 * Where password hashes live. The in-memory vault is the default; `SqlPasswordVault` keeps
 * them in a real Keystone schema (the release's tables in MariaDB) so the identity-db hash
 * copy path runs against SQL. Writes are fire-and-forget for the (synchronous) callers and
 * queued in order; reads wait for queued writes; `flush()` surfaces write errors.
 */
export interface PasswordVault {
  /** A user was created or changed (name, domain, enabled): DB-backed vaults mirror its rows. */
  syncUser(user: UserRecord): void;
  /** Stores a new password for an existing user (hashed now or on first use). */
  setPassword(user: UserRecord, password: string): void;
  /** Stores a hash as is (what an identity-DB copy does). */
  setHash(user: UserRecord, hash: string): void;
  remove(userId: string): void;
  /** The stored hash, computing it if it is still pending; undefined when the user has none. */
  hashOf(userId: string): Promise<string | undefined>;
  verify(userId: string, password: string): Promise<boolean>;
  /** Resolves when every queued write is done; rejects with the first write error. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Pending plain passwords are kept only until hashed. */
export class MemoryPasswordVault implements PasswordVault {
  private readonly hashes = new Map<string, string>();
  private readonly pending = new Map<string, string>();
  /** The last successful verification per user: the hash and a digest of the password. */
  private readonly verified = new Map<string, { readonly hash: string; readonly digest: string }>();

  constructor(
    private readonly scheme: HashScheme,
    private readonly rng: SimRandom,
    private readonly cost: HashCost,
  ) {}

  syncUser(): void {}

  setPassword(user: UserRecord, password: string): void {
    this.hashes.delete(user.id);
    this.pending.set(user.id, password);
  }

  setHash(user: UserRecord, hash: string): void {
    this.pending.delete(user.id);
    this.hashes.set(user.id, hash);
  }

  /** Synchronous read for in-process callers (tests, generator). */
  hashNow(userId: string): string | undefined {
    const plain = this.pending.get(userId);
    if (plain !== undefined) {
      this.pending.delete(userId);
      this.hashes.set(userId, hashPassword(this.scheme, plain, this.rng, this.cost));
    }
    return this.hashes.get(userId);
  }

  async hashOf(userId: string): Promise<string | undefined> {
    return this.hashNow(userId);
  }

  async verify(userId: string, password: string): Promise<boolean> {
    // A first login with the password just set: its hash (computed now, salts drawn in the
    // same order as ever) matches it, so the second costly hash of a verify is skipped.
    const fresh = this.pending.get(userId) === password;
    const hash = this.hashNow(userId);
    if (hash === undefined) return false;
    // A verification is a pure function of (password, hash): a login that succeeded against
    // this very hash succeeds again without the costly hash (a digest, not the password, is kept).
    const digest = createHash('sha256').update(password).digest('base64');
    const last = this.verified.get(userId);
    if (last !== undefined && last.hash === hash && last.digest === digest) return true;
    const ok = fresh || verifyPasswordHash(password, hash);
    if (ok) this.verified.set(userId, { hash, digest });
    return ok;
  }

  remove(userId: string): void {
    this.hashes.delete(userId);
    this.pending.delete(userId);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}

const key = (userId: string, scopeKind: string, scopeId: string) => `${userId}|${scopeKind}|${scopeId}`;

/** Keystone's data: domains, projects, users (+ password vault), roles and grants. */
export class IdentityStore {
  readonly domains = new Table<DomainRecord>('domain');
  readonly projects = new Table<ProjectRecord>('project');
  readonly users = new Table<UserRecord>('user');
  readonly roles = new Table<RoleRecord>('role');
  /** Grants keyed `user|project|id` -> role ids. */
  private readonly grants = new Map<string, Set<string>>();

  constructor(public passwords: PasswordVault) {}

  verifyPassword(userId: string, password: string): Promise<boolean> {
    return this.passwords.verify(userId, password);
  }

  projectByName(name: string, domainId?: string): ProjectRecord | undefined {
    return this.projects.find((p) => p.name === name && (domainId === undefined || p.domainId === domainId));
  }

  userByName(name: string, domainId?: string): UserRecord | undefined {
    return this.users.find((u) => u.name === name && (domainId === undefined || u.domainId === domainId));
  }

  roleByName(name: string): RoleRecord | undefined {
    return this.roles.find((r) => r.name === name);
  }

  domainByName(name: string): DomainRecord | undefined {
    return this.domains.find((d) => d.name === name);
  }

  /** Grants a role; false when the grant already existed. */
  grant(a: AssignmentRecord): boolean {
    const k = key(a.userId, a.scope.kind, a.scope.id);
    const set = this.grants.get(k) ?? new Set<string>();
    this.grants.set(k, set);
    if (set.has(a.roleId)) return false;
    set.add(a.roleId);
    return true;
  }

  /** Revokes a role; false when there was no such grant. */
  revoke(a: AssignmentRecord): boolean {
    const k = key(a.userId, a.scope.kind, a.scope.id);
    const set = this.grants.get(k);
    if (!set?.delete(a.roleId)) return false;
    if (set.size === 0) this.grants.delete(k);
    return true;
  }

  hasGrant(a: AssignmentRecord): boolean {
    return this.grants.get(key(a.userId, a.scope.kind, a.scope.id))?.has(a.roleId) ?? false;
  }

  /** Role ids a user holds directly on a scope. */
  rolesOn(userId: string, scope: AssignmentRecord['scope']): string[] {
    return [...(this.grants.get(key(userId, scope.kind, scope.id)) ?? [])];
  }

  /** Every grant, in insertion order. */
  *assignments(): IterableIterator<AssignmentRecord> {
    for (const [k, roles] of this.grants) {
      const [userId, kind, id] = k.split('|') as [string, 'project' | 'domain', string];
      for (const roleId of roles) yield { userId, roleId, scope: { kind, id } };
    }
  }

  /** Removes every grant touching a user, project, domain or role (on their deletion). */
  dropGrants(match: { readonly userId?: string; readonly scopeId?: string; readonly roleId?: string }): void {
    for (const [k, roles] of [...this.grants]) {
      const [userId, , id] = k.split('|');
      if (match.userId !== undefined && userId === match.userId) this.grants.delete(k);
      else if (match.scopeId !== undefined && id === match.scopeId) this.grants.delete(k);
      else if (match.roleId !== undefined) {
        roles.delete(match.roleId);
        if (roles.size === 0) this.grants.delete(k);
      }
    }
  }
}

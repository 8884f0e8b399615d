import { hashPassword, verifyPasswordHash, type HashCost, type HashScheme } from '../auth/passwords.js';
import type { SimRandom } from '../random.js';
import { Table } from './table.js';
import type { AssignmentRecord, DomainRecord, ProjectRecord, RoleRecord, UserRecord } from './types/identity.js';

/**
 * Where password hashes live. The in-memory vault is the default; a vault backed by a real
 * Keystone database (the release's schema, through src/identity-db) can replace it so the
 * hash-copy path is exercised against SQL. Hashing is lazy: a password set through the
 * generator is hashed the first time it is verified or read, so 10,000 generated users cost
 * nothing until someone logs in or reads the identity DB.
 */
export interface PasswordVault {
  /** Stores a new password (hashed now or on first use). */
  setPassword(userId: string, password: string): void;
  /** Stores a hash as is (what an identity-DB copy does). */
  setHash(userId: string, hash: string): void;
  /** The stored hash, computing it if it is still pending; undefined when the user has none. */
  hashOf(userId: string): string | undefined;
  verify(userId: string, password: string): boolean;
  remove(userId: string): void;
}

/** Pending plain passwords are kept only until hashed; hashes are shared strings. */
export class MemoryPasswordVault implements PasswordVault {
  private readonly hashes = new Map<string, string>();
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly scheme: HashScheme,
    private readonly rng: SimRandom,
    private readonly cost: HashCost,
  ) {}

  setPassword(userId: string, password: string): void {
    this.hashes.delete(userId);
    this.pending.set(userId, password);
  }

  setHash(userId: string, hash: string): void {
    this.pending.delete(userId);
    this.hashes.set(userId, hash);
  }

  hashOf(userId: string): string | undefined {
    const plain = this.pending.get(userId);
    if (plain !== undefined) {
      this.pending.delete(userId);
      this.hashes.set(userId, hashPassword(this.scheme, plain, this.rng, this.cost));
    }
    return this.hashes.get(userId);
  }

  verify(userId: string, password: string): boolean {
    const hash = this.hashOf(userId);
    return hash !== undefined && verifyPasswordHash(password, hash);
  }

  remove(userId: string): void {
    this.hashes.delete(userId);
    this.pending.delete(userId);
  }
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

  verifyPassword(userId: string, password: string): boolean {
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

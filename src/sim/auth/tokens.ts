import type { AuthContext } from '../http/request.js';
import type { Profile } from '../profile.js';
import { SimRandom } from '../random.js';
import type { IdentityStore } from '../store/identity-store.js';

/** An issued token. Roles are resolved at validation, so a revoked grant takes effect at once. */
export interface TokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly projectId: string | undefined;
  readonly domainScopeId: string | undefined;
  readonly methods: readonly string[];
  readonly auditId: string;
  readonly issuedAt: number;
  expiresAt: number;
}

/**
 * Issues and validates tokens in the release's format: PKI-like multi-KB blobs (Havana,
 * Icehouse), 32-hex UUIDs (Juno), fernet-like strings (modern). Lifetimes follow the profile
 * unless `tokenExpireAfterMs` overrides them.
 */
export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly rng: SimRandom;

  constructor(
    private readonly profile: Profile,
    private readonly identity: IdentityStore,
    seed: number | string,
    cloudName: string,
    private readonly lifetimeMs: () => number | null,
  ) {
    this.rng = SimRandom.derive(seed, `${cloudName}/tokens`);
  }

  get size(): number {
    return this.tokens.size;
  }

  issue(input: { readonly userId: string; readonly projectId?: string; readonly domainScopeId?: string; readonly methods: readonly string[]; readonly expiresAt?: number }): TokenRecord {
    const now = Date.now();
    const ttl = this.lifetimeMs() ?? this.profile.tokenLifetimeS * 1000;
    // A rescoped token keeps the original's expiry, as Keystone does.
    const expiresAt = input.expiresAt !== undefined ? Math.min(input.expiresAt, now + ttl) : now + ttl;
    const rec: TokenRecord = {
      id: this.newId(),
      userId: input.userId,
      projectId: input.projectId,
      domainScopeId: input.domainScopeId,
      methods: input.methods,
      auditId: this.rng.bytes(16).toString('base64url').slice(0, 22),
      issuedAt: now,
      expiresAt,
    };
    this.tokens.set(rec.id, rec);
    return rec;
  }

  /** The token when it is known, unexpired, its user enabled and its project still there and enabled. */
  validate(id: string | undefined): TokenRecord | undefined {
    if (!id) return undefined;
    const rec = this.tokens.get(id);
    if (!rec) return undefined;
    if (Date.now() >= rec.expiresAt) return undefined;
    const user = this.identity.users.get(rec.userId);
    if (!user?.enabled) return undefined;
    if (rec.projectId !== undefined && !this.identity.projects.get(rec.projectId)?.enabled) return undefined;
    return rec;
  }

  revoke(id: string): boolean {
    return this.tokens.delete(id);
  }

  /** Revokes every token of a user (Keystone does so when the password changes or the user is disabled). */
  revokeUser(userId: string): number {
    let n = 0;
    for (const [id, t] of this.tokens) {
      if (t.userId === userId) {
        this.tokens.delete(id);
        n++;
      }
    }
    return n;
  }

  /** Makes every issued token expire now; returns how many were live. */
  expireAll(): number {
    const now = Date.now();
    let n = 0;
    for (const t of this.tokens.values()) {
      if (t.expiresAt > now) n++;
      t.expiresAt = now - 1;
    }
    return n;
  }

  /** The caller behind a valid token: names and roles resolved now. */
  authContext(rec: TokenRecord): AuthContext {
    const user = this.identity.users.get(rec.userId)!;
    const project = rec.projectId !== undefined ? this.identity.projects.get(rec.projectId) : undefined;
    const scope = rec.projectId !== undefined ? ({ kind: 'project', id: rec.projectId } as const) : rec.domainScopeId !== undefined ? ({ kind: 'domain', id: rec.domainScopeId } as const) : undefined;
    const roleIds = scope ? this.identity.rolesOn(rec.userId, scope) : [];
    const roles = roleIds.map((r) => this.identity.roles.get(r)?.name).filter((n): n is string => n !== undefined);
    return {
      tokenId: rec.id,
      userId: user.id,
      userName: user.name,
      userDomainId: user.domainId,
      projectId: project?.id,
      projectName: project?.name,
      domainScopeId: rec.domainScopeId,
      roles,
      roleIds,
      isAdmin: roles.includes('admin'),
      expiresAt: new Date(rec.expiresAt),
    };
  }

  private newId(): string {
    switch (this.profile.tokenFormat) {
      case 'uuid':
        return this.rng.hex32();
      case 'fernet':
        return `gAAAAA${this.rng.bytes(135).toString('base64url')}`;
      case 'pki':
        // A CMS blob: "MII" + base64 with '/' written as '-' (keystone's cms_to_token). Several KB.
        return `MII${this.rng.bytes(1800).toString('base64').replace(/\//g, '-').replace(/=+$/, '')}`;
    }
  }
}

/** `2014-05-01T12:00:00Z` (v2 `expires`) and `...000000Z` (v3 `expires_at`). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

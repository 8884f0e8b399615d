import { hex } from './prng.js';

/** The Fuel master's Keystone v2.0, reduced to what fuelclient uses: password tokens for one user. */
export class MasterKeystone {
  private readonly tokens = new Map<string, number>();
  private issued = 0;

  constructor(
    readonly username: string,
    readonly password: string,
    readonly tenantName: string,
    private readonly random: () => number,
    private readonly ttlMs: number,
  ) {}

  /** `POST /keystone/v2.0/tokens`: 200 with an `access` document, or 401 in Keystone's JSON error shape. */
  issue(body: unknown): { status: number; json: unknown } {
    const auth = (body as { auth?: { tenantName?: unknown; passwordCredentials?: { username?: unknown; password?: unknown } } } | undefined)?.auth;
    const creds = auth?.passwordCredentials;
    if (!creds || creds.username !== this.username || creds.password !== this.password || (auth?.tenantName ?? this.tenantName) !== this.tenantName) {
      return { status: 401, json: { error: { message: 'The request you have made requires authentication.', code: 401, title: 'Unauthorized' } } };
    }
    this.issued++;
    const id = hex(this.random, 16);
    const expires = Date.now() + this.ttlMs;
    this.tokens.set(id, expires);
    return {
      status: 200,
      json: {
        access: {
          token: { id, issued_at: new Date().toISOString(), expires: new Date(expires).toISOString().replace(/\.\d+Z$/, 'Z'), tenant: { id: 'admin-tenant', name: this.tenantName, enabled: true } },
          serviceCatalog: [],
          user: { id: 'admin-user', name: this.username, username: this.username, roles: [{ name: 'admin' }], roles_links: [] },
          metadata: { is_admin: 0, roles: ['admin'] },
        },
      },
    };
  }

  valid(token: string | undefined): boolean {
    if (!token) return false;
    const expires = this.tokens.get(token);
    return expires !== undefined && expires > Date.now();
  }

  /** Revokes every token (tests of the client's re-authentication). */
  revokeAll(): void {
    this.tokens.clear();
  }

  get loginCount(): number {
    return this.issued;
  }
}

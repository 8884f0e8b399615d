import { PasswordHash, type IdentityDb } from '../../../src/identity-db/index.js';
import type { KeystoneDbUrl } from '../../../src/identity-db/index.js';

/** An in-memory Keystone database: user id -> hash; counts opens and closes. */
export class FakeIdentityDb {
  readonly hashes = new Map<string, string>();
  opened = 0;
  closed = 0;
  writes = 0;

  /** The opener IdentityDbAccess takes. */
  readonly open = async (): Promise<IdentityDb> => {
    this.opened++;
    return {
      url: {} as KeystoneDbUrl,
      detectSchema: async () => 'local-user-password-hash',
      readPasswordHash: async (id) => {
        const h = this.hashes.get(id);
        return h === undefined ? null : new PasswordHash(h);
      },
      writePasswordHash: async (id, hash) => {
        this.writes++;
        const v = typeof hash === 'string' ? hash : hash.value;
        if (this.hashes.get(id) === v) return 'unchanged';
        const had = this.hashes.has(id);
        this.hashes.set(id, v);
        return had ? 'updated' : 'inserted';
      },
      lookupUserIdByName: async () => null,
      close: async () => {
        this.closed++;
      },
    };
  };
}

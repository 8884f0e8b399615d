/**
 * What the real-cloud kind tests share: the testbed's two Zed clouds (shared/testbed/README.md:
 * admin/admin, project admin, domain Default; Keystone DBs on the shared MariaDB), opened once
 * per file, or a skip reason when they do not answer. Every object a test makes is named
 * `phk-<random>-...` and deleted at the end.
 */
import { randomBytes } from 'node:crypto';
import { openCloud, type Cloud, type CloudCredentials } from '../../src/openstack/index.js';

const SOURCE_URL = process.env['PUMPHOUSE_TESTBED_SOURCE_URL'] ?? 'http://127.0.0.1:5000/v3';
const DESTINATION_URL = process.env['PUMPHOUSE_TESTBED_DESTINATION_URL'] ?? 'http://127.0.0.1:15000/v3';
export const SOURCE_DB = process.env['PUMPHOUSE_TESTBED_SOURCE_DB'] ?? 'mysql+pymysql://source:testbed@127.0.0.1:3306/keystone_source';
export const DESTINATION_DB =
  process.env['PUMPHOUSE_TESTBED_DESTINATION_DB'] ?? 'mysql+pymysql://destination:testbed@127.0.0.1:3306/keystone_destination';

export function credentials(authUrl: string): CloudCredentials {
  return { authUrl, username: 'admin', password: 'admin', projectName: 'admin', userDomainName: 'Default', projectDomainName: 'Default' };
}

export interface Testbed {
  readonly source: Cloud;
  readonly destination: Cloud;
  close(): Promise<void>;
}

/**
 * Why the testbed cannot be used, or null when both Keystones answer. Only `npm run test:real`
 * (which sets PUMPHOUSE_REAL_CLOUDS) runs these files against it: `npm test` skips them even
 * when the testbed is up, so one CI run does not run them twice.
 */
export async function testbedSkipReason(): Promise<string | null> {
  if (!process.env['PUMPHOUSE_REAL_CLOUDS']) return 'PUMPHOUSE_REAL_CLOUDS is not set (npm run test:real sets it)';
  for (const url of [SOURCE_URL, DESTINATION_URL]) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      if (!res.ok) return `testbed Keystone ${url} answered HTTP ${res.status}`;
    } catch (err) {
      return `testbed Keystone ${url} is unreachable (${(err as Error).message}); start it with shared/testbed/up.sh`;
    }
  }
  return null;
}

export async function openTestbed(): Promise<Testbed> {
  const source = await openCloud(credentials(SOURCE_URL), { name: 'source' });
  const destination = await openCloud(credentials(DESTINATION_URL), { name: 'destination' }).catch(async (err: unknown) => {
    await source.close();
    throw err;
  });
  return {
    source,
    destination,
    async close() {
      await Promise.all([source.close(), destination.close()]);
    },
  };
}

/** `phk-<8 hex>`: the prefix of everything one test file makes. */
export function testPrefix(): string {
  return `phk-${randomBytes(4).toString('hex')}`;
}

/** Runs every cleanup even when some fail; reports the failures together. */
export class Cleanup {
  private readonly tasks: { what: string; run: () => Promise<unknown> }[] = [];
  add(what: string, run: () => Promise<unknown>): void {
    this.tasks.push({ what, run });
  }
  async run(): Promise<void> {
    const failed: string[] = [];
    // Newest first: dependents go before what they depend on.
    for (const t of this.tasks.splice(0).reverse()) {
      try {
        await t.run();
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status !== 404) failed.push(`${t.what}: ${(err as Error).message}`);
      }
    }
    if (failed.length > 0) throw new Error(`cleanup left things behind:\n${failed.join('\n')}`);
  }
}

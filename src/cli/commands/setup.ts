import type { Writable } from 'node:stream';
import { setup } from '../../app/index.js';
import { PumphouseError } from '../../errors/index.js';
import type { CommandContext } from '../context.js';

/**
 * `pumphouse [CONFIG] setup [-c CONFIG] [--state FILE] [--num-tenants N] [--num-servers N]
 * [--num-volumes N]`: seeds the source with test tenants (see app/seed/setup). Prints what it
 * made and where the test users' passwords are (a 0600 file next to the state), never the
 * passwords. Exit 0 when everything is there, 1 on any error (what was made stays, marked:
 * run setup again to finish, or cleanup source to remove it).
 */
export async function run(_args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const counts = {
    ...count(options.numTenants, '--num-tenants', 'tenants'),
    ...count(options.numServers, '--num-servers', 'servers'),
    ...count(options.numVolumes, '--num-volumes', 'volumes'),
  };
  const result = await setup({
    configPath: String(options.config ?? 'pumphouse.yaml'),
    statePath: String(options.state ?? 'pumphouse.state.json'),
    counts,
    reporter: ctx.reporter,
    signal: ctx.signal,
  });
  if (ctx.json) return;
  const lines = result.tenants.map((t) => `  ${t.name}  project ${t.projectId}  ${t.servers.length} server(s)`);
  if (result.passwordsFile) lines.push(`Test users' passwords: ${result.passwordsFile} (readable by you only)`);
  await write(ctx.stdout, `Seeded ${result.tenants.length} test tenant(s) in the source:\n${lines.join('\n')}\n`);
}

function count(value: unknown, flag: string, key: 'tenants' | 'servers' | 'volumes'): Partial<Record<typeof key, number>> {
  if (value === undefined) return {};
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new PumphouseError('PH_USAGE', `${flag} must be a whole number (0 or more), not '${String(value)}'`);
  return { [key]: n };
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())));
}

import type { CommandContext } from '../context.js';
import { PumphouseError } from '../../errors/index.js';
import { findObject, StateStore } from '../../state/index.js';

/**
 * `pumphouse state show ADDRESS [--state FILE]`: every field of one object, and the
 * temporary objects its actions left behind. The state never holds secrets.
 */
export async function run(args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const address = args[0] ?? '';
  const store = StateStore.open(String(options.state), { reporter: ctx.reporter });
  const { state } = await store.load();
  const object = findObject(state, address);
  if (!object) {
    throw new PumphouseError('PH_NOT_FOUND', `no object at ${address} (see \`pumphouse state list\`)`, { address, location: { file: store.path } });
  }
  const temporaries = state.temporaries.filter((t) => t.address === address);
  if (ctx.json) {
    ctx.stdout.write(`${JSON.stringify({ ...object, temporaries })}\n`);
    return;
  }
  const lines = [`# ${object.address}`];
  const width = Math.max(...Object.keys(object).map((k) => k.length));
  for (const [key, value] of Object.entries(object)) {
    if (key === 'address') continue;
    lines.push(`${key.padEnd(width)} = ${show(value)}`);
  }
  for (const t of temporaries) {
    const where = [t.cloud, t.project_id ? `project ${t.project_id}` : ''].filter(Boolean).join(', ');
    lines.push(`temporary ${t.kind} ${t.resource_id ?? ''} (${where}) since ${t.created_at}, id ${t.id}${Object.keys(t.details).length ? ` ${JSON.stringify(t.details)}` : ''}`);
  }
  ctx.stdout.write(`${lines.join('\n')}\n`);
}

function show(value: unknown): string {
  if (value === null) return '-';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.length ? value.join(', ') : '-';
  if (typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  return JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
}

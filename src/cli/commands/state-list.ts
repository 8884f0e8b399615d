import type { CommandContext } from '../context.js';
import { StateStore } from '../../state/index.js';

/**
 * `pumphouse state list [--state FILE]`: one line per object (address, kind, status,
 * destination id), with the journal of an interrupted run folded in. Read-only, no lock.
 */
export async function run(_args: readonly string[], options: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const store = StateStore.open(String(options.state), { reporter: ctx.reporter });
  const { state } = await store.load();
  if (ctx.json) {
    const objects = state.objects.map((o) => ({ address: o.address, kind: o.kind, status: o.status, destination_id: o.destination_id }));
    ctx.stdout.write(`${JSON.stringify({ path: store.path, lineage: state.lineage, serial: state.serial, objects, temporaries: state.temporaries.length })}\n`);
    return;
  }
  if (state.objects.length === 0) {
    ctx.stdout.write(`No objects in ${store.path}.\n`);
  } else {
    const rows = [['ADDRESS', 'KIND', 'STATUS', 'DESTINATION ID'], ...state.objects.map((o) => [o.address, o.kind, status(o.status, o.pending?.step), o.destination_id ?? '-'])];
    ctx.stdout.write(table(rows));
  }
  if (state.temporaries.length > 0) {
    ctx.stdout.write(`\n${state.temporaries.length} temporary object(s) from interrupted actions still exist (see \`pumphouse state show ADDRESS\`).\n`);
  }
}

function status(s: string, pendingStep: string | undefined): string {
  return pendingStep ? `${s} (${pendingStep})` : s;
}

/** Left-aligned columns separated by two spaces. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}

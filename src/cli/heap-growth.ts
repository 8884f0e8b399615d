import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the heap grow past what its last full collection kept, in percent, for
 * every pumphouse command.
 *
 * V8's default lets a heap that allocates fast grow to ~3.5x its live size before the next
 * full collection. Pumphouse's big jobs hold a large live set and make garbage fast: at 10,000
 * tenants discovery keeps ~280 MiB of inventories, and `pumphouse plan` peaked at 1.2 GB for
 * ~600 MiB live. Each full collection marks that whole live set again (on V8's helper threads
 * too), so too low a bound costs CPU; too high a one, memory. A 10,000-tenant plan
 * (bench/plan-scale.ts, session 6, peak RSS by the kernel's high-water mark): at 30% 39.5 s of
 * CPU (mean of 4 runs), peak 949-962 MiB; at 50% 36.4 s (9 runs), peak 933-976 MiB, ~1 s less
 * wall; at 60% 36.2 s but peaks up to 1,028 MiB (3 of 10 runs near or past 1 GB); at 100%
 * 1,028-1,223 MiB (docs/architecture/planner.md).
 */
export const HEAP_GROWING_PERCENT = 50;

const FLAG = '--heap-growing-percent';

/**
 * Sets V8's heap growing factor for this process (see HEAP_GROWING_PERCENT), unless node was
 * started with its own `--heap-growing-percent`. V8 reads the flag at every full collection,
 * so setting it once the process runs takes effect from the next one.
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((a) => a === FLAG || a.startsWith(`${FLAG}=`) || a.startsWith('--heap_growing_percent'))) return;
  setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
}

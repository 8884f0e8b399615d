import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The kernel's high-water mark of this process's RSS (Linux `VmHWM`). The benches' 100 ms RSS
 * samplers are timers of the measured process, and cannot fire while the synchronous planner
 * runs (~10 s at 10,000 tenants): they may miss the peak, the kernel does not.
 */

/** Resets the high-water mark to the current RSS (writing 5 to clear_refs; Linux 4.0+). */
export function resetKernelPeak(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: the sampled figures stand alone.
  }
}

/** The high-water mark in MiB since the last reset, or undefined where the kernel does not tell. */
export function kernelPeakMib(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

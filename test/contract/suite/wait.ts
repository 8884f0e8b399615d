import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  readonly timeoutMs: number;
  /** What is awaited, for the timeout message: `server phc-x-vm to ACTIVE`. */
  readonly what: string;
  /** First pause between probes; doubles up to 2 s. Default 250 ms. */
  readonly intervalMs?: number;
}

/**
 * Probes until `done(value)` holds and answers that value. Throws when the time is up,
 * naming the last value seen (`describe`), or at once when `fail(value)` says the object
 * reached a dead end (a server in ERROR will never be ACTIVE).
 */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  opts: WaitOptions & { readonly fail?: (value: T) => boolean; readonly describe?: (value: T) => string },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let pause = opts.intervalMs ?? 250;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    const seen = opts.describe ? opts.describe(value) : JSON.stringify(value);
    if (opts.fail?.(value)) throw new Error(`${opts.what}: reached ${seen}, which it cannot leave`);
    if (Date.now() + pause > deadline) throw new Error(`${opts.what}: still ${seen} after ${opts.timeoutMs} ms`);
    await delay(pause);
    pause = Math.min(pause * 2, 2_000);
  }
}

/** Probes until `probe` throws a 404 (the object is gone). */
export async function waitGone(probe: () => Promise<unknown>, isGone: (err: unknown) => boolean, opts: WaitOptions): Promise<void> {
  await waitFor(
    async () => {
      try {
        await probe();
        return false;
      } catch (err) {
        if (isGone(err)) return true;
        throw err;
      }
    },
    (gone) => gone,
    { ...opts, describe: () => 'present' },
  );
}

// Profiles one step of a bench with node:inspector when PH_BENCH_PROFILE names a directory:
// the .cpuprofile of each named step is written there (read it with any cpuprofile viewer).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const dir = process.env.PH_BENCH_PROFILE;
let session: Session | undefined;

/** Runs `f`, profiled into `<PH_BENCH_PROFILE>/<name>.cpuprofile` when that variable is set. */
export async function profiled<T>(name: string, f: () => Promise<T>): Promise<T> {
  if (!dir) return f();
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
  }
  await session.post('Profiler.start');
  try {
    return await f();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}

// Child process of the crash torture: loads everything, says `ready`, waits for `go` on stdin,
// then runs the app's apply() (the real kinds, quick polls for the simulator) on the plan with
// the config and state given in argv, events as JSON lines on stdout. The test SIGKILLs it at
// a random moment, or lets it finish: the last line is then `child_result`.
import { apply } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';
import { JsonLinesReporter } from '../../src/events/index.js';
import { readPlan } from '../../src/plan/index.js';
import { torturedKinds } from './kinds.js';

const [planPath, configPath, statePath, passwordsPath, ownerPasswordsPath, parallelism] = process.argv.slice(2) as [string, string, string, string, string, string];
const config = await loadConfig(configPath);
const kinds = torturedKinds(config, passwordsPath, ownerPasswordsPath);
// Read the plan once before `go`: compiling its schema is most of apply's start-up, and the
// kills are meant for the apply's work, not for module loading.
await readPlan(planPath);
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const result = await apply({
  planPath,
  configPath,
  statePath,
  kinds,
  parallelism: Number(parallelism),
  resetPasswordsPath: passwordsPath,
  reporter: new JsonLinesReporter(process.stdout),
});
process.stdout.write(`${JSON.stringify({ type: 'child_result', result: result.result, counts: result.counts, failures: result.failures })}\n`);
await kinds.close();
process.exit(0);

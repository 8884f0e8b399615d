// Child process for the owner-keypair crash test: applies the plan with the built-in kinds
// (config from argv); the test SIGKILLs it while the key owner holds the temporary password.
import { apply } from '../../../src/app/index.js';
import { JsonLinesReporter } from '../../../src/events/index.js';

const [planPath, configPath, statePath] = process.argv.slice(2) as [string, string, string];
// A short lease: the resumed apply takes the dead child's lock over once it expires.
await apply({ planPath, configPath, statePath, leaseMs: 1500, reporter: new JsonLinesReporter(process.stdout) });
process.exit(0);

// Child process for the host kinds' crash test: applies a plan with the host kinds against
// the simulator started by the test (URLs and credentials in argv), events as JSON lines on
// stdout. The test SIGKILLs it during the Fuel deployment wait, then resumes in-process.
import { applyPlan } from '../../src/apply/index.js';
import { JsonLinesReporter } from '../../src/events/index.js';
import { hostKinds } from '../../src/kinds/host/index.js';
import { kindRegistry } from '../../src/kinds/registry.js';
import { openAccess, type WorldUrls } from './host-sim-world.js';

const [planPath, statePath, urlsJson] = process.argv.slice(2) as [string, string, string];
const access = openAccess(JSON.parse(urlsJson) as WorldUrls);
const result = await applyPlan({
  planPath,
  statePath,
  registry: kindRegistry({ handlers: hostKinds({ pollIntervalMs: 10, maxPollIntervalMs: 50 }) }),
  clouds: access,
  reporter: new JsonLinesReporter(process.stdout),
});
process.stdout.write(`${JSON.stringify({ type: 'child_result', result: result.result, failures: result.failures })}\n`);
await access.close();
process.exit(0);

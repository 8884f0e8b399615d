// Deletes what killed real-cloud runs left on the testbed's two clouds (test-prefixed objects
// and what test projects own: test/real/sweep.ts), before `npm run test:real` runs its suites.
// Prints one line per object removed and one per object that could not be; exit 0 either way
// (a leftover it cannot remove is for the suites to trip over, with its name in this log), 1
// when a cloud cannot be opened.
//
//   node --import tsx scripts/sweep-testbed.ts
import { openTestbed, testbedSkipReason } from '../test/real/kinds-support.js';
import { sweepTestObjects } from '../test/real/sweep.js';

const down = await testbedSkipReason();
if (down) {
  process.stderr.write(`sweep: ${down}\n`);
  process.exit(1);
}
const t0 = Date.now();
const tb = await openTestbed();
let removed = 0;
const failed: string[] = [];
try {
  for (const cloud of [tb.destination, tb.source]) {
    const report = await sweepTestObjects(cloud, { onRemoved: (line) => process.stdout.write(`sweep: removed ${line}\n`) });
    removed += report.removed.length;
    failed.push(...report.failed);
  }
} finally {
  await tb.close();
}
for (const f of failed) process.stdout.write(`sweep: COULD NOT REMOVE ${f}\n`);
process.stdout.write(`sweep: ${removed} leftover objects removed, ${failed.length} not, in ${Math.round((Date.now() - t0) / 100) / 10} s\n`);

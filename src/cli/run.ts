import { main } from './main.js';

/**
 * Development entry: `node --import tsx src/cli/run.ts <command> ...` runs the CLI from the
 * sources without a build (tests drive the real CLI through it). bin/pumphouse.js is the
 * published entry and runs dist/.
 */
const argv = process.argv.slice(2).map((a) => (a === '-out' ? '--out' : a));
process.exitCode = await main(argv);

/**
 * `npm run test:contract -- --config FILE`: the contract suite once per cloud of FILE (a
 * clouds.yaml or a pumphouse config; scripts/run-tests.mjs passes its path in
 * PUMPHOUSE_CONTRACT_CONFIG). Skipped without it.
 */
import { describe, it } from 'node:test';
import { defineContractSuite } from './suite/index.js';
import { targetsFromFile } from './targets/from-file.js';

const file = process.env['PUMPHOUSE_CONTRACT_CONFIG'];
if (!file) {
  it('contract suite against the clouds of --config FILE', { skip: 'no --config FILE given (npm run test:contract -- --config clouds.yaml)' }, () => {});
} else {
  // PUMPHOUSE_CONTRACT_POLL_MS: first pause between probes (recordSuite sets it for a simulator).
  const pollMs = Number(process.env['PUMPHOUSE_CONTRACT_POLL_MS'] ?? '');
  const targets = (await targetsFromFile(file)).map((t) => (pollMs > 0 ? { ...t, timeouts: { ...t.timeouts, pollMs } } : t));
  // Clouds are independent: run their suites side by side (each suite is sequential inside).
  describe(`contract suite: ${file}`, { concurrency: targets.length }, () => {
    for (const target of targets) defineContractSuite(target);
  });
}

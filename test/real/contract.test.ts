/**
 * The contract suite against the testbed's two real OpenStack Zed clouds. `npm run test:real`
 * brings the testbed up and sets PUMPHOUSE_REAL_CLOUDS to its clouds.yaml; skipped without it.
 */
import { describe, it } from 'node:test';
import { defineContractSuite } from '../contract/suite/index.js';
import { testbedTargets } from '../contract/targets/testbed.js';

const cloudsYaml = process.env['PUMPHOUSE_REAL_CLOUDS'];
if (!cloudsYaml) {
  it('contract suite against the real testbed', { skip: 'PUMPHOUSE_REAL_CLOUDS is not set (npm run test:real sets it)' }, () => {});
} else {
  const targets = await testbedTargets(cloudsYaml);
  describe('contract suite: real testbed (Zed)', { concurrency: targets.length }, () => {
    for (const target of targets) defineContractSuite(target);
  });
}

/**
 * The contract suite: one set of tests that runs the project's OpenStack clients against a
 * target cloud (the real testbed, a clouds.yaml entry, or a simulator profile).
 */
export { defineContractSuite, AREAS, CONTRACT_PREFIX, type AreaName, type SuiteOptions } from './define-suite.js';
export { ZED_CAPABILITIES, DEFAULT_TIMEOUTS, type ContractTarget, type ExpectedCapabilities, type CleanupPolicy, type TargetFixtures, type TargetTimeouts } from './target.js';
export { takeCensus, censusDiff, type Census } from './census.js';

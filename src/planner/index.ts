export { plan } from './plan.js';
export type { PlanInput, PlanOptions } from './input.js';
export type { PlannerDesired, DesiredTenant, DesiredHost, DesiredOptions } from './desired.js';
export { addressMatches } from './select.js';
export { releaseNumber, acceptsSha512Crypt } from './releases.js';

export { plan } from './plan.js';
export type { PlanInput, PlanOptions } from './input.js';
export type { ManifestEntries } from './desired.js';
export { addressMatches } from './select.js';
export { releaseNumber, acceptsSha512Crypt } from './releases.js';

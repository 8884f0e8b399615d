/** The library facade: one function per verb, each taking a reporter and an AbortSignal. */
export { apply, type ApplyOptions } from './apply.js';
export { plan, type PlanRequest, type PlanResult, type InMemoryDesired, type PlanSelector, type WholePlan } from './plan.js';
export { openClouds, startClouds, type OpenClouds, type OpenCloudsOptions, type StartedClouds } from './open-clouds.js';
export { loadInputs, configFacts, type Inputs } from './load-inputs.js';
export { readPriorState, type PriorState } from './prior-state.js';
export { planEndpoints } from './plan-header.js';
export * from './seed/index.js';

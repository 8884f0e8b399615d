/** The library facade: one function per verb, each taking a reporter and an AbortSignal. */
export { apply, type ApplyOptions } from './apply.js';

export { ERROR_CODES, type ErrorCode, type ErrorSource } from './codes.js';
export {
  PumphouseError,
  formatLocation,
  toPumphouseError,
  type PumphouseErrorOptions,
  type Problem,
  type SourceLocation,
} from './pumphouse-error.js';
export { redact, redactUrl, isSecretKey } from './redact.js';

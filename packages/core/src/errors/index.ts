export { DimeError, ERROR_CODES, exitCodeFor, isDimeError, badInput, usageError } from './dime-error.js';
export type { ErrorCode } from './dime-error.js';

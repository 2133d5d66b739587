/** Fixed messages other packages and tests compare against (profile §3). */
export const NO_RECORD_MESSAGE = 'no DIME record';
export const AMBIGUOUS_RECORD_MESSAGE = 'ambiguous DIME record';

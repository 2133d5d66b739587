/**
 * The one error type of the project. `code` is the contract value printed as `error.code` by every
 * CLI (profile §6); `exitCode` follows from it so no CLI needs its own mapping table.
 */
export const ERROR_CODES = [
  'USAGE',
  'BAD_INPUT',
  'EXISTS',
  'SIGNATURE_INVALID',
  'INCOMPLETE',
  'FINGERPRINT_MISMATCH',
  'NO_RECORD',
  'RECORD_INVALID',
  'DNSSEC_BOGUS',
  'DNSSEC_INSECURE',
  'CERT_UNTRUSTED',
  'NOT_FOUND',
  'OUTDATED',
  'CUSTODY',
  'NETWORK',
  'PROTOCOL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Exit status per profile §6: 2 usage/refusal, 3 bad input file, 4 network/peer, 1 any failed check. */
export function exitCodeFor(code: ErrorCode): 1 | 2 | 3 | 4 {
  switch (code) {
    case 'USAGE':
    case 'EXISTS':
      return 2;
    case 'BAD_INPUT':
      return 3;
    case 'NETWORK':
    case 'PROTOCOL':
      return 4;
    default:
      return 1;
  }
}

export class DimeError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable facts (the field id, the offending length, …). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> }
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DimeError';
    this.code = code;
    this.details = options?.details;
  }

  get exitCode(): 1 | 2 | 3 | 4 {
    return exitCodeFor(this.code);
  }
}

export function isDimeError(value: unknown): value is DimeError {
  return value instanceof DimeError;
}

/** Shorthands for the two codes every parser throws. */
export function badInput(message: string, details?: Record<string, unknown>): DimeError {
  return new DimeError('BAD_INPUT', message, details ? { details } : undefined);
}

export function usageError(message: string): DimeError {
  return new DimeError('USAGE', message);
}

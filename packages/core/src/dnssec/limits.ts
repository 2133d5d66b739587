/**
 * Work limits against KeyTrap-style inputs (CVE-2023-50387: many colliding keys × many signatures)
 * and NSEC3 hash work (CVE-2023-50868, RFC 9276). Each is hit by a test in test/dnssec/limits.test.ts.
 */

/** DNSKEYs with the RRSIG's (signer, algorithm, key tag) tried for one RRSIG before giving up. */
export const MAX_KEYS_PER_RRSIG = 4;
/** RRSIGs tried for one RRset before giving up. */
export const MAX_RRSIGS_PER_RRSET = 8;
/** Signature verifications in one lookup, all zones and proofs together. */
export const MAX_VALIDATIONS_PER_LOOKUP = 64;
/** NSEC3 iterations above this make a proof insecure (RFC 9276 §3.2; BIND and Unbound use 150). */
export const MAX_NSEC3_ITERATIONS = 150;
/** NSEC3 hash computations in one lookup. */
export const MAX_NSEC3_HASHES_PER_LOOKUP = 512;
/** CNAME links followed in one lookup. */
export const MAX_CNAME_CHAIN = 8;
/** Queries sent to the resolver in one lookup. */
export const MAX_QUERIES_PER_LOOKUP = 96;
/** Zone cuts (secure delegations) walked below the trust anchor in one lookup; labels are bounded by the query budget. */
export const MAX_ZONE_DEPTH = 32;

export interface ValidationLimits {
  keysPerRrsig: number;
  rrsigsPerRrset: number;
  validationsPerLookup: number;
  nsec3Iterations: number;
  nsec3HashesPerLookup: number;
  cnameChain: number;
  queriesPerLookup: number;
  zoneDepth: number;
}

export const DEFAULT_LIMITS: Readonly<ValidationLimits> = Object.freeze({
  keysPerRrsig: MAX_KEYS_PER_RRSIG,
  rrsigsPerRrset: MAX_RRSIGS_PER_RRSET,
  validationsPerLookup: MAX_VALIDATIONS_PER_LOOKUP,
  nsec3Iterations: MAX_NSEC3_ITERATIONS,
  nsec3HashesPerLookup: MAX_NSEC3_HASHES_PER_LOOKUP,
  cnameChain: MAX_CNAME_CHAIN,
  queriesPerLookup: MAX_QUERIES_PER_LOOKUP,
  zoneDepth: MAX_ZONE_DEPTH,
});

/** Thrown inside a lookup when a limit is reached; the validator turns it into `bogus`. */
export class WorkLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkLimitError';
  }
}

/** Counts the expensive operations of one lookup. */
export class WorkBudget {
  validations = 0;
  nsec3Hashes = 0;
  queries = 0;
  constructor(readonly limits: ValidationLimits = { ...DEFAULT_LIMITS }) {}

  spendValidation(): void {
    if (++this.validations > this.limits.validationsPerLookup) {
      throw new WorkLimitError(`work limit: more than ${this.limits.validationsPerLookup} signature validations in one lookup`);
    }
  }

  spendNsec3Hash(): void {
    if (++this.nsec3Hashes > this.limits.nsec3HashesPerLookup) {
      throw new WorkLimitError(`work limit: more than ${this.limits.nsec3HashesPerLookup} NSEC3 hashes in one lookup`);
    }
  }

  spendQuery(): void {
    if (++this.queries > this.limits.queriesPerLookup) {
      throw new WorkLimitError(`work limit: more than ${this.limits.queriesPerLookup} queries in one lookup`);
    }
  }
}

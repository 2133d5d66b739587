/**
 * The one call both commands make: validate `name`/`type` through @dime/core and shape the result
 * the way the contract prints it (profile §6 `dime lookup`): presentation lines for records, the
 * chain as `{zone, status, reason}`, and a network failure turned into `indeterminate` (exit 4).
 */
import { DimeError, isDimeError, type ErrorCode } from '@dime/core/errors';
import { formatRecord, type ResourceRecord } from '@dime/core/dns';
import { validateLookup } from '@dime/core/dnssec';
import type { DnsSetup } from './context.js';

export type Status = 'secure' | 'insecure' | 'bogus' | 'indeterminate';

export interface ChainLink {
  zone: string;
  status: Status;
  reason: string;
}

export interface LookupOutcome {
  name: string;
  type: string;
  status: Status;
  /** `NOERROR`, `NXDOMAIN`, …; the validator says `SERVFAIL` when no usable answer arrived. */
  rcode: string;
  reason: string;
  /** The validated RRset(s) as received. */
  rrs: ResourceRecord[];
  records: string[];
  chain: ChainLink[];
}

export async function lookup(setup: DnsSetup, name: string, type: string, now?: Date): Promise<LookupOutcome> {
  try {
    const result = await validateLookup(name, type, { transport: setup.transport, anchors: setup.anchors, ...(now ? { now: () => now } : {}) });
    const rrs = [...result.records];
    return {
      name: result.name,
      type: result.type,
      status: result.status,
      rcode: result.rcode,
      reason: result.reason,
      rrs,
      records: rrs.map((rr) => formatRecord(rr)),
      chain: result.chain.map((link) => ({ zone: link.zone, status: link.status, reason: link.reason })),
    };
  } catch (error) {
    // The validator reports network trouble as `indeterminate`; this is the belt to its braces.
    if (isDimeError(error) && (error.code === 'NETWORK' || error.code === 'PROTOCOL')) {
      return { name, type, status: 'indeterminate', rcode: 'SERVFAIL', reason: error.message, rrs: [], records: [], chain: [] };
    }
    throw error;
  }
}

/** Exit status and error code of a DNSSEC status (profile §6: bogus 1, indeterminate 4). */
export function statusFailure(status: Status): { exit: number; code: ErrorCode } | undefined {
  if (status === 'bogus') return { exit: 1, code: 'DNSSEC_BOGUS' };
  if (status === 'indeterminate') return { exit: 4, code: 'NETWORK' };
  return undefined;
}

export function statusError(outcome: Pick<LookupOutcome, 'status' | 'reason'>): DimeError | undefined {
  const failure = statusFailure(outcome.status);
  return failure ? new DimeError(failure.code, `${outcome.status}: ${outcome.reason}`) : undefined;
}

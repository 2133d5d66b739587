/**
 * The flow's one door to DNS: every question (the `_dx` TXT, MX, A/AAAA of DX hosts) goes through
 * the DNSSEC validator over the same transport, so the record and the DX addresses come from the
 * same resolver (profile §4; libdime asked the system resolver for addresses, bypassing DNSSEC).
 */
import { DimeError, isDimeError } from '../errors/dime-error.js';
import { validateLookup } from '../dnssec/index.js';
import { ROOT_TRUST_ANCHORS, type TrustAnchor } from '../dnssec/anchors.js';
import type { DnsTransport } from '../dns/index.js';
import type { DnsAnswer, DnsLookup } from './types.js';

export interface ValidatedLookupOptions {
  transport: DnsTransport;
  /** Default: the built-in root anchors. */
  anchors?: readonly TrustAnchor[];
  now?: Date;
}

/** A {@link DnsLookup} that validates every answer with `validateLookup`. */
export function validatedDnsLookup(options: ValidatedLookupOptions): DnsLookup {
  const anchors = [...(options.anchors ?? ROOT_TRUST_ANCHORS)];
  return async (name, type) => {
    try {
      const result = await validateLookup(name, type, {
        transport: options.transport,
        anchors,
        ...(options.now ? { now: () => options.now! } : {}),
      });
      return {
        status: result.status,
        reason: result.reason,
        rcode: result.status === 'indeterminate' ? null : result.rcode,
        records: [...result.records],
      } satisfies DnsAnswer;
    } catch (error) {
      // Network trouble is an answer that never came: `indeterminate` (profile §4), not a crash.
      if (isDimeError(error) && (error.code === 'NETWORK' || error.code === 'PROTOCOL')) {
        return { status: 'indeterminate', reason: error.message, rcode: null, records: [] };
      }
      throw error;
    }
  };
}

/** The lookup the options describe: theirs, or the validator over their transport. */
export function lookupFromOptions(options: { lookup?: DnsLookup; transport?: DnsTransport; anchors?: readonly TrustAnchor[]; now?: Date }): DnsLookup {
  if (options.lookup) return options.lookup;
  if (!options.transport) throw new DimeError('USAGE', 'resolving a signet needs a DNS transport or a lookup function');
  return validatedDnsLookup({
    transport: options.transport,
    ...(options.anchors ? { anchors: options.anchors } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}

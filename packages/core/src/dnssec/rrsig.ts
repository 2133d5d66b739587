/**
 * RRSIG checks (RFC 4035 §5.3): an RRSIG must match its RRset (owner, class, type covered), be made
 * by the zone (signer equal to or above the owner), have a sane labels field, be inside its validity
 * window (RFC 1982 serial arithmetic) and verify under a DNSKEY of the signer with the RRSIG's
 * algorithm and key tag. Every key with a matching tag is tried, up to `keysPerRrsig`.
 */
import { decodeDnskey, decodeRrsig } from '../dns/rdata.js';
import { isSubdomain, namesEqual } from '../dns/name.js';
import type { DnskeyFields, ResourceRecord, RrsigFields } from '../dns/record.js';
import { isSupportedAlgorithm, verifySignature } from './algorithms.js';
import { ownerLabelCount, signedData } from './canonical.js';
import { keyTag } from './key-tag.js';
import { WorkBudget, WorkLimitError } from './limits.js';
import { formatInstant, serialLessOrEqual, serialToDate, toSerialTime } from './serial-time.js';

export const DNSKEY_FLAG_ZONE = 0x0100;
export const DNSKEY_FLAG_REVOKE = 0x0080;
export const DNSKEY_FLAG_SEP = 0x0001;

/** A name for messages: no trailing dot, except the root. */
export function displayName(name: string): string {
  return name === '.' ? '.' : name.replace(/\.$/, '');
}

export interface RrsigVerdict {
  /** valid: verified; unsupported: algorithm we cannot check; invalid: anything else. */
  status: 'valid' | 'invalid' | 'unsupported';
  reason: string;
  rrsig?: RrsigFields;
  /** The DNSKEY RR that verified it. */
  key?: ResourceRecord;
}

export interface VerifyOptions {
  now: Date;
  budget: WorkBudget;
}


// The same few DNSKEY RRs are matched against every RRSIG of a zone: decode each RDATA and compute
// its key tag once (keyed by identity; RDATA is never mutated in place). The stable publicKey bytes
// also let the algorithm layer find its imported key without re-encoding it.
const DNSKEY_INFO = new WeakMap<Uint8Array, { fields: DnskeyFields; tag: number }>();

function dnskeyInfo(rdata: Uint8Array): { fields: DnskeyFields; tag: number } {
  let info = DNSKEY_INFO.get(rdata);
  if (!info) {
    info = { fields: decodeDnskey(rdata), tag: keyTag(rdata) };
    DNSKEY_INFO.set(rdata, info);
  }
  return info;
}

// verifyRrset decodes each RRSIG to pick the covering ones and verifyRrsig needs the same fields:
// decode once per RDATA (a malformed one is not cached and throws again).
const RRSIG_FIELDS = new WeakMap<Uint8Array, RrsigFields>();

function rrsigFields(rdata: Uint8Array): RrsigFields {
  let f = RRSIG_FIELDS.get(rdata);
  if (!f) {
    f = decodeRrsig(rdata);
    RRSIG_FIELDS.set(rdata, f);
  }
  return f;
}

/** Checks one RRSIG over `rrset` against candidate DNSKEY RRs (any owner; filtered here). */
export function verifyRrsig(rrset: ReadonlyArray<ResourceRecord>, rrsig: ResourceRecord, dnskeys: ReadonlyArray<ResourceRecord>, options: VerifyOptions): RrsigVerdict {
  const first = rrset[0]!;
  let f: RrsigFields;
  try {
    f = rrsigFields(rrsig.rdata);
  } catch (e) {
    return { status: 'invalid', reason: `malformed RRSIG at ${displayName(rrsig.name)}: ${(e as Error).message}` };
  }
  const label = `RRSIG ${f.typeCovered} ${displayName(first.name)} by ${displayName(f.signerName)}/${f.keyTag}`;
  const bad = (reason: string): RrsigVerdict => ({ status: 'invalid', reason: `${label} ${reason}`, rrsig: f });
  if (!namesEqual(rrsig.name, first.name)) return bad(`has owner ${displayName(rrsig.name)}`);
  if (rrsig.class !== first.class) return bad(`has class ${rrsig.class}`);
  if (f.typeCovered !== first.type) return bad(`covers ${f.typeCovered}, not ${first.type}`);
  if (!isSubdomain(first.name, f.signerName)) return bad(`is signed by ${displayName(f.signerName)}, which is not the owner's zone`);
  if (f.labels > ownerLabelCount(first.name)) return bad(`has labels ${f.labels}, more than the owner's ${ownerLabelCount(first.name)}`);
  const now = toSerialTime(options.now);
  if (!serialLessOrEqual(f.inception, now)) return bad(`not valid before ${formatInstant(serialToDate(f.inception, options.now))}`);
  if (!serialLessOrEqual(now, f.expiration)) return bad(`expired ${formatInstant(serialToDate(f.expiration, options.now))}`);
  if (!isSupportedAlgorithm(f.algorithm)) return { status: 'unsupported', reason: `${label} uses unsupported algorithm ${f.algorithm}`, rrsig: f };
  const candidates = dnskeys.filter((k) => {
    if (k.type !== 'DNSKEY' || !namesEqual(k.name, f.signerName) || k.rdata.length < 4) return false;
    const { fields: d, tag } = dnskeyInfo(k.rdata);
    return d.algorithm === f.algorithm && d.protocol === 3 && (d.flags & DNSKEY_FLAG_ZONE) !== 0 && (d.flags & DNSKEY_FLAG_REVOKE) === 0 && tag === f.keyTag;
  });
  if (candidates.length === 0) return bad('has no matching DNSKEY');
  const limit = options.budget.limits.keysPerRrsig;
  if (candidates.length > limit) {
    throw new WorkLimitError(`work limit: ${candidates.length} DNSKEYs of ${displayName(f.signerName)} share key tag ${f.keyTag} (max ${limit} tried)`);
  }
  const data = signedData(f, rrset);
  for (const key of candidates) {
    options.budget.spendValidation();
    if (verifySignature(f.algorithm, dnskeyInfo(key.rdata).fields.publicKey, data, f.signature)) {
      return { status: 'valid', reason: `${label} verified`, rrsig: f, key };
    }
  }
  return bad('does not verify');
}

export interface RrsetVerdict {
  /** secure: one RRSIG verified; unsupported: only unsupported algorithms; bogus: otherwise. */
  status: 'secure' | 'bogus' | 'unsupported';
  reason: string;
  /** The verdict that decided. */
  verdict?: RrsigVerdict;
  /** min(RR TTL, original TTL, seconds to expiration) per RFC 4035 §5.3.3, when secure. */
  ttl?: number;
}

/**
 * An RRset is secure when any of its RRSIGs made by `signer` verifies (RFC 6840 §5.11: any supported
 * algorithm suffices). Tries at most `rrsigsPerRrset` RRSIGs.
 */
export function verifyRrset(rrset: ReadonlyArray<ResourceRecord>, rrsigs: ReadonlyArray<ResourceRecord>, dnskeys: ReadonlyArray<ResourceRecord>, options: VerifyOptions & { signer?: string }): RrsetVerdict {
  const first = rrset[0];
  if (!first) return { status: 'bogus', reason: 'empty RRset' };
  const covering = rrsigs.filter((s) => {
    if (s.type !== 'RRSIG' || !namesEqual(s.name, first.name)) return false;
    try {
      const f = rrsigFields(s.rdata);
      return f.typeCovered === first.type && (options.signer === undefined || namesEqual(f.signerName, options.signer));
    } catch {
      return true; // reported as malformed below
    }
  });
  const what = `${first.type} ${displayName(first.name)}`;
  if (covering.length === 0) return { status: 'bogus', reason: `missing RRSIG for ${what}${options.signer ? ` by ${displayName(options.signer)}` : ''}` };
  if (covering.length > options.budget.limits.rrsigsPerRrset) {
    throw new WorkLimitError(`work limit: ${covering.length} RRSIGs over ${what} (max ${options.budget.limits.rrsigsPerRrset} tried)`);
  }
  const verdicts: RrsigVerdict[] = [];
  for (const sig of covering) {
    const v = verifyRrsig(rrset, sig, dnskeys, options);
    if (v.status === 'valid') {
      const f = v.rrsig!;
      const toExpire = ((f.expiration - toSerialTime(options.now)) >>> 0);
      const ttl = Math.min(...rrset.map((r) => r.ttl), f.originalTtl, toExpire);
      return { status: 'secure', reason: v.reason, verdict: v, ttl };
    }
    verdicts.push(v);
  }
  if (verdicts.every((v) => v.status === 'unsupported')) return { status: 'unsupported', reason: verdicts[0]!.reason, verdict: verdicts[0]! };
  const decisive = verdicts.find((v) => v.status === 'invalid')!;
  return { status: 'bogus', reason: decisive.reason, verdict: decisive };
}

/**
 * Convenience over `verifyRrset` for callers outside a lookup: a fresh work budget (default limits
 * unless given) and the current time unless `now` is given.
 */
export function validateRecordSet(
  rrset: ReadonlyArray<ResourceRecord>,
  rrsigs: ReadonlyArray<ResourceRecord>,
  dnskeys: ReadonlyArray<ResourceRecord>,
  options: { now?: Date; signer?: string; budget?: WorkBudget } = {}
): RrsetVerdict {
  const verifyOptions: VerifyOptions & { signer?: string } = { now: options.now ?? new Date(), budget: options.budget ?? new WorkBudget() };
  if (options.signer !== undefined) verifyOptions.signer = options.signer;
  try {
    return verifyRrset(rrset, rrsigs, dnskeys, verifyOptions);
  } catch (e) {
    if (e instanceof WorkLimitError) return { status: 'bogus', reason: e.message };
    throw e;
  }
}

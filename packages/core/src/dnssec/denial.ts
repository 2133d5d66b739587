/**
 * Authenticated denial of existence: NSEC (RFC 4035 §5.4, RFC 6840 §4) and NSEC3 (RFC 5155 §8,
 * RFC 9276). Given the authority section of a negative (or wildcard) response and the validated keys
 * of the zone, decide whether the denial is proven (secure), cannot be proven by design (opt-out,
 * unknown hash, too many iterations: insecure) or is not proven (bogus).
 */
import { base32hexDecode } from '../dns/base32hex.js';
import { compareBytes } from '../bytes/encoding.js';
import {
  compareNames,
  isSubdomain,
  labelsToName,
  nameToLabels,
  namesEqual,
  wildcardOf,
  compareLabels,
} from '../dns/name.js';
import { decodeNsec, decodeNsec3, decodeRrsig } from '../dns/rdata.js';
import type { ResourceRecord, Nsec3Fields } from '../dns/record.js';
import { nsec3Hash } from './nsec3-hash.js';
import { ownerLabelCount } from './canonical.js';
import { displayName, verifyRrset, type VerifyOptions } from './rrsig.js';

export interface DenialContext extends VerifyOptions {
  /** The zone that must have signed the proof, and its validated DNSKEY RRset. */
  zone: string;
  keys: ReadonlyArray<ResourceRecord>;
}

export interface DenialResult {
  status: 'secure' | 'insecure' | 'bogus';
  reason: string;
  /** For DS NODATA: the name is a delegation without DS (provably unsigned child). */
  insecureDelegation?: boolean;
}

const bogus = (reason: string): DenialResult => ({ status: 'bogus', reason });

function commonAncestor(a: string, b: string): string {
  const la = nameToLabels(a);
  const lb = nameToLabels(b);
  let n = 0;
  while (n < la.length && n < lb.length && compareLabels([la[la.length - 1 - n]!], [lb[lb.length - 1 - n]!]) === 0) n++;
  return labelsToName(la.slice(la.length - n));
}

/** Verifies the RRSIGs of each proof record; returns the first failure. */
function verifyProofRecords(records: ResourceRecord[], all: ReadonlyArray<ResourceRecord>, ctx: DenialContext): DenialResult | undefined {
  const rrsigs = all.filter((r) => r.type === 'RRSIG');
  for (const rr of records) {
    const v = verifyRrset([rr], rrsigs, ctx.keys, { now: ctx.now, budget: ctx.budget, signer: ctx.zone });
    if (v.status !== 'secure') return bogus(v.reason);
    // NSEC/NSEC3 records are never synthesised from a wildcard (RFC 4592 §4.5): one whose RRSIG has
    // fewer labels than its owner is a wildcard's NSEC replayed under another name.
    if (v.verdict!.rrsig!.labels < ownerLabelCount(rr.name)) return bogus(`${rr.type} ${displayName(rr.name)} is a wildcard expansion; it proves nothing`);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- NSEC

interface NsecRecord {
  owner: string;
  next: string;
  types: Set<string>;
}

function nsecCovers(n: NsecRecord, name: string, zone: string): boolean {
  if (!isSubdomain(name, zone)) return false;
  if (compareNames(n.owner, name) >= 0) return false;
  // RFC 6840 §4.1: the NSEC of a delegation (NS without SOA) or a DNAME says nothing below it.
  if (isSubdomain(name, n.owner) && !namesEqual(n.owner, zone) && ((n.types.has('NS') && !n.types.has('SOA')) || n.types.has('DNAME'))) return false;
  // The last NSEC of the chain points back at the apex.
  return compareNames(name, n.next) < 0 || compareNames(n.next, n.owner) <= 0;
}

function proveWithNsec(kind: 'nxdomain' | 'nodata', qname: string, qtype: string, list: NsecRecord[], ctx: DenialContext): DenialResult {
  const z = displayName(ctx.zone);
  const q = displayName(qname);
  const matching = list.find((n) => namesEqual(n.owner, qname));
  const covering = list.find((n) => nsecCovers(n, qname, ctx.zone));
  if (kind === 'nodata') {
    if (matching) {
      if (matching.types.has(qtype) || (matching.types.has('CNAME') && qtype !== 'CNAME')) return bogus(`NSEC at ${q} lists ${qtype}; NODATA not proven`);
      const parentSide = matching.types.has('NS') && !matching.types.has('SOA') && !namesEqual(qname, ctx.zone);
      if (parentSide && qtype !== 'DS') return bogus(`NSEC at ${q} is from the parent side of a delegation; it cannot deny ${qtype}`);
      if (qtype === 'DS' && matching.types.has('SOA') && !namesEqual(qname, ctx.zone)) return bogus(`NSEC at ${q} is the child's apex NSEC; it cannot deny DS`);
      return {
        status: 'secure',
        reason: `NODATA ${qtype} ${q} proven by NSEC from ${z}`,
        insecureDelegation: qtype === 'DS' && parentSide,
      };
    }
    if (covering && isSubdomain(covering.next, qname) && !namesEqual(covering.next, qname)) {
      return { status: 'secure', reason: `NODATA ${qtype} ${q} (empty non-terminal) proven by NSEC from ${z}` };
    }
    if (covering) {
      const ce = deeper(commonAncestor(qname, covering.owner), commonAncestor(qname, covering.next));
      const wild = list.find((n) => namesEqual(n.owner, wildcardOf(ce)));
      if (wild && !wild.types.has(qtype) && !wild.types.has('CNAME')) {
        return { status: 'secure', reason: `NODATA ${qtype} ${q} (wildcard ${displayName(wildcardOf(ce))}) proven by NSEC from ${z}` };
      }
    }
    return bogus(`no NSEC from ${z} proves that ${q} has no ${qtype}`);
  }
  if (matching) return bogus(`NSEC from ${z} shows that ${q} exists; NXDOMAIN not proven`);
  if (!covering) return bogus(`no NSEC from ${z} covers ${q}; NXDOMAIN not proven`);
  if (isSubdomain(covering.next, qname)) return bogus(`${q} is an empty non-terminal, not NXDOMAIN`);
  const ce = deeper(commonAncestor(qname, covering.owner), commonAncestor(qname, covering.next));
  const wildcard = wildcardOf(ce);
  if (list.some((n) => namesEqual(n.owner, wildcard))) return bogus(`wildcard ${displayName(wildcard)} exists; NXDOMAIN not proven`);
  if (!list.some((n) => nsecCovers(n, wildcard, ctx.zone))) return bogus(`no NSEC from ${z} denies the wildcard ${displayName(wildcard)}`);
  return { status: 'secure', reason: `NXDOMAIN ${q} proven by NSEC from ${z}` };
}

function deeper(a: string, b: string): string {
  return nameToLabels(a).length >= nameToLabels(b).length ? a : b;
}

// --------------------------------------------------------------------------------------------- NSEC3

interface Nsec3Record {
  ownerHash: Uint8Array;
  fields: Nsec3Fields;
  types: Set<string>;
}

class Nsec3Set {
  private readonly cache = new Map<string, Uint8Array>();
  constructor(readonly list: Nsec3Record[], private readonly ctx: DenialContext) {}

  private hash(name: string, f: Nsec3Fields): Uint8Array {
    const key = `${name.toLowerCase()}|${f.iterations}|${Buffer.from(f.salt).toString('hex')}`;
    let h = this.cache.get(key);
    if (!h) {
      this.ctx.budget.spendNsec3Hash();
      h = nsec3Hash(name, f.salt, f.iterations);
      this.cache.set(key, h);
    }
    return h;
  }

  matching(name: string): Nsec3Record | undefined {
    return this.list.find((r) => compareBytes(r.ownerHash, this.hash(name, r.fields)) === 0);
  }

  covering(name: string): Nsec3Record | undefined {
    return this.list.find((r) => {
      const h = this.hash(name, r.fields);
      const afterOwner = compareBytes(r.ownerHash, h) < 0;
      const beforeNext = compareBytes(h, r.fields.nextHashed) < 0;
      const wraps = compareBytes(r.fields.nextHashed, r.ownerHash) <= 0;
      return wraps ? afterOwner || beforeNext : afterOwner && beforeNext;
    });
  }

  /** RFC 5155 §8.3: the closest encloser (matched) and the covered next closer name. */
  closestEncloser(qname: string, zone: string): { encloser: string; nextCloser: string; cover: Nsec3Record; match: Nsec3Record } | string {
    let next: string | undefined;
    let sname = qname;
    const zoneLabels = nameToLabels(zone).length;
    for (;;) {
      const match = this.matching(sname);
      if (match) {
        if (next === undefined) return `${displayName(qname)} exists (matching NSEC3)`;
        if (match.types.has('DNAME') || (match.types.has('NS') && !match.types.has('SOA'))) {
          return `closest encloser ${displayName(sname)} is a delegation or DNAME; proof rejected`;
        }
        const cover = this.covering(next);
        if (!cover) return `no NSEC3 covers the next closer name ${displayName(next)}`;
        return { encloser: sname, nextCloser: next, cover, match };
      }
      const labels = nameToLabels(sname);
      if (labels.length <= zoneLabels) return `no closest encloser for ${displayName(qname)} in ${displayName(zone)}`;
      next = sname;
      sname = labelsToName(labels.slice(1));
    }
  }
}

function proveWithNsec3(kind: 'nxdomain' | 'nodata', qname: string, qtype: string, set: Nsec3Set, ctx: DenialContext): DenialResult {
  const z = displayName(ctx.zone);
  const q = displayName(qname);
  if (kind === 'nodata') {
    const m = set.matching(qname);
    if (m) {
      if (m.types.has(qtype) || (m.types.has('CNAME') && qtype !== 'CNAME')) return bogus(`NSEC3 for ${q} lists ${qtype}; NODATA not proven`);
      const parentSide = m.types.has('NS') && !m.types.has('SOA') && !namesEqual(qname, ctx.zone);
      if (parentSide && qtype !== 'DS') return bogus(`NSEC3 for ${q} is from the parent side of a delegation; it cannot deny ${qtype}`);
      if (qtype === 'DS' && m.types.has('SOA') && !namesEqual(qname, ctx.zone)) return bogus(`NSEC3 for ${q} is the child's apex NSEC3; it cannot deny DS`);
      return { status: 'secure', reason: `NODATA ${qtype} ${q} proven by NSEC3 from ${z}`, insecureDelegation: qtype === 'DS' && parentSide };
    }
    const ce = set.closestEncloser(qname, ctx.zone);
    if (typeof ce === 'string') return bogus(`NODATA ${qtype} ${q} not proven by NSEC3 from ${z}: ${ce}`);
    const wild = set.matching(wildcardOf(ce.encloser));
    if (wild && !wild.types.has(qtype) && !wild.types.has('CNAME')) {
      // As for a wildcard answer: an opt-out span over the next closer name proves nothing about it.
      // (For DS the zone walk only learns "no cut here" and the answer's own proof decides.)
      if (ce.cover.fields.flags & 1 && qtype !== 'DS') return { status: 'insecure', reason: `NODATA ${qtype} ${q} (wildcard): next closer ${displayName(ce.nextCloser)} lies in an NSEC3 opt-out span of ${z}` };
      return { status: 'secure', reason: `NODATA ${qtype} ${q} (wildcard ${displayName(wildcardOf(ce.encloser))}) proven by NSEC3 from ${z}` };
    }
    if (ce.cover.fields.flags & 1) {
      // RFC 5155 §8.6: a DS in an opt-out span belongs to an unsigned delegation. For other types
      // the name can only be an empty non-terminal above unsigned delegations, left without an NSEC3
      // (RFC 5155 §7.1, erratum 3441): nothing is proven either way (§9.2), so insecure, not secure.
      if (qtype === 'DS') return { status: 'insecure', reason: `no DS for ${q}: NSEC3 opt-out span in ${z} (unsigned delegation)`, insecureDelegation: true };
      return { status: 'insecure', reason: `NODATA ${qtype} ${q} lies in an NSEC3 opt-out span of ${z}` };
    }
    if (qtype === 'DS') return bogus(`NODATA DS ${q} not proven: no matching NSEC3 and no opt-out in ${z}`);
    return bogus(`no NSEC3 from ${z} proves that ${q} has no ${qtype}`);
  }
  const ce = set.closestEncloser(qname, ctx.zone);
  if (typeof ce === 'string') return bogus(`NXDOMAIN ${q} not proven by NSEC3 from ${z}: ${ce}`);
  const wildcard = wildcardOf(ce.encloser);
  if (set.matching(wildcard)) return bogus(`wildcard ${displayName(wildcard)} exists; NXDOMAIN not proven`);
  if (!set.covering(wildcard)) return bogus(`no NSEC3 from ${z} denies the wildcard ${displayName(wildcard)}`);
  if (ce.cover.fields.flags & 1) return { status: 'insecure', reason: `NXDOMAIN ${q} lies in an NSEC3 opt-out span of ${z}` };
  return { status: 'secure', reason: `NXDOMAIN ${q} proven by NSEC3 from ${z}` };
}

// ---------------------------------------------------------------------------------------------- API

type Collected =
  | { kind: 'nsec'; list: NsecRecord[] }
  | { kind: 'nsec3'; set: Nsec3Set }
  | { kind: 'result'; result: DenialResult };

function collect(authority: ReadonlyArray<ResourceRecord>, ctx: DenialContext, purpose: string): Collected {
  const z = displayName(ctx.zone);
  // Proof records of this zone: inside it and not signed (only) by another zone, e.g. a child's
  // NSEC records in the same response of a CNAME chain.
  const rrsigs = authority.filter((r) => r.type === 'RRSIG');
  const ours = (r: ResourceRecord) => {
    const signers = rrsigs.filter((s) => namesEqual(s.name, r.name)).map((s) => { try { return decodeRrsig(s.rdata); } catch { return undefined; } })
      .filter((f) => f !== undefined && f.typeCovered === r.type).map((f) => f!.signerName);
    return signers.length === 0 || signers.some((s) => namesEqual(s, ctx.zone));
  };
  const nsecs = authority.filter((r) => r.type === 'NSEC' && isSubdomain(r.name, ctx.zone) && ours(r));
  const nsec3s = authority.filter((r) => r.type === 'NSEC3' && isSubdomain(r.name, ctx.zone) && nameToLabels(r.name).length === nameToLabels(ctx.zone).length + 1 && ours(r));
  if (nsecs.length > 0) {
    const failure = verifyProofRecords(nsecs, authority, ctx);
    if (failure) return { kind: 'result', result: failure };
    try {
      return { kind: 'nsec', list: nsecs.map((r) => { const f = decodeNsec(r.rdata); return { owner: r.name, next: f.nextDomain, types: new Set(f.types) }; }) };
    } catch (e) {
      return { kind: 'result', result: bogus(`malformed NSEC in ${z}: ${(e as Error).message}`) };
    }
  }
  if (nsec3s.length > 0) {
    const failure = verifyProofRecords(nsec3s, authority, ctx);
    if (failure) return { kind: 'result', result: failure };
    const usable: Nsec3Record[] = [];
    for (const r of nsec3s) {
      let f: Nsec3Fields;
      let ownerHash: Uint8Array;
      try {
        f = decodeNsec3(r.rdata);
        ownerHash = base32hexDecode(Buffer.from(nameToLabels(r.name)[0]!).toString('latin1'), 'NSEC3 owner');
      } catch (e) {
        return { kind: 'result', result: bogus(`malformed NSEC3 ${displayName(r.name)}: ${(e as Error).message}`) };
      }
      if (f.hashAlgorithm !== 1 || (f.flags & 0xfe) !== 0) continue; // RFC 5155 §8.1/§8.2: ignore
      if (f.iterations > ctx.budget.limits.nsec3Iterations) {
        return { kind: 'result', result: { status: 'insecure', reason: `NSEC3 in ${z} uses ${f.iterations} iterations, more than ${ctx.budget.limits.nsec3Iterations} (RFC 9276): treated as insecure` } };
      }
      if (ownerHash.length !== f.nextHashed.length) continue;
      usable.push({ ownerHash, fields: f, types: new Set(f.types) });
    }
    if (usable.length === 0) return { kind: 'result', result: { status: 'insecure', reason: `NSEC3 in ${z} uses an unknown hash algorithm or flags` } };
    return { kind: 'nsec3', set: new Nsec3Set(usable, ctx) };
  }
  return { kind: 'result', result: bogus(`no NSEC or NSEC3 from ${z} in the ${purpose} response`) };
}

/** Proves NXDOMAIN or NODATA (`qtype` absent at `qname`) from a response's authority section. */
export function proveDenial(kind: 'nxdomain' | 'nodata', qname: string, qtype: string, authority: ReadonlyArray<ResourceRecord>, ctx: DenialContext): DenialResult {
  const c = collect(authority, ctx, kind === 'nxdomain' ? 'NXDOMAIN' : 'NODATA');
  if (c.kind === 'result') return c.result;
  return c.kind === 'nsec' ? proveWithNsec(kind, qname, qtype, c.list, ctx) : proveWithNsec3(kind, qname, qtype, c.set, ctx);
}

/**
 * A wildcard expansion (RRSIG labels < owner labels) is valid only with proof that the name itself
 * does not exist (RFC 4035 §5.3.4, RFC 5155 §8.8): an NSEC covering the name, or an NSEC3 covering
 * the next closer name.
 */
export function proveWildcardExpansion(qname: string, rrsigLabels: number, authority: ReadonlyArray<ResourceRecord>, ctx: DenialContext): DenialResult {
  const q = displayName(qname);
  const z = displayName(ctx.zone);
  const c = collect(authority, ctx, 'wildcard');
  if (c.kind === 'result') return c.result.status === 'bogus' ? bogus(`wildcard answer for ${q} without proof: ${c.result.reason}`) : c.result;
  if (c.kind === 'nsec') {
    const covering = c.list.find((n) => nsecCovers(n, qname, ctx.zone));
    if (!covering) return bogus(`wildcard answer for ${q} without an NSEC covering it`);
    // RFC 4035 §5.3.4: the NSEC must also show that the wildcard's parent is the closest encloser; a
    // deeper existing ancestor of the name would have stopped the wildcard from applying (RFC 4592 §3.3.1).
    const ce = deeper(commonAncestor(qname, covering.owner), commonAncestor(qname, covering.next));
    if (nameToLabels(ce).length !== rrsigLabels) {
      return bogus(`wildcard answer for ${q}: the NSEC from ${z} shows closest encloser ${displayName(ce)}, not the wildcard's parent`);
    }
    return { status: 'secure', reason: `wildcard expansion for ${q} proven by NSEC from ${z}` };
  }
  const labels = nameToLabels(qname);
  const nextCloser = labelsToName(labels.slice(labels.length - rrsigLabels - 1));
  const cover = c.set.covering(nextCloser);
  if (!cover) return bogus(`wildcard answer for ${q} without an NSEC3 covering ${displayName(nextCloser)}`);
  // RFC 5155 §9.2: an opt-out span may hide an unsigned delegation at the next closer name, so the
  // expansion is not proven (BIND's delv: "unsigned answer").
  if (cover.fields.flags & 1) return { status: 'insecure', reason: `wildcard answer for ${q}: next closer ${displayName(nextCloser)} lies in an NSEC3 opt-out span of ${z}` };
  return { status: 'secure', reason: `wildcard expansion for ${q} proven by NSEC3 from ${z}` };
}

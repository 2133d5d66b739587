/**
 * The validating lookup, in the manner of BIND's `delv`: every query goes to one resolver through a
 * `DnsTransport` (DO=1, CD=1) and all validation happens here (RFC 4035 §5, RFC 6840).
 *
 * 1. The closest trust anchor above the name gives the first zone: its DNSKEY RRset must be signed by
 *    a key the anchor designates.
 * 2. Walking down one label at a time, a `DS` query for each name finds the zone cuts: a signed DS
 *    RRset is a secure cut (DNSKEY RRset self-signed by a key matching a DS); a proven NODATA whose
 *    NSEC/NSEC3 shows a delegation without DS (or an opt-out span) is a provably insecure cut; a proven
 *    NODATA without delegation means "same zone"; NXDOMAIN or a CNAME ends the walk.
 * 3. The answer RRset must be signed by the zone found for its owner; wildcard expansions need their
 *    proof; CNAMEs are validated link by link; negative answers need NSEC/NSEC3 proofs.
 *
 * Transport failures give `indeterminate`; answers that arrive and do not validate give `bogus`.
 */
import { DimeError } from '../errors/dime-error.js';
import { bytesEqual } from '../bytes/encoding.js';
import type { DnsTransport } from '../dns/transport.js';
import { decodeMessage, type DnsMessage } from '../dns/message.js';
import { isSubdomain, labelsToName, nameToLabels, namesEqual, normalizeName, canonicalName } from '../dns/name.js';
import { decodeDnskey, decodeDs, decodeRdata } from '../dns/rdata.js';
import { typeToName } from '../dns/types.js';
import type { ResourceRecord } from '../dns/record.js';
import { isSupportedAlgorithm } from './algorithms.js';
import { ownerLabelCount } from './canonical.js';
import { ROOT_TRUST_ANCHORS, type TrustAnchor } from './anchors.js';
import { proveDenial, proveWildcardExpansion, type DenialContext } from './denial.js';
import { dsMatchesDnskey, isSupportedDigestType } from './ds.js';
import { keyTag } from './key-tag.js';
import { DEFAULT_LIMITS, WorkBudget, WorkLimitError, type ValidationLimits } from './limits.js';
import { DNSKEY_FLAG_REVOKE, DNSKEY_FLAG_ZONE, displayName, verifyRrset } from './rrsig.js';

export type ValidationStatus = 'secure' | 'insecure' | 'bogus' | 'indeterminate';

export interface ChainLink {
  /** Zone apex, absolute (`example.test.`). */
  zone: string;
  status: ValidationStatus;
  /** One line. */
  reason: string;
}

export interface LookupResult {
  /** The name asked for, absolute. */
  name: string;
  type: string;
  status: ValidationStatus;
  /** Of the last response (`NOERROR`, `NXDOMAIN`, …); `SERVFAIL` when no usable answer arrived. */
  rcode: string;
  /** One line, naming the zone and key where it matters. */
  reason: string;
  /** The answer RRsets (a CNAME chain and its target), validated unless the status says otherwise. */
  records: ResourceRecord[];
  /** The zones walked, from the trust anchor down. */
  chain: ChainLink[];
}

export interface ValidateOptions {
  transport: DnsTransport;
  /** Default: the built-in root anchors (KSK-2017, KSK-2024). */
  anchors?: ReadonlyArray<TrustAnchor>;
  /** Injectable clock for RRSIG validity windows. */
  now?: () => Date;
  limits?: Partial<ValidationLimits>;
}

class Indeterminate extends Error {}

interface ZoneState {
  zone: string;
  status: 'secure' | 'insecure' | 'bogus';
  reason: string;
  keys: ResourceRecord[];
}

const rrsetOf = (rrs: ReadonlyArray<ResourceRecord>, name: string, type: string) =>
  rrs.filter((r) => r.type === type && r.class === 'IN' && namesEqual(r.name, name));

function tagList(rdatas: Uint8Array[], kind: 'DS' | 'DNSKEY'): string {
  return rdatas.map((r) => (kind === 'DS' ? decodeDs(r).keyTag : keyTag(r))).join(',');
}

class Lookup {
  private readonly responses = new Map<string, DnsMessage>();
  private readonly zones = new Map<string, ZoneState>();
  private readonly notCuts = new Set<string>();
  readonly chain: ChainLink[] = [];
  readonly budget: WorkBudget;
  readonly now: Date;
  lastRcode = 'SERVFAIL';

  constructor(private readonly options: ValidateOptions) {
    this.budget = new WorkBudget({ ...DEFAULT_LIMITS, ...options.limits });
    this.now = options.now ? options.now() : new Date();
  }

  private get verify() {
    return { now: this.now, budget: this.budget };
  }

  async ask(name: string, type: string): Promise<DnsMessage> {
    const key = `${canonicalName(name)}|${type}`;
    const cached = this.responses.get(key);
    if (cached) return cached;
    this.budget.spendQuery();
    const what = `${type} ${displayName(name)}`;
    let bytes: Uint8Array;
    try {
      bytes = await this.options.transport.query({ name, type, class: 'IN' });
    } catch (e) {
      throw new Indeterminate(`no answer for ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
    let msg: DnsMessage;
    try {
      msg = decodeMessage(bytes);
    } catch (e) {
      throw new Indeterminate(`garbage response for ${what}: ${(e as Error).message}`);
    }
    const q = msg.question[0];
    if (!msg.flags.qr || msg.question.length !== 1 || !q || !namesEqual(q.name, name) || q.type !== type) {
      throw new Indeterminate(`response does not match the question ${what}`);
    }
    if (msg.flags.tc) throw new Indeterminate(`truncated response for ${what}`);
    if (msg.rcode !== 'NOERROR' && msg.rcode !== 'NXDOMAIN') throw new Indeterminate(`resolver answered ${msg.rcode} for ${what}`);
    this.responses.set(key, msg);
    return msg;
  }

  private record(state: ZoneState): ZoneState {
    const key = canonicalName(state.zone);
    if (!this.zones.has(key)) {
      this.zones.set(key, state);
      this.chain.push({ zone: state.zone, status: state.status, reason: state.reason });
    }
    return state;
  }

  /** Validates the DNSKEY RRset of `zone` against DS RDATA (from the parent or an anchor) or anchored DNSKEYs. */
  async keysFor(zone: string, trust: { ds: Uint8Array[]; dnskeys: Uint8Array[] }, source: string): Promise<ZoneState> {
    const z = displayName(zone);
    let ds = trust.ds.filter((r) => {
      const d = decodeDs(r);
      return isSupportedAlgorithm(d.algorithm) && isSupportedDigestType(d.digestType);
    });
    // RFC 4509 §3: with a SHA-256 (or stronger) DS present, SHA-1 DS records are ignored.
    if (ds.some((r) => decodeDs(r).digestType !== 1)) ds = ds.filter((r) => decodeDs(r).digestType !== 1);
    const anchoredKeys = trust.dnskeys.filter((r) => isSupportedAlgorithm(decodeDnskey(r).algorithm));
    if (ds.length === 0 && anchoredKeys.length === 0) {
      const all = [...trust.ds.map((r) => { const d = decodeDs(r); return `DS ${d.keyTag} alg ${d.algorithm} digest ${d.digestType}`; }),
        ...trust.dnskeys.map((r) => `DNSKEY ${keyTag(r)} alg ${decodeDnskey(r).algorithm}`)];
      return { zone, status: 'insecure', reason: `${z}: only unsupported algorithms or digest types (${all.join('; ')})`, keys: [] };
    }
    const resp = await this.ask(zone, 'DNSKEY');
    const dnskeys = rrsetOf(resp.answers, zone, 'DNSKEY');
    if (dnskeys.length === 0) return { zone, status: 'bogus', reason: `no DNSKEY RRset for ${z}`, keys: [] };
    const usable = dnskeys.filter((k) => {
      const f = decodeDnskey(k.rdata);
      return f.protocol === 3 && (f.flags & DNSKEY_FLAG_ZONE) !== 0 && (f.flags & DNSKEY_FLAG_REVOKE) === 0;
    });
    const trusted = usable.filter((k) => ds.some((d) => dsMatchesDnskey(zone, d, k.rdata)) || anchoredKeys.some((a) => bytesEqual(a, k.rdata)));
    if (trusted.length === 0) {
      const wanted = ds.length ? `DS ${tagList(ds, 'DS')}` : `anchored DNSKEY ${tagList(anchoredKeys, 'DNSKEY')}`;
      return { zone, status: 'bogus', reason: `no DNSKEY of ${z} matches ${wanted} (${source}); keys present: ${tagList(dnskeys.map((k) => k.rdata), 'DNSKEY')}`, keys: [] };
    }
    const v = verifyRrset(dnskeys, resp.answers, trusted, { ...this.verify, signer: zone });
    if (v.status === 'secure') {
      const k = v.verdict!.key!;
      return { zone, status: 'secure', reason: `DNSKEY ${z} signed by ${z}/${keyTag(k.rdata)}, which matches ${source}`, keys: dnskeys };
    }
    // The trusted keys use supported algorithms, so only RRSIGs we cannot check is a failure.
    return { zone, status: 'bogus', reason: `DNSKEY ${z}: ${v.reason}`, keys: [] };
  }

  private anchorsFor(name: string, forDs: boolean): { zone: string; anchors: TrustAnchor[] } | undefined {
    const all = this.options.anchors ?? ROOT_TRUST_ANCHORS;
    let best: string | undefined;
    for (const a of all) {
      if (!isSubdomain(name, a.name)) continue;
      if (forDs && namesEqual(name, a.name)) continue; // a DS lives in the parent
      if (!best || nameToLabels(a.name).length > nameToLabels(best).length) best = a.name;
    }
    if (!best) return undefined;
    return { zone: canonicalName(best), anchors: all.filter((a) => namesEqual(a.name, best!)) };
  }

  /** The zone that holds `name` (for a DS: the parent side), with its validation state. */
  async zoneFor(name: string, forDs: boolean): Promise<ZoneState> {
    const anchor = this.anchorsFor(name, forDs);
    if (!anchor) {
      return { zone: '.', status: 'insecure', reason: `no trust anchor covers ${displayName(name)}`, keys: [] };
    }
    let state = this.zones.get(canonicalName(anchor.zone));
    if (!state) {
      const ds = anchor.anchors.filter((a) => a.type === 'DS').map((a) => a.rdata);
      const keys = anchor.anchors.filter((a) => a.type === 'DNSKEY').map((a) => a.rdata);
      const source = ds.length ? `trust anchor DS ${tagList(ds, 'DS')}` : `trust anchor DNSKEY ${tagList(keys, 'DNSKEY')}`;
      state = this.record(await this.keysFor(anchor.zone, { ds, dnskeys: keys }, source));
    }
    const labels = nameToLabels(name);
    const last = forDs ? labels.length - 1 : labels.length;
    const start = nameToLabels(anchor.zone).length + 1;
    for (let k = start; k <= last; k++) {
      if (state.status !== 'secure') return state;
      // Zones are reported in canonical (lower) case, whatever case the question used.
      const child = canonicalName(labelsToName(labels.slice(labels.length - k)));
      const known = this.zones.get(canonicalName(child));
      if (known) {
        state = known;
        continue;
      }
      if (this.notCuts.has(canonicalName(child))) continue;
      const c = displayName(child);
      const resp = await this.ask(child, 'DS');
      const ds = rrsetOf(resp.answers, child, 'DS');
      if (ds.length > 0) {
        const v = verifyRrset(ds, resp.answers, state.keys, { ...this.verify, signer: state.zone });
        if (v.status !== 'secure') {
          return this.record({ zone: child, status: 'bogus', reason: `DS ${c}: ${v.reason}`, keys: [] });
        }
        if (v.verdict!.rrsig!.labels < k) {
          // A DS synthesised from a wildcard cannot make a zone cut (RFC 4592 §4.6).
          return this.record({ zone: child, status: 'bogus', reason: `DS ${c} is a wildcard expansion`, keys: [] });
        }
        // The limit counts zone cuts, not labels: a 34-label ip6.arpa name has only a few cuts, and
        // the label walk itself is bounded by the query budget.
        if (this.chain.length > this.budget.limits.zoneDepth) throw new WorkLimitError(`work limit: more than ${this.budget.limits.zoneDepth} zone cuts below the trust anchor in one lookup`);
        const parentTag = keyTag(v.verdict!.key!.rdata);
        state = this.record(await this.keysFor(child, { ds: ds.map((r) => r.rdata), dnskeys: [] }, `DS ${tagList(ds.map((r) => r.rdata), 'DS')} from ${displayName(state.zone)}/${parentTag}`));
        continue;
      }
      if (resp.rcode === 'NXDOMAIN') break;
      if (rrsetOf(resp.answers, child, 'CNAME').length > 0) break;
      const soa = resp.authorities.find((r) => r.type === 'SOA');
      if (soa && namesEqual(soa.name, child) && !namesEqual(child, state.zone)) {
        return this.record({ zone: child, status: 'bogus', reason: `the DS query for ${c} was answered by ${c} itself, not by its parent ${displayName(state.zone)}`, keys: [] });
      }
      const ctx: DenialContext = { ...this.verify, zone: state.zone, keys: state.keys };
      const d = proveDenial('nodata', child, 'DS', resp.authorities, ctx);
      if (d.status === 'bogus') return this.record({ zone: child, status: 'bogus', reason: `no DS for ${c} and no proof: ${d.reason}`, keys: [] });
      if (d.insecureDelegation || d.status === 'insecure') {
        const reason = d.status === 'insecure' ? d.reason : `delegation to ${c} is unsigned (${d.reason})`;
        return this.record({ zone: child, status: 'insecure', reason, keys: [] });
      }
      this.notCuts.add(canonicalName(child));
    }
    return state;
  }
}

function result(name: string, type: string, lookup: Lookup, status: ValidationStatus, reason: string, records: ResourceRecord[] = []): LookupResult {
  return { name, type, status, rcode: lookup.lastRcode, reason: reason.replace(/\s*\n\s*/g, ' '), records, chain: lookup.chain };
}

async function run(lookup: Lookup, qname: string, qtype: string): Promise<LookupResult> {
  const records: ResourceRecord[] = [];
  const visited = new Set<string>();
  let current = qname;
  const via: string[] = [];
  // A CNAME chain is only as strong as its weakest link.
  let insecureLink: string | undefined;
  const finish = (status: ValidationStatus, reason: string) =>
    status === 'secure' && insecureLink !== undefined ? result(qname, qtype, lookup, 'insecure', insecureLink, records) : result(qname, qtype, lookup, status, reason, records);
  for (let hops = 0; ; hops++) {
    if (hops > lookup.budget.limits.cnameChain) return result(qname, qtype, lookup, 'bogus', `CNAME chain longer than ${lookup.budget.limits.cnameChain} links`, records);
    const key = canonicalName(current);
    if (visited.has(key)) return result(qname, qtype, lookup, 'bogus', `CNAME loop at ${displayName(current)}`, records);
    visited.add(key);
    const state = await lookup.zoneFor(current, qtype === 'DS');
    const resp = await lookup.ask(current, qtype);
    lookup.lastRcode = resp.rcode;
    if (state.status === 'bogus') return result(qname, qtype, lookup, 'bogus', state.reason, []);
    const insecure = state.status === 'insecure';
    const ctx: DenialContext = { now: lookup.now, budget: lookup.budget, zone: state.zone, keys: state.keys };
    const suffix = via.length ? ` (via CNAME ${via.join(' -> ')})` : '';
    const rrset = rrsetOf(resp.answers, current, qtype);
    const cname = qtype === 'CNAME' ? [] : rrsetOf(resp.answers, current, 'CNAME');
    const positive = rrset.length > 0 ? rrset : cname;
    if (positive.length > 0) {
      if (insecure) {
        records.push(...positive);
        insecureLink ??= state.reason + suffix;
        if (rrset.length > 0) return result(qname, qtype, lookup, 'insecure', insecureLink, records);
      } else if (rrset.length === 0 && dnameAbove(resp.answers, current)) {
        // RFC 6672 §5.3.3: the CNAME a resolver synthesises from a DNAME is unsigned; validate the
        // DNAME and check that the CNAME is exactly its synthesis.
        const dname = dnameAbove(resp.answers, current)!;
        const v = verifyRrset(dname, resp.answers, state.keys, { now: lookup.now, budget: lookup.budget, signer: state.zone });
        if (v.status !== 'secure') return result(qname, qtype, lookup, 'bogus', v.reason, []);
        const owner = nameToLabels(dname[0]!.name);
        const dnameTarget = (decodeRdata('DNAME', dname[0]!.rdata) as { target: string }).target;
        const labels = nameToLabels(current);
        const synthesized = labelsToName([...labels.slice(0, labels.length - owner.length), ...nameToLabels(dnameTarget)]);
        const given = (decodeRdata('CNAME', cname[0]!.rdata) as { target: string }).target;
        if (cname.length !== 1 || !namesEqual(given, synthesized)) {
          return result(qname, qtype, lookup, 'bogus', `CNAME ${displayName(current)} -> ${displayName(given)} is not the synthesis of DNAME ${displayName(dname[0]!.name)} -> ${displayName(dnameTarget)}`, []);
        }
        records.push(...dname.map((r) => ({ ...r, ttl: Math.min(r.ttl, v.ttl ?? r.ttl) })), ...cname);
        via.push(displayName(synthesized));
        current = synthesized;
        continue;
      } else {
        // In a secure zone an RRset carrying only RRSIGs of algorithms we cannot check is bogus: a
        // zone is insecure only through its DS RRset (RFC 4035 §5.2), never through a lone RRSIG.
        const v = verifyRrset(positive, resp.answers, state.keys, { now: lookup.now, budget: lookup.budget, signer: state.zone });
        if (v.status !== 'secure') return result(qname, qtype, lookup, 'bogus', v.reason, []);
        const f = v.verdict!.rrsig!;
        let reason = v.reason;
        if (f.labels < ownerLabelCount(current)) {
          const p = proveWildcardExpansion(current, f.labels, resp.authorities, ctx);
          if (p.status === 'bogus') return result(qname, qtype, lookup, 'bogus', p.reason, []);
          if (p.status === 'insecure') return result(qname, qtype, lookup, 'insecure', p.reason, [...records, ...positive]);
          reason += `; ${p.reason}`;
        }
        // RFC 4035 §5.3.3: the TTL is capped by the original TTL and the time left to expiration.
        records.push(...positive.map((r) => ({ ...r, ttl: Math.min(r.ttl, v.ttl ?? r.ttl) })));
        if (rrset.length > 0) return finish('secure', reason + suffix);
      }
      // follow the CNAME
      const target = (decodeRdata('CNAME', cname[0]!.rdata) as { target: string }).target;
      via.push(displayName(target));
      current = target;
      continue;
    }
    if (insecure) return result(qname, qtype, lookup, 'insecure', insecureLink ?? state.reason + suffix, records);
    const d = proveDenial(resp.rcode === 'NXDOMAIN' ? 'nxdomain' : 'nodata', current, qtype, resp.authorities, ctx);
    return finish(d.status, d.reason + suffix);
  }
}

/** The DNAME RRset at the closest proper ancestor of `name` in an answer section, if any. */
function dnameAbove(answers: ReadonlyArray<ResourceRecord>, name: string): ResourceRecord[] | undefined {
  let best: ResourceRecord | undefined;
  for (const r of answers) {
    if (r.type !== 'DNAME' || r.class !== 'IN' || namesEqual(r.name, name) || !isSubdomain(name, r.name)) continue;
    if (!best || nameToLabels(r.name).length > nameToLabels(best.name).length) best = r;
  }
  return best ? rrsetOf(answers, best.name, 'DNAME') : undefined;
}


/**
 * Looks up `name`/`type` through `transport` and validates the answer from the trust anchors down.
 * Never throws for network or validation problems: they are statuses. Throws BAD_INPUT for a
 * malformed name or type.
 */
export async function validateLookup(name: string, type: string, options: ValidateOptions): Promise<LookupResult> {
  const qname = normalizeName(name);
  const qtype = typeToName(type);
  const lookup = new Lookup(options);
  try {
    return await run(lookup, qname, qtype);
  } catch (e) {
    if (e instanceof Indeterminate) {
      lookup.lastRcode = 'SERVFAIL';
      return result(qname, qtype, lookup, 'indeterminate', e.message);
    }
    if (e instanceof WorkLimitError) return result(qname, qtype, lookup, 'bogus', e.message);
    if (e instanceof DimeError && e.code === 'BAD_INPUT') return result(qname, qtype, lookup, 'bogus', `malformed data: ${e.message}`);
    throw e;
  }
}

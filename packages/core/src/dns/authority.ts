/**
 * Authoritative answers from in-memory zones (RFC 1034 §4.3.2, RFC 4035 §3.1, RFC 5155 §7.2): the
 * answering logic of the lab's DNS server, the UDP/TCP zone server and the validator's offline tests.
 * Answers, CNAMEs (followed across the served zones), referrals with DS or a proof of no DS, glue,
 * NODATA, NXDOMAIN, wildcard expansion, and with DO=1 the RRSIGs and NSEC/NSEC3 proofs.
 * A DS query for a zone apex is answered from the parent when the parent is served too.
 *
 * Zones are indexed once per `records` array: give a zone a new array to change it.
 */
import { badInput } from '../errors/dime-error.js';
import { base32hexDecode, base32hexEncode } from './base32hex.js';
import { compareBytes, hexEncode } from '../bytes/encoding.js';
import {
  canonicalName,
  compareNames,
  isSubdomain,
  labelsToName,
  nameToLabels,
  namesEqual,
  normalizeName,
  wildcardOf,
} from './name.js';
import { decodeMessage, encodeQuery, encodeResponse, type DnsMessage, type DnsMessageInput } from './message.js';
import type { DnsQuery, DnsTransport } from './transport.js';
import { decodeNsec3, decodeRrsig, decodeRdata } from './rdata.js';
import { typeToName } from './types.js';
import type { ResourceRecord } from './record.js';
import { nsec3Hash } from '../dnssec/nsec3-hash.js';

export interface AuthoritativeZone {
  /** The apex (`example.test.`). */
  origin: string;
  /** Every record of the zone, signed or not (what `signZone` or `parseZoneFile` returns). */
  records: ResourceRecord[];
}

export interface AnswerOptions {
  /**
   * Over UDP: cap the response at the query's EDNS size (at most 1232, at least 512; 512 without
   * EDNS) and set TC when it does not fit. Over TCP leave it unset.
   */
  udp?: boolean;
}

interface Nsec3Entry {
  hash: Uint8Array;
  rr: ResourceRecord;
}

class ZoneIndex {
  readonly origin: string;
  readonly nodes = new Map<string, Map<string, ResourceRecord[]>>();
  readonly sigs = new Map<string, Map<string, ResourceRecord[]>>();
  readonly existing = new Set<string>();
  readonly cuts = new Set<string>();
  readonly nsecs: ResourceRecord[] = [];
  readonly nsec3s: Nsec3Entry[] = [];
  nsec3Params: { salt: Uint8Array; iterations: number } | undefined;

  constructor(zone: AuthoritativeZone) {
    this.origin = normalizeName(zone.origin);
    const originKey = canonicalName(this.origin);
    for (const rr of zone.records) {
      const key = canonicalName(rr.name);
      const type = typeToName(rr.type);
      if (type === 'RRSIG') {
        const covered = decodeRrsig(rr.rdata).typeCovered;
        const byType = this.sigs.get(key) ?? new Map<string, ResourceRecord[]>();
        byType.set(covered, [...(byType.get(covered) ?? []), rr]);
        this.sigs.set(key, byType);
        continue;
      }
      if (type === 'NSEC3') {
        const label = nameToLabels(rr.name)[0]!;
        this.nsec3s.push({ hash: base32hexDecode(Buffer.from(label).toString('latin1'), 'NSEC3 owner'), rr });
        continue;
      }
      if (type === 'NSEC') this.nsecs.push(rr);
      if (type === 'NSEC3PARAM' && key === originKey) {
        const p = decodeRdata('NSEC3PARAM', rr.rdata) as { salt: Uint8Array; iterations: number };
        this.nsec3Params = { salt: p.salt, iterations: p.iterations };
      }
      const byType = this.nodes.get(key) ?? new Map<string, ResourceRecord[]>();
      byType.set(type, [...(byType.get(type) ?? []), rr]);
      this.nodes.set(key, byType);
      if (type === 'NS' && key !== originKey) this.cuts.add(key);
    }
    const originCount = nameToLabels(this.origin).length;
    for (const key of this.nodes.keys()) {
      const labels = nameToLabels(key);
      for (let k = labels.length; k >= originCount; k--) this.existing.add(labelsToName(labels.slice(labels.length - k)));
    }
    this.nsecs.sort((a, b) => compareNames(a.name, b.name));
    this.nsec3s.sort((a, b) => compareBytes(a.hash, b.hash));
    if (!this.nsec3Params && this.nsec3s.length > 0) {
      const f = decodeNsec3(this.nsec3s[0]!.rr.rdata);
      this.nsec3Params = { salt: f.salt, iterations: f.iterations };
    }
  }

  rrset(name: string, type: string): ResourceRecord[] | undefined {
    return this.nodes.get(canonicalName(name))?.get(type);
  }

  signatures(name: string, type: string): ResourceRecord[] {
    return this.sigs.get(canonicalName(name))?.get(type) ?? [];
  }

  exists(name: string): boolean {
    return this.existing.has(canonicalName(name));
  }

  /** The NSEC whose owner is the greatest at or before `name` (wrapping to the last). */
  nsecCovering(name: string): ResourceRecord | undefined {
    let found: ResourceRecord | undefined;
    for (const rr of this.nsecs) if (compareNames(rr.name, name) <= 0) found = rr;
    return found ?? this.nsecs[this.nsecs.length - 1];
  }

  nsecAt(name: string): ResourceRecord | undefined {
    return this.nsecs.find((rr) => namesEqual(rr.name, name));
  }

  private hashOf(name: string): Uint8Array {
    return nsec3Hash(name, this.nsec3Params!.salt, this.nsec3Params!.iterations);
  }

  nsec3Matching(name: string): ResourceRecord | undefined {
    if (!this.nsec3Params) return undefined;
    const h = this.hashOf(name);
    return this.nsec3s.find((e) => compareBytes(e.hash, h) === 0)?.rr;
  }

  nsec3Covering(name: string): ResourceRecord | undefined {
    if (!this.nsec3Params) return undefined;
    const h = this.hashOf(name);
    let found: Nsec3Entry | undefined;
    for (const e of this.nsec3s) if (compareBytes(e.hash, h) < 0) found = e;
    return (found ?? this.nsec3s[this.nsec3s.length - 1])?.rr;
  }

  /** Closest encloser with an NSEC3 (RFC 5155 §7.2.1) and the next closer name. */
  closestProvableEncloser(name: string): { encloser: string; nextCloser: string } | undefined {
    const labels = nameToLabels(name);
    const originCount = nameToLabels(this.origin).length;
    for (let k = labels.length - 1; k >= originCount; k--) {
      const candidate = labelsToName(labels.slice(labels.length - k));
      if (this.exists(candidate) && this.nsec3Matching(candidate)) {
        return { encloser: candidate, nextCloser: labelsToName(labels.slice(labels.length - k - 1)) };
      }
    }
    return undefined;
  }
}

const indexes = new WeakMap<ResourceRecord[], ZoneIndex>();

function indexOf(zone: AuthoritativeZone): ZoneIndex {
  let ix = indexes.get(zone.records);
  if (!ix) {
    ix = new ZoneIndex(zone);
    indexes.set(zone.records, ix);
  }
  return ix;
}

class Sections {
  answers: ResourceRecord[] = [];
  authorities: ResourceRecord[] = [];
  additionals: ResourceRecord[] = [];
  private readonly seen = new Set<string>();

  add(section: 'answers' | 'authorities' | 'additionals', rrs: ReadonlyArray<ResourceRecord> | undefined): void {
    for (const rr of rrs ?? []) {
      const key = `${section}|${canonicalName(rr.name)}|${rr.type}|${hexEncode(rr.rdata)}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this[section].push(rr);
    }
  }
}

const MAX_CNAME_HOPS = 8;

interface Context {
  zones: ZoneIndex[];
  dnssecOk: boolean;
  out: Sections;
  aa: boolean;
  rcode: 'NOERROR' | 'NXDOMAIN';
}

function pickZone(zones: ZoneIndex[], qname: string, qtype: string): ZoneIndex | undefined {
  const candidates = zones
    .filter((z) => isSubdomain(qname, z.origin))
    .sort((a, b) => nameToLabels(b.origin).length - nameToLabels(a.origin).length);
  if (qtype === 'DS' && candidates.length > 1 && namesEqual(candidates[0]!.origin, qname)) return candidates[1];
  return candidates[0];
}

function withSigs(ctx: Context, ix: ZoneIndex, section: 'answers' | 'authorities', rrs: ResourceRecord[] | undefined): void {
  if (!rrs || rrs.length === 0) return;
  ctx.out.add(section, rrs);
  if (ctx.dnssecOk) ctx.out.add(section, ix.signatures(rrs[0]!.name, typeToName(rrs[0]!.type)));
}

function addSoa(ctx: Context, ix: ZoneIndex): void {
  withSigs(ctx, ix, 'authorities', ix.rrset(ix.origin, 'SOA'));
}

/** NSEC3 closest-encloser proof for `name` (matching encloser, covering next closer). */
function nsec3EncloserProof(ctx: Context, ix: ZoneIndex, name: string): string | undefined {
  const ce = ix.closestProvableEncloser(name);
  if (!ce) return undefined;
  withSigs(ctx, ix, 'authorities', [ix.nsec3Matching(ce.encloser)!]);
  const cover = ix.nsec3Covering(ce.nextCloser);
  if (cover) withSigs(ctx, ix, 'authorities', [cover]);
  return ce.encloser;
}

/** Proof that `name` exists without `qtype` (NODATA), NSEC or NSEC3. */
function nodataProof(ctx: Context, ix: ZoneIndex, name: string): void {
  if (!ctx.dnssecOk) return;
  if (ix.nsecs.length > 0) {
    const at = ix.nsecAt(name);
    withSigs(ctx, ix, 'authorities', [at ?? ix.nsecCovering(name)!]); // an empty non-terminal is covered
    return;
  }
  const match = ix.nsec3Matching(name);
  if (match) withSigs(ctx, ix, 'authorities', [match]);
  else nsec3EncloserProof(ctx, ix, name); // opt-out: DS query for an unsigned delegation
}

function referral(ctx: Context, ix: ZoneIndex, cut: string): void {
  ctx.aa = false;
  const ns = ix.rrset(cut, 'NS')!;
  ctx.out.add('authorities', ns);
  const ds = ix.rrset(cut, 'DS');
  if (ds) {
    if (ctx.dnssecOk) withSigs(ctx, ix, 'authorities', ds);
  } else if (ctx.dnssecOk) {
    if (ix.nsecs.length > 0) {
      const at = ix.nsecAt(cut);
      if (at) withSigs(ctx, ix, 'authorities', [at]);
    } else {
      const match = ix.nsec3Matching(cut);
      if (match) withSigs(ctx, ix, 'authorities', [match]);
      else nsec3EncloserProof(ctx, ix, cut);
    }
  }
  for (const rr of ns) {
    const target = (decodeRdata('NS', rr.rdata) as { target: string }).target;
    if (!isSubdomain(target, cut)) continue;
    ctx.out.add('additionals', ix.rrset(target, 'A'));
    ctx.out.add('additionals', ix.rrset(target, 'AAAA'));
  }
}

function expand(rrs: ResourceRecord[], owner: string): ResourceRecord[] {
  return rrs.map((rr) => ({ ...rr, name: owner }));
}

function resolve(ctx: Context, qname: string, qtype: string, hops: number): void {
  const ix = pickZone(ctx.zones, qname, qtype);
  if (!ix) {
    if (hops === 0) throw new RefusedError();
    return; // a CNAME leaving our zones: the resolver follows it
  }
  // 1. A zone cut on the way down means a referral (except DS at the cut: the parent answers).
  const labels = nameToLabels(qname);
  const originCount = nameToLabels(ix.origin).length;
  for (let k = originCount + 1; k <= labels.length; k++) {
    const candidate = labelsToName(labels.slice(labels.length - k));
    if (!ix.cuts.has(canonicalName(candidate))) continue;
    if (k === labels.length && qtype === 'DS') break;
    if (hops === 0) referral(ctx, ix, candidate);
    return;
  }
  const follow = (cname: ResourceRecord[]) => {
    const target = (decodeRdata('CNAME', cname[0]!.rdata) as { target: string }).target;
    if (hops + 1 < MAX_CNAME_HOPS) resolve(ctx, target, qtype, hops + 1);
  };
  // 2. The name exists.
  if (ix.nodes.has(canonicalName(qname))) {
    const rrset = ix.rrset(qname, qtype);
    if (rrset) {
      withSigs(ctx, ix, 'answers', rrset);
      return;
    }
    const cname = ix.rrset(qname, 'CNAME');
    if (cname && qtype !== 'CNAME') {
      withSigs(ctx, ix, 'answers', cname);
      follow(cname);
      return;
    }
    addSoa(ctx, ix);
    nodataProof(ctx, ix, qname);
    return;
  }
  if (ix.exists(qname)) {
    // an empty non-terminal
    addSoa(ctx, ix);
    nodataProof(ctx, ix, qname);
    return;
  }
  // 3. Wildcard at the closest encloser, or NXDOMAIN.
  let ce = qname;
  do ce = labelsToName(nameToLabels(ce).slice(1));
  while (!ix.exists(ce) && nameToLabels(ce).length > originCount);
  const wild = wildcardOf(ce);
  const ceLabels = nameToLabels(ce).length;
  const nextCloser = labelsToName(labels.slice(labels.length - ceLabels - 1));
  const proveNoExactMatch = () => {
    if (!ctx.dnssecOk) return;
    if (ix.nsecs.length > 0) withSigs(ctx, ix, 'authorities', [ix.nsecCovering(qname)!]);
    else {
      const cover = ix.nsec3Covering(nextCloser);
      if (cover) withSigs(ctx, ix, 'authorities', [cover]);
    }
  };
  if (ix.nodes.has(canonicalName(wild))) {
    const rrset = ix.rrset(wild, qtype) ?? (qtype !== 'CNAME' ? ix.rrset(wild, 'CNAME') : undefined);
    if (rrset) {
      ctx.out.add('answers', expand(rrset, qname));
      if (ctx.dnssecOk) ctx.out.add('answers', expand(ix.signatures(wild, typeToName(rrset[0]!.type)), qname));
      proveNoExactMatch();
      if (rrset[0]!.type === 'CNAME' && qtype !== 'CNAME') follow(rrset);
      return;
    }
    addSoa(ctx, ix);
    if (ctx.dnssecOk) {
      if (ix.nsecs.length > 0) {
        withSigs(ctx, ix, 'authorities', [ix.nsecAt(wild)!]);
        proveNoExactMatch();
      } else {
        nsec3EncloserProof(ctx, ix, qname);
        const m = ix.nsec3Matching(wild);
        if (m) withSigs(ctx, ix, 'authorities', [m]);
      }
    }
    return;
  }
  ctx.rcode = 'NXDOMAIN';
  addSoa(ctx, ix);
  if (!ctx.dnssecOk) return;
  if (ix.nsecs.length > 0) {
    withSigs(ctx, ix, 'authorities', [ix.nsecCovering(qname)!]);
    withSigs(ctx, ix, 'authorities', [ix.nsecCovering(wild)!]);
  } else {
    nsec3EncloserProof(ctx, ix, qname);
    const cover = ix.nsec3Covering(wild);
    if (cover) withSigs(ctx, ix, 'authorities', [cover]);
  }
}

class RefusedError extends Error {}

/** The response (as a message object) to a decoded query. */
export function answerQuery(zones: ReadonlyArray<AuthoritativeZone>, query: DnsMessage): DnsMessageInput {
  const base: DnsMessageInput = {
    id: query.id,
    flags: { qr: true, opcode: query.flags.opcode, rd: query.flags.rd, cd: query.flags.cd },
    question: query.question,
  };
  if (query.edns) base.edns = { udpSize: 1232, dnssecOk: query.edns.dnssecOk, version: 0 };
  if (query.flags.qr) return { ...base, rcode: 'FORMERR' };
  if (query.flags.opcode !== 0) return { ...base, rcode: 'NOTIMP' };
  if (query.question.length !== 1) return { ...base, rcode: 'FORMERR' };
  const q = query.question[0]!;
  if (q.class !== 'IN') return { ...base, rcode: 'REFUSED' };
  if (['AXFR', 'IXFR', 'ANY'].includes(q.type)) return { ...base, rcode: 'NOTIMP' };
  const ctx: Context = { zones: zones.map(indexOf), dnssecOk: query.edns?.dnssecOk ?? false, out: new Sections(), aa: true, rcode: 'NOERROR' };
  try {
    resolve(ctx, normalizeName(q.name), q.type, 0);
  } catch (e) {
    if (e instanceof RefusedError) return { ...base, rcode: 'REFUSED' };
    throw e;
  }
  return {
    ...base,
    flags: { ...base.flags, aa: ctx.aa },
    rcode: ctx.rcode,
    answers: ctx.out.answers,
    authorities: ctx.out.authorities,
    additionals: ctx.out.additionals,
  };
}

/**
 * Answers one wire query from the zones. A query too short to hold a header is BAD_INPUT (drop it);
 * any other malformed query gets FORMERR.
 */
export function answerFromZones(zones: ReadonlyArray<AuthoritativeZone>, query: Uint8Array, options: AnswerOptions = {}): Uint8Array {
  if (query.length < 12) throw badInput(`DNS query: ${query.length} bytes, shorter than a header`);
  let message: DnsMessage;
  try {
    message = decodeMessage(query);
  } catch {
    const id = (query[0]! << 8) | query[1]!;
    return encodeResponse({ id, rcode: 'FORMERR', flags: { opcode: (query[2]! >> 3) & 0xf } });
  }
  const response = answerQuery(zones, message);
  let maxSize: number | undefined;
  if (options.udp) maxSize = message.edns ? Math.max(512, Math.min(message.edns.udpSize, 1232)) : 512;
  return encodeResponse(response, maxSize === undefined ? {} : { maxSize });
}

/** NSEC3 owner label of `name` under a zone's parameters (handy for tests and debugging). */
export function nsec3OwnerOf(name: string, origin: string, salt: Uint8Array, iterations: number): string {
  return `${base32hexEncode(nsec3Hash(name, salt, iterations))}.${normalizeName(origin) === '.' ? '' : normalizeName(origin)}`;
}

/**
 * A `DnsTransport` answering from in-memory zones (offline tests, the lab in-process): each query is
 * encoded, answered by `answerFromZones` and handed back as wire bytes, exactly as a server would.
 */
export function createZoneTransport(zones: ReadonlyArray<AuthoritativeZone> | (() => ReadonlyArray<AuthoritativeZone>)): DnsTransport & { queries: DnsQuery[] } {
  let nextId = 1;
  const queries: DnsQuery[] = [];
  return {
    queries,
    async query(q: DnsQuery): Promise<Uint8Array> {
      queries.push(q);
      const id = nextId++ & 0xffff;
      const list = typeof zones === 'function' ? zones() : zones;
      return answerFromZones(list, encodeQuery({ id, name: q.name, type: q.type }));
    },
  };
}

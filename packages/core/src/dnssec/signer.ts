/**
 * A zone signer for tests and the lab (RFC 4035 §2, RFC 5155 §7.1): DNSKEY RRset, RRSIGs over every
 * authoritative RRset, and an NSEC or NSEC3 chain (with NSEC3PARAM and optional opt-out). KSKs
 * (flags 257) sign the DNSKEY RRset, ZSKs (flags 256) everything else; with only one kind of key,
 * that kind signs everything.
 */
import type { KeyObject } from 'node:crypto';
import { badInput } from '../errors/dime-error.js';
import { bytesEqual, compareBytes } from '../bytes/encoding.js';
import {
  compareNames,
  isSubdomain,
  labelsToName,
  nameToLabels,
  namesEqual,
  normalizeName,
  canonicalName,
} from '../dns/name.js';
import { decodeRdata, decodeSoa, encodeDnskey, encodeNsec, encodeNsec3, encodeNsec3Param, encodeRrsig } from '../dns/rdata.js';
import { typeToName } from '../dns/types.js';
import type { ResourceRecord, RrsigFields } from '../dns/record.js';
import { dnskeyPublicKey, generateDnssecKey, signData } from './algorithms.js';
import { ownerLabelCount, signedData } from './canonical.js';
import { keyTag } from './key-tag.js';
import { nsec3Hash } from './nsec3-hash.js';
import { base32hexEncode } from '../dns/base32hex.js';
import { toSerialTime } from './serial-time.js';

export interface ZoneKey {
  algorithm: number;
  /** 257 for a KSK (zone + SEP), 256 for a ZSK. */
  flags: number;
  privateKey: KeyObject;
}

export interface SignZoneOptions {
  origin: string;
  keys: ZoneKey[];
  inception: Date | number;
  expiration: Date | number;
  nsec?: 'nsec' | 'nsec3';
  nsec3?: { iterations?: number; salt?: Uint8Array; optOut?: boolean };
  /** TTL of the DNSKEY RRset (default: the SOA TTL). */
  dnskeyTtl?: number;
}

/** A fresh key of the given algorithm (8/10/13/14/15/16). */
export function generateZoneKey(algorithm: number, flags: 256 | 257 = 256, rsaBits = 2048): ZoneKey {
  return { algorithm, flags, privateKey: generateDnssecKey(algorithm, rsaBits) };
}

/** DNSKEY RDATA of a zone key (protocol 3). */
export function dnskeyRdataOf(key: ZoneKey): Uint8Array {
  return encodeDnskey({ flags: key.flags, protocol: 3, algorithm: key.algorithm, publicKey: dnskeyPublicKey(key.algorithm, key.privateKey) });
}

/** The DNSKEY record of a zone key. */
export function dnskeyRecordOf(origin: string, key: ZoneKey, ttl = 3600): ResourceRecord {
  const rdata = dnskeyRdataOf(key);
  return { name: normalizeName(origin), type: 'DNSKEY', class: 'IN', ttl, rdata, data: decodeRdata('DNSKEY', rdata)! };
}

const DNSSEC_TYPES = new Set(['RRSIG', 'NSEC', 'NSEC3', 'NSEC3PARAM']);

function serial(t: Date | number): number {
  return typeof t === 'number' ? t >>> 0 : toSerialTime(t);
}


/** RRSIG over one RRset by one key. */
export function signRrset(rrset: ReadonlyArray<ResourceRecord>, key: ZoneKey, signer: string, inception: Date | number, expiration: Date | number): ResourceRecord {
  const first = rrset[0];
  if (!first) throw badInput('signRrset: empty RRset');
  const fields: RrsigFields = {
    typeCovered: typeToName(first.type),
    algorithm: key.algorithm,
    labels: ownerLabelCount(first.name),
    originalTtl: first.ttl,
    expiration: serial(expiration),
    inception: serial(inception),
    keyTag: keyTag(dnskeyRdataOf(key)),
    signerName: normalizeName(signer),
    signature: new Uint8Array(0),
  };
  fields.signature = signData(key.algorithm, key.privateKey, signedData(fields, rrset));
  const rdata = encodeRrsig(fields);
  return { name: first.name, type: 'RRSIG', class: first.class, ttl: first.ttl, rdata, data: decodeRdata('RRSIG', rdata)! };
}

interface NameNode {
  name: string;
  rrsets: Map<string, ResourceRecord[]>;
}

/**
 * Signs a zone. `records` are the zone's unsigned records (any existing RRSIG/NSEC/NSEC3/NSEC3PARAM
 * are dropped and rebuilt; DNSKEYs given are kept beside the keys' own). Returns every record of
 * the signed zone in canonical order.
 */
export function signZone(records: ReadonlyArray<ResourceRecord>, options: SignZoneOptions): ResourceRecord[] {
  const origin = normalizeName(options.origin);
  if (options.keys.length === 0) throw badInput('signZone: no keys');
  const soaRecord = records.find((r) => r.type === 'SOA' && namesEqual(r.name, origin));
  if (!soaRecord) throw badInput(`signZone: no SOA at ${origin}`);
  const soaMinimum = Math.min(decodeSoa(soaRecord.rdata).minimum, soaRecord.ttl);
  const nodes = new Map<string, NameNode>();
  const add = (rr: ResourceRecord) => {
    if (!isSubdomain(rr.name, origin)) throw badInput(`signZone: ${rr.name} is outside ${origin}`);
    const key = canonicalName(rr.name);
    let node = nodes.get(key);
    if (!node) nodes.set(key, (node = { name: rr.name, rrsets: new Map() }));
    const type = typeToName(rr.type);
    const set = node.rrsets.get(type) ?? [];
    if (!set.some((x) => bytesEqual(x.rdata, rr.rdata))) set.push({ ...rr, type });
    node.rrsets.set(type, set);
  };
  for (const rr of records) if (!DNSSEC_TYPES.has(typeToName(rr.type))) add(rr);
  const dnskeyTtl = options.dnskeyTtl ?? soaRecord.ttl;
  for (const key of options.keys) add(dnskeyRecordOf(origin, key, dnskeyTtl));
  // RRset TTLs must agree (RFC 2181 §5.2): use the smallest.
  for (const node of nodes.values()) {
    for (const set of node.rrsets.values()) {
      const ttl = Math.min(...set.map((r) => r.ttl));
      for (const r of set) r.ttl = ttl;
    }
  }
  const apexName = nodes.get(canonicalName(origin))!.name; // the zone's own spelling of its apex
  // Delegation points and the glue under them.
  const cuts = [...nodes.values()].filter((n) => n.rrsets.has('NS') && !namesEqual(n.name, origin)).map((n) => n.name);
  const below = (name: string) => cuts.some((c) => !namesEqual(name, c) && isSubdomain(name, c));
  const isCut = (name: string) => cuts.some((c) => namesEqual(name, c));
  const authoritative = [...nodes.values()].filter((n) => !below(n.name)).sort((a, b) => compareNames(a.name, b.name));

  const ksks = options.keys.filter((k) => k.flags & 1);
  const zsks = options.keys.filter((k) => !(k.flags & 1));
  const dnskeySigners = ksks.length ? ksks : zsks;
  const dataSigners = zsks.length ? zsks : ksks;
  const out: ResourceRecord[] = [];
  const sign = (set: ResourceRecord[], signers: ZoneKey[]) => {
    for (const k of signers) out.push(signRrset(set, k, origin, options.inception, options.expiration));
  };

  // The denial chain.
  const chain: ResourceRecord[] = [];
  if ((options.nsec ?? 'nsec') === 'nsec') {
    authoritative.forEach((node, i) => {
      const next = authoritative[(i + 1) % authoritative.length]!;
      const types = [...node.rrsets.keys(), 'NSEC', 'RRSIG']; // the NSEC itself is always signed
      const rdata = encodeNsec({ nextDomain: next.name, types });
      chain.push({ name: node.name, type: 'NSEC', class: 'IN', ttl: soaMinimum, rdata, data: decodeRdata('NSEC', rdata)! });
    });
  } else {
    const iterations = options.nsec3?.iterations ?? 0;
    const salt = options.nsec3?.salt ?? new Uint8Array(0);
    const optOut = options.nsec3?.optOut ?? false;
    const entries = new Map<string, { hash: Uint8Array; types: string[] }>();
    const addHashed = (name: string, types: string[]) => {
      const hash = nsec3Hash(name, salt, iterations);
      const key = base32hexEncode(hash);
      const existing = entries.get(key);
      if (existing) existing.types = [...new Set([...existing.types, ...types])];
      else entries.set(key, { hash, types });
    };
    const originLabels = nameToLabels(origin).length;
    for (const node of authoritative) {
      const cut = isCut(node.name);
      if (cut && optOut && !node.rrsets.has('DS')) continue; // opt-out: unsigned delegations are left out
      const types = [...node.rrsets.keys()];
      if (!cut || node.rrsets.has('DS')) types.push('RRSIG');
      if (namesEqual(node.name, origin)) types.push('NSEC3PARAM', 'RRSIG');
      addHashed(node.name, types);
      // empty non-terminals between the origin and this name
      const labels = nameToLabels(node.name);
      for (let k = labels.length - 1; k > originLabels; k--) {
        const ent = labelsToName(labels.slice(labels.length - k));
        if (!nodes.has(canonicalName(ent))) addHashed(ent, []);
      }
    }
    const sorted = [...entries.values()].sort((a, b) => compareBytes(a.hash, b.hash));
    sorted.forEach((e, i) => {
      const next = sorted[(i + 1) % sorted.length]!;
      const rdata = encodeNsec3({ hashAlgorithm: 1, flags: optOut ? 1 : 0, iterations, salt, nextHashed: next.hash, types: [...new Set(e.types)] });
      chain.push({ name: `${base32hexEncode(e.hash)}.${apexName === '.' ? '' : apexName}`, type: 'NSEC3', class: 'IN', ttl: soaMinimum, rdata, data: decodeRdata('NSEC3', rdata)! });
    });
    const paramRdata = encodeNsec3Param({ hashAlgorithm: 1, flags: 0, iterations, salt });
    const param: ResourceRecord = { name: apexName, type: 'NSEC3PARAM', class: 'IN', ttl: 0, rdata: paramRdata, data: decodeRdata('NSEC3PARAM', paramRdata)! };
    const apex = nodes.get(canonicalName(origin))!;
    apex.rrsets.set('NSEC3PARAM', [param]);
  }

  for (const node of [...nodes.values()].sort((a, b) => compareNames(a.name, b.name))) {
    const glue = below(node.name);
    const cut = isCut(node.name);
    for (const [type, set] of node.rrsets) {
      out.push(...set);
      if (glue) continue;
      if (cut && type !== 'DS') continue; // NS and glue at a cut belong to the child
      sign(set, type === 'DNSKEY' ? dnskeySigners : dataSigners);
    }
  }
  for (const rr of chain) {
    out.push(rr);
    sign([rr], dataSigners);
  }
  // Stable sort: by owner in canonical order, records of one owner keep their order (RRsets, then RRSIGs).
  return out.sort((a, b) => compareNames(a.name, b.name));
}

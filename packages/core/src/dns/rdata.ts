/**
 * RDATA codecs: expansion of compressed names out of a message, the DNSSEC canonical form of RDATA
 * (RFC 4034 §6.2 as amended by RFC 6840 §5.1), field decoders/encoders for the types DNSSEC and
 * DIME need, and presentation formatting (RFC 1035 §5.1, RFC 3597 §5 for unknown types).
 */
import { badInput } from '../errors/dime-error.js';
import { ByteReader } from '../bytes/reader.js';
import { ByteWriter } from '../bytes/writer.js';
import { base64Encode, concatBytes, hexEncode } from '../bytes/encoding.js';
import { labelsToName, labelsToWire, nameToWire, readWireName } from './name.js';
import { typeToCode, typeToName, classToName } from './types.js';
import { decodeTypeBitmap, encodeTypeBitmap } from './type-bitmap.js';
import { base32hexEncode } from './base32hex.js';
import type {
  DnskeyFields,
  DsFields,
  Nsec3Fields,
  Nsec3ParamFields,
  NsecFields,
  RdataFields,
  ResourceRecord,
  RrsigFields,
  SoaFields,
} from './record.js';

/** One RDATA field: a fixed number of bytes, a domain name, a character-string, or the rest. */
type FieldKind = number | 'name' | 'str' | 'rest';

const NAME_LAYOUTS = new Map<number, FieldKind[]>([
  [2, ['name']], // NS
  [3, ['name']], // MD
  [4, ['name']], // MF
  [5, ['name']], // CNAME
  [6, ['name', 'name', 20]], // SOA
  [7, ['name']], // MB
  [8, ['name']], // MG
  [9, ['name']], // MR
  [12, ['name']], // PTR
  [14, ['name', 'name']], // MINFO
  [15, [2, 'name']], // MX
  [17, ['name', 'name']], // RP
  [18, [2, 'name']], // AFSDB
  [21, [2, 'name']], // RT
  [24, [18, 'name', 'rest']], // SIG
  [26, [2, 'name', 'name']], // PX
  [30, ['name', 'rest']], // NXT
  [33, [6, 'name']], // SRV
  [35, [4, 'str', 'str', 'str', 'name']], // NAPTR
  [36, [2, 'name']], // KX
  [39, ['name']], // DNAME
  [46, [18, 'name', 'rest']], // RRSIG
  [47, ['name', 'rest']], // NSEC
]);

/** Types whose RDATA names are lower-cased in canonical form: RFC 4034 §6.2 minus NSEC (RFC 6840 §5.1). */
const CANONICAL_LOWERCASE = new Set([2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 15, 17, 18, 21, 24, 26, 30, 33, 35, 36, 39, 46]);

function walk(src: Uint8Array, start: number, end: number, layout: FieldKind[], allowPointers: boolean, lowercase: boolean, what: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let pos = start;
  for (const field of layout) {
    if (typeof field === 'number') {
      if (pos + field > end) throw badInput(`${what}: truncated RDATA`);
      parts.push(src.subarray(pos, pos + field));
      pos += field;
    } else if (field === 'str') {
      if (pos >= end || pos + 1 + src[pos]! > end) throw badInput(`${what}: truncated character-string`);
      parts.push(src.subarray(pos, pos + 1 + src[pos]!));
      pos += 1 + src[pos]!;
    } else if (field === 'rest') {
      parts.push(src.subarray(pos, end));
      pos = end;
    } else {
      const { labels, end: after } = readWireName(src, pos, allowPointers, end);
      parts.push(labelsToWire(labels, lowercase));
      pos = after;
    }
  }
  if (pos !== end) throw badInput(`${what}: ${end - pos} trailing bytes in RDATA`);
  return concatBytes(...parts);
}

/**
 * RDATA of length `length` at `offset` of a whole message, with compressed names expanded
 * (RFC 3597 §4 lists the types whose names may be compressed; we expand for all layouts we know).
 */
export function expandRdata(message: Uint8Array, offset: number, length: number, type: number): Uint8Array {
  const layout = NAME_LAYOUTS.get(type);
  const what = typeToName(type);
  if (offset + length > message.length) throw badInput(`${what}: RDATA overruns the message`);
  if (!layout) return message.slice(offset, offset + length);
  return walk(message, offset, offset + length, layout, true, false, what);
}

/** Canonical RDATA (RFC 4034 §6.2 item 3, RFC 6840 §5.1): embedded names lower-cased where required. */
export function canonicalRdata(type: string | number, rdata: Uint8Array): Uint8Array {
  const code = typeToCode(type);
  const layout = NAME_LAYOUTS.get(code);
  if (!layout || !CANONICAL_LOWERCASE.has(code)) return rdata;
  return walk(rdata, 0, rdata.length, layout, false, true, typeToName(code));
}

/** Checks that an uncompressed RDATA is well formed for its layout (names, lengths). */
export function checkRdata(type: string | number, rdata: Uint8Array): void {
  const code = typeToCode(type);
  const layout = NAME_LAYOUTS.get(code);
  if (layout) walk(rdata, 0, rdata.length, layout, false, false, typeToName(code));
}

// ---------------------------------------------------------------------------------------------
// Addresses

export function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes).join('.');
}

export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first if tied.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

export function parseIpv4(text: string, what = 'A'): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) {
    throw badInput(`${what}: bad IPv4 address ${JSON.stringify(text)}`);
  }
  return Uint8Array.from(parts.map(Number));
}

export function parseIpv6(text: string, what = 'AAAA'): Uint8Array {
  const fail = () => badInput(`${what}: bad IPv6 address ${JSON.stringify(text)}`);
  let body = text;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(body.slice(lastColon + 1), what);
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    body = body.slice(0, lastColon + 1) + (body.endsWith('::' + body.slice(lastColon + 1)) ? '' : '0');
    if (body.endsWith(':0')) body = body.slice(0, -2);
    else if (!body.endsWith('::')) throw fail();
  }
  const halves = body.split('::');
  if (halves.length > 2) throw fail();
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw fail();
    return parseInt(g, 16);
  }));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const want = 8 - tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + rest.length > want - 1) throw fail();
    groups = [...head, ...new Array<number>(want - head.length - rest.length).fill(0), ...rest];
  } else {
    if (head.length !== want) throw fail();
    groups = head;
  }
  groups.push(...tail);
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Field decoders (uncompressed RDATA)

function readName(r: ByteReader, what: string): string {
  const { labels, end } = readWireName(r.bytes, r.offset, false, r.bytes.length);
  r.offset = end;
  if (end > r.bytes.length) throw badInput(`${what}: truncated name`);
  return labelsToName(labels);
}

/** The character-strings of a TXT RDATA, in order (RFC 1035 §3.3.14). */
export function txtStrings(rdata: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = 0;
  while (pos < rdata.length) {
    const len = rdata[pos]!;
    if (pos + 1 + len > rdata.length) throw badInput('TXT: truncated character-string');
    out.push(rdata.slice(pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  if (rdata.length === 0) throw badInput('TXT: empty RDATA');
  return out;
}

export function decodeSoa(rdata: Uint8Array): SoaFields {
  const r = new ByteReader(rdata);
  const mname = readName(r, 'SOA mname');
  const rname = readName(r, 'SOA rname');
  const f = { mname, rname, serial: r.u32('SOA serial'), refresh: r.u32('SOA refresh'), retry: r.u32('SOA retry'), expire: r.u32('SOA expire'), minimum: r.u32('SOA minimum') };
  r.finish('SOA');
  return f;
}

export function decodeDs(rdata: Uint8Array): DsFields {
  const r = new ByteReader(rdata);
  const f = { keyTag: r.u16('DS key tag'), algorithm: r.u8('DS algorithm'), digestType: r.u8('DS digest type'), digest: r.rest().slice() };
  if (f.digest.length === 0) throw badInput('DS: empty digest');
  return f;
}

export function decodeDnskey(rdata: Uint8Array): DnskeyFields {
  const r = new ByteReader(rdata);
  const f = { flags: r.u16('DNSKEY flags'), protocol: r.u8('DNSKEY protocol'), algorithm: r.u8('DNSKEY algorithm'), publicKey: r.rest().slice() };
  return f;
}

export function decodeRrsig(rdata: Uint8Array): RrsigFields {
  const r = new ByteReader(rdata);
  const typeCovered = typeToName(r.u16('RRSIG type covered'));
  const algorithm = r.u8('RRSIG algorithm');
  const labels = r.u8('RRSIG labels');
  const originalTtl = r.u32('RRSIG original TTL');
  const expiration = r.u32('RRSIG expiration');
  const inception = r.u32('RRSIG inception');
  const keyTag = r.u16('RRSIG key tag');
  const signerName = readName(r, 'RRSIG signer');
  const signature = r.rest().slice();
  if (signature.length === 0) throw badInput('RRSIG: empty signature');
  return { typeCovered, algorithm, labels, originalTtl, expiration, inception, keyTag, signerName, signature };
}

export function decodeNsec(rdata: Uint8Array): NsecFields {
  const r = new ByteReader(rdata);
  const nextDomain = readName(r, 'NSEC next domain');
  return { nextDomain, types: decodeTypeBitmap(r.rest(), 'NSEC type bitmap').map((c) => typeToName(c)) };
}

export function decodeNsec3Param(rdata: Uint8Array): Nsec3ParamFields {
  const r = new ByteReader(rdata);
  const hashAlgorithm = r.u8('NSEC3PARAM hash algorithm');
  const flags = r.u8('NSEC3PARAM flags');
  const iterations = r.u16('NSEC3PARAM iterations');
  const salt = r.take(r.u8('NSEC3PARAM salt length'), 'NSEC3PARAM salt').slice();
  r.finish('NSEC3PARAM');
  return { hashAlgorithm, flags, iterations, salt };
}

export function decodeNsec3(rdata: Uint8Array): Nsec3Fields {
  const r = new ByteReader(rdata);
  const hashAlgorithm = r.u8('NSEC3 hash algorithm');
  const flags = r.u8('NSEC3 flags');
  const iterations = r.u16('NSEC3 iterations');
  const salt = r.take(r.u8('NSEC3 salt length'), 'NSEC3 salt').slice();
  const hashLength = r.u8('NSEC3 hash length');
  if (hashLength === 0) throw badInput('NSEC3: empty next hashed owner');
  const nextHashed = r.take(hashLength, 'NSEC3 next hashed owner').slice();
  const types = decodeTypeBitmap(r.rest(), 'NSEC3 type bitmap').map((c) => typeToName(c));
  return { hashAlgorithm, flags, iterations, salt, nextHashed, types };
}

/** Decoded fields for the types listed in `RdataFields`; undefined for other types. Throws on malformed RDATA. */
export function decodeRdata(type: string | number, rdata: Uint8Array): RdataFields | undefined {
  const code = typeToCode(type);
  const what = typeToName(code);
  switch (code) {
    case 1:
      if (rdata.length !== 4) throw badInput(`A: RDATA of ${rdata.length} bytes, expected 4`);
      return { address: formatIpv4(rdata) };
    case 28:
      if (rdata.length !== 16) throw badInput(`AAAA: RDATA of ${rdata.length} bytes, expected 16`);
      return { address: formatIpv6(rdata) };
    case 2: case 3: case 4: case 5: case 7: case 8: case 9: case 12: case 39:
      return { target: wireNameOnly(rdata, what) };
    case 6:
      return decodeSoa(rdata);
    case 15: {
      const r = new ByteReader(rdata);
      const preference = r.u16('MX preference');
      const exchange = readName(r, 'MX exchange');
      r.finish('MX');
      return { preference, exchange };
    }
    case 33: {
      const r = new ByteReader(rdata);
      const f = { priority: r.u16('SRV priority'), weight: r.u16('SRV weight'), port: r.u16('SRV port'), target: readName(r, 'SRV target') };
      r.finish('SRV');
      return f;
    }
    case 16: case 99:
      return { strings: txtStrings(rdata) };
    case 43: case 59:
      return decodeDs(rdata);
    case 48: case 60:
      return decodeDnskey(rdata);
    case 46:
      return decodeRrsig(rdata);
    case 47:
      return decodeNsec(rdata);
    case 50:
      return decodeNsec3(rdata);
    case 51:
      return decodeNsec3Param(rdata);
    default:
      return undefined;
  }
}

function wireNameOnly(rdata: Uint8Array, what: string): string {
  const r = new ByteReader(rdata);
  const name = readName(r, what);
  r.finish(what);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Field encoders

export function encodeSoa(f: SoaFields): Uint8Array {
  return new ByteWriter().bytes(nameToWire(f.mname)).bytes(nameToWire(f.rname)).u32(f.serial).u32(f.refresh).u32(f.retry).u32(f.expire).u32(f.minimum).finish();
}

export function encodeDs(f: DsFields): Uint8Array {
  return new ByteWriter().u16(f.keyTag).u8(f.algorithm).u8(f.digestType).bytes(f.digest).finish();
}

export function encodeDnskey(f: DnskeyFields): Uint8Array {
  return new ByteWriter().u16(f.flags).u8(f.protocol).u8(f.algorithm).bytes(f.publicKey).finish();
}

/** RRSIG RDATA; with `withoutSignature` the prefix that starts the signed data (RFC 4034 §3.1.8.1, signer lower-cased). */
export function encodeRrsig(f: RrsigFields, withoutSignature = false): Uint8Array {
  const w = new ByteWriter()
    .u16(typeToCode(f.typeCovered)).u8(f.algorithm).u8(f.labels).u32(f.originalTtl)
    .u32(f.expiration >>> 0).u32(f.inception >>> 0).u16(f.keyTag)
    .bytes(nameToWire(f.signerName, withoutSignature));
  if (!withoutSignature) w.bytes(f.signature);
  return w.finish();
}

export function encodeNsec(f: NsecFields): Uint8Array {
  return concatBytes(nameToWire(f.nextDomain), encodeTypeBitmap(f.types));
}

export function encodeNsec3Param(f: Nsec3ParamFields): Uint8Array {
  return new ByteWriter().u8(f.hashAlgorithm).u8(f.flags).u16(f.iterations).u8(f.salt.length).bytes(f.salt).finish();
}

export function encodeNsec3(f: Nsec3Fields): Uint8Array {
  return new ByteWriter()
    .u8(f.hashAlgorithm).u8(f.flags).u16(f.iterations).u8(f.salt.length).bytes(f.salt)
    .u8(f.nextHashed.length).bytes(f.nextHashed).bytes(encodeTypeBitmap(f.types)).finish();
}

/** TXT RDATA from strings of at most 255 bytes each. */
export function encodeTxt(strings: ReadonlyArray<Uint8Array>): Uint8Array {
  const w = new ByteWriter();
  if (strings.length === 0) throw badInput('TXT: no character-strings');
  for (const s of strings) {
    if (s.length > 255) throw badInput(`TXT: character-string of ${s.length} bytes (max 255)`);
    w.u8(s.length).bytes(s);
  }
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// Presentation

/** A character-string in quotes, with `"` and `\` escaped and non-printable bytes as `\DDD`. */
export function formatCharacterString(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b < 0x20 || b >= 0x7f) out += '\\' + String(b).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

function generic(rdata: Uint8Array): string {
  return rdata.length === 0 ? '\\# 0' : `\\# ${rdata.length} ${hexEncode(rdata).toUpperCase()}`;
}

/** Serial time (RFC 4034 §3.2): YYYYMMDDHHmmSS in UTC. */
export function formatRrsigTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** RDATA in presentation form; unknown or malformed RDATA falls back to RFC 3597 `\# len hex`. */
export function formatRdata(type: string | number, rdata: Uint8Array): string {
  const code = typeToCode(type);
  let fields: RdataFields | undefined;
  try {
    fields = decodeRdata(code, rdata);
  } catch {
    return generic(rdata);
  }
  if (!fields) return generic(rdata);
  switch (code) {
    case 1: case 28:
      return (fields as { address: string }).address;
    case 6: {
      const f = fields as SoaFields;
      return `${f.mname} ${f.rname} ${f.serial} ${f.refresh} ${f.retry} ${f.expire} ${f.minimum}`;
    }
    case 15: {
      const f = fields as { preference: number; exchange: string };
      return `${f.preference} ${f.exchange}`;
    }
    case 33: {
      const f = fields as { priority: number; weight: number; port: number; target: string };
      return `${f.priority} ${f.weight} ${f.port} ${f.target}`;
    }
    case 16: case 99:
      return (fields as { strings: Uint8Array[] }).strings.map(formatCharacterString).join(' ');
    case 43: case 59: {
      const f = fields as DsFields;
      return `${f.keyTag} ${f.algorithm} ${f.digestType} ${hexEncode(f.digest).toUpperCase()}`;
    }
    case 48: case 60: {
      const f = fields as DnskeyFields;
      return `${f.flags} ${f.protocol} ${f.algorithm} ${base64Encode(f.publicKey)}`;
    }
    case 46: {
      const f = fields as RrsigFields;
      return `${f.typeCovered} ${f.algorithm} ${f.labels} ${f.originalTtl} ${formatRrsigTime(f.expiration)} ${formatRrsigTime(f.inception)} ${f.keyTag} ${f.signerName} ${base64Encode(f.signature)}`;
    }
    case 47: {
      const f = fields as NsecFields;
      return [f.nextDomain, ...f.types].join(' ');
    }
    case 50: {
      const f = fields as Nsec3Fields;
      const salt = f.salt.length ? hexEncode(f.salt).toUpperCase() : '-';
      return [f.hashAlgorithm, f.flags, f.iterations, salt, base32hexEncode(f.nextHashed).toUpperCase(), ...f.types].join(' ');
    }
    case 51: {
      const f = fields as Nsec3ParamFields;
      return `${f.hashAlgorithm} ${f.flags} ${f.iterations} ${f.salt.length ? hexEncode(f.salt).toUpperCase() : '-'}`;
    }
    default:
      return (fields as { target: string }).target;
  }
}

/** One zone-file line: `owner TTL CLASS TYPE RDATA`. */
export function formatRecord(rr: ResourceRecord): string {
  return `${rr.name} ${rr.ttl} ${classToName(rr.class)} ${typeToName(rr.type)} ${formatRdata(rr.type, rr.rdata)}`;
}

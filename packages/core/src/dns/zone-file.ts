/**
 * Zone-file reader (RFC 1035 §5, RFC 3597 §5 generic RDATA). Handles `$ORIGIN`, `$TTL`, `@`,
 * relative names, omitted owner/TTL/class, parentheses across lines, comments, quoted strings with
 * `\"`, `\\` and `\DDD`, several strings per TXT, BIND TTL units (`1h30m`) and RRSIG times in either
 * YYYYMMDDHHmmSS or seconds. Returns records with wire RDATA. Every error names the line.
 */
import { DimeError, badInput } from '../errors/dime-error.js';
import { ByteWriter } from '../bytes/writer.js';
import { base64Decode, concatBytes, hexDecode, utf8Encode } from '../bytes/encoding.js';
import { labelsToName, labelsToWire, parseNameLabels } from './name.js';
import { algorithmToCode, classToName, isClassName, typeToCode, typeToName } from './types.js';
import { checkRdata, decodeRdata, encodeTxt, parseIpv4, parseIpv6 } from './rdata.js';
import { encodeTypeBitmap } from './type-bitmap.js';
import { base32hexDecode } from './base32hex.js';
import type { ResourceRecord } from './record.js';

export interface ZoneFileOptions {
  /** Initial `$ORIGIN` (absolute). Without it, relative names are an error until `$ORIGIN` appears. */
  origin?: string;
  /** TTL for records that give none before any `$TTL`. */
  defaultTtl?: number;
  /** Decode `data` for each record (default true). */
  decode?: boolean;
}

interface Token {
  text: string;
  quoted: boolean;
}

interface Entry {
  line: number;
  ownerOmitted: boolean;
  tokens: Token[];
}

/** Splits the text into logical entries (parentheses joined, comments removed). */
function tokenize(text: string): Entry[] {
  const entries: Entry[] = [];
  let line = 1;
  let depth = 0;
  let parenLine = 0;
  let current = null as Entry | null;
  let atLineStart = true;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      atLineStart = true;
      if (depth === 0 && current) {
        if (current.tokens.length > 0) entries.push(current);
        current = null;
      }
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      if (atLineStart && depth === 0 && !current) current = { line, ownerOmitted: true, tokens: [] };
      atLineStart = false;
      i++;
      continue;
    }
    atLineStart = false;
    if (ch === ';') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (!current) current = { line, ownerOmitted: false, tokens: [] };
    if (ch === '(') {
      if (depth === 0) parenLine = line;
      depth++;
      i++;
      continue;
    }
    if (ch === ')') {
      if (depth === 0) throw badInput(`line ${line}: ')' without '('`);
      depth--;
      i++;
      continue;
    }
    if (ch === '"') {
      // Runs between escapes are sliced, not appended a character at a time (big signed zones).
      let j = i + 1;
      let raw = '';
      let run = j;
      for (;;) {
        if (j >= n || text[j] === '\n' || text[j] === '\r') throw badInput(`line ${line}: unterminated quoted string`);
        const c = text[j]!;
        if (c === '\\') {
          if (j + 1 >= n) throw badInput(`line ${line}: dangling backslash`);
          raw += text.slice(run, j) + c + text[j + 1];
          j += 2;
          run = j;
          continue;
        }
        if (c === '"') break;
        j++;
      }
      current.tokens.push({ text: raw + text.slice(run, j), quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    let raw = '';
    let run = j;
    while (j < n) {
      const c = text[j]!;
      if (c === '\\') {
        if (j + 1 >= n || text[j + 1] === '\n') throw badInput(`line ${line}: dangling backslash`);
        raw += text.slice(run, j) + c + text[j + 1];
        j += 2;
        run = j;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '(' || c === ')' || c === '"') break;
      j++;
    }
    current.tokens.push({ text: raw + text.slice(run, j), quoted: false });
    i = j;
  }
  if (depth > 0) throw badInput(`line ${parenLine}: '(' never closed`);
  if (current && current.tokens.length > 0) entries.push(current);
  return entries;
}

/** Bytes of a character-string token: escapes resolved, other characters as UTF-8. */
export function characterStringBytes(raw: string, what = 'character-string'): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\') {
      const digits = raw.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(digits)) {
        const v = Number(digits);
        if (v > 255) throw badInput(`${what}: escape \\${digits} out of range`);
        out.push(v);
        i += 3;
      } else {
        const next = raw.codePointAt(i + 1)!;
        const s = String.fromCodePoint(next);
        out.push(...utf8Encode(s));
        i += s.length;
      }
    } else {
      const cp = raw.codePointAt(i)!;
      const s = String.fromCodePoint(cp);
      if (cp < 0x80) out.push(cp);
      else out.push(...utf8Encode(s));
      i += s.length - 1;
    }
  }
  if (out.length > 255) throw badInput(`${what}: ${out.length} bytes (max 255)`);
  return Uint8Array.from(out);
}

const TTL_UNITS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

function isTtl(text: string): boolean {
  return /^\d+$/.test(text) || /^(\d+[wdhms])+$/i.test(text);
}

/** A TTL or time value: seconds, or BIND units (`1w2d3h4m5s`). */
export function parseTtl(text: string, what = 'TTL'): number {
  let total = 0;
  if (/^\d+$/.test(text)) total = Number(text);
  else if (/^(\d+[wdhms])+$/i.test(text)) {
    for (const m of text.matchAll(/(\d+)([wdhms])/gi)) total += Number(m[1]) * TTL_UNITS[m[2]!.toLowerCase()]!;
  } else throw badInput(`${what}: not a number: ${JSON.stringify(text)}`);
  if (total > 0xffffffff) throw badInput(`${what}: ${text} out of range`);
  return total;
}

/** RRSIG time: YYYYMMDDHHmmSS (UTC) or decimal seconds (RFC 4034 §3.2). */
export function parseRrsigTime(text: string, what = 'RRSIG time'): number {
  if (text.length === 14 && /^\d{14}$/.test(text)) {
    // Two RRSIG times per signature in a signed zone: digits read in place, no slices.
    const num = (from: number, to: number) => {
      let v = 0;
      for (let k = from; k < to; k++) v = v * 10 + text.charCodeAt(k) - 0x30;
      return v;
    };
    const y = num(0, 4), mo = num(4, 6), d = num(6, 8), h = num(8, 10), mi = num(10, 12), s = num(12, 14);
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(ms);
    if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw badInput(`${what}: invalid date ${text}`);
    return (Math.floor(ms / 1000) % 2 ** 32 + 2 ** 32) % 2 ** 32;
  }
  if (/^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff) return Number(text);
  throw badInput(`${what}: ${JSON.stringify(text)} is neither YYYYMMDDHHmmSS nor seconds`);
}

function uint(text: string, max: number, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) > max) throw badInput(`${what}: ${JSON.stringify(text)} is not an integer 0-${max}`);
  return Number(text);
}

class Fields {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly type: string) {}
  next(what: string): string {
    const t = this.tokens[this.i++];
    if (!t) throw badInput(`${this.type}: missing ${what}`);
    if (t.quoted) throw badInput(`${this.type}: ${what} must not be quoted`);
    return t.text;
  }
  rest(): Token[] {
    const r = this.tokens.slice(this.i);
    this.i = this.tokens.length;
    return r;
  }
  restJoined(what: string): string {
    const r = this.rest();
    if (r.length === 0) throw badInput(`${this.type}: missing ${what}`);
    if (r.some((t) => t.quoted)) throw badInput(`${this.type}: ${what} must not be quoted`);
    return r.map((t) => t.text).join('');
  }
  end(): void {
    if (this.i < this.tokens.length) throw badInput(`${this.type}: unexpected ${JSON.stringify(this.tokens[this.i]!.text)}`);
  }
}

// One writer for every record (finish() copies): a fresh 256-byte buffer per record was a
// measurable part of parsing a 120k-line signed zone. Parsing is synchronous, so it is never shared.
const RDATA_WRITER = new ByteWriter(1024);

function parseRdataTokens(typeCode: number, tokens: Token[], origin: string | undefined): Uint8Array {
  const typeName = typeToName(typeCode);
  if (tokens.length > 0 && !tokens[0]!.quoted && tokens[0]!.text === '\\#') {
    const len = uint(tokens[1]?.text ?? '', 65535, `${typeName} \\# length`);
    const hex = tokens.slice(2).map((t) => t.text).join('');
    const rdata = hexDecode(hex, `${typeName} \\# data`);
    if (rdata.length !== len) throw badInput(`${typeName}: \\# says ${len} bytes, data has ${rdata.length}`);
    checkRdata(typeCode, rdata);
    return rdata;
  }
  const f = new Fields(tokens, typeName);
  const name = (what: string) => labelsToWire(parseNameLabels(f.next(what), origin, `${typeName} ${what}`));
  const w = RDATA_WRITER.reset();
  switch (typeName) {
    case 'A':
      w.bytes(parseIpv4(f.next('address')));
      break;
    case 'AAAA':
      w.bytes(parseIpv6(f.next('address')));
      break;
    case 'NS': case 'CNAME': case 'PTR': case 'DNAME': case 'MB': case 'MG': case 'MR': case 'MD': case 'MF':
      w.bytes(name('target'));
      break;
    case 'SOA':
      w.bytes(name('mname')).bytes(name('rname'));
      w.u32(uint(f.next('serial'), 0xffffffff, 'SOA serial'));
      for (const what of ['refresh', 'retry', 'expire', 'minimum']) w.u32(parseTtl(f.next(what), `SOA ${what}`));
      break;
    case 'MX': case 'KX': case 'AFSDB': case 'RT':
      w.u16(uint(f.next('preference'), 65535, `${typeName} preference`)).bytes(name('exchange'));
      break;
    case 'SRV':
      w.u16(uint(f.next('priority'), 65535, 'SRV priority')).u16(uint(f.next('weight'), 65535, 'SRV weight'));
      w.u16(uint(f.next('port'), 65535, 'SRV port')).bytes(name('target'));
      break;
    case 'TXT': case 'SPF': {
      const strings = f.rest().map((t, i) => characterStringBytes(t.text, `${typeName} string ${i + 1}`));
      return encodeTxt(strings);
    }
    case 'DS': case 'CDS':
      w.u16(uint(f.next('key tag'), 65535, `${typeName} key tag`)).u8(algorithmToCode(f.next('algorithm')));
      w.u8(uint(f.next('digest type'), 255, `${typeName} digest type`)).bytes(hexDecode(f.restJoined('digest'), `${typeName} digest`));
      return w.finish();
    case 'DNSKEY': case 'CDNSKEY':
      w.u16(uint(f.next('flags'), 65535, `${typeName} flags`)).u8(uint(f.next('protocol'), 255, `${typeName} protocol`));
      w.u8(algorithmToCode(f.next('algorithm'))).bytes(base64Decode(f.restJoined('public key'), `${typeName} public key`));
      return w.finish();
    case 'RRSIG': {
      w.u16(typeToCode(f.next('type covered'))).u8(algorithmToCode(f.next('algorithm')));
      w.u8(uint(f.next('labels'), 255, 'RRSIG labels')).u32(parseTtl(f.next('original TTL'), 'RRSIG original TTL'));
      w.u32(parseRrsigTime(f.next('expiration'), 'RRSIG expiration')).u32(parseRrsigTime(f.next('inception'), 'RRSIG inception'));
      w.u16(uint(f.next('key tag'), 65535, 'RRSIG key tag')).bytes(name('signer'));
      w.bytes(base64Decode(f.restJoined('signature'), 'RRSIG signature'));
      return w.finish();
    }
    case 'NSEC': {
      const next = name('next domain');
      const types = f.rest().map((t) => t.text);
      return concatBytes(next, encodeTypeBitmap(types));
    }
    case 'NSEC3': case 'NSEC3PARAM': {
      w.u8(uint(f.next('hash algorithm'), 255, `${typeName} hash algorithm`)).u8(uint(f.next('flags'), 255, `${typeName} flags`));
      w.u16(uint(f.next('iterations'), 65535, `${typeName} iterations`));
      const saltText = f.next('salt');
      const salt = saltText === '-' ? new Uint8Array(0) : hexDecode(saltText, `${typeName} salt`);
      if (salt.length > 255) throw badInput(`${typeName} salt: ${salt.length} bytes (max 255)`);
      w.u8(salt.length).bytes(salt);
      if (typeName === 'NSEC3PARAM') break;
      const hashed = base32hexDecode(f.next('next hashed owner'), 'NSEC3 next hashed owner');
      if (hashed.length === 0 || hashed.length > 255) throw badInput(`NSEC3 next hashed owner: ${hashed.length} bytes`);
      w.u8(hashed.length).bytes(hashed).bytes(encodeTypeBitmap(f.rest().map((t) => t.text)));
      return w.finish();
    }
    default:
      throw badInput(`${typeName}: presentation form not supported here, use the generic form \\# LEN HEX`);
  }
  f.end();
  return w.finish();
}

/** Parses one RDATA given in presentation form (`"10 mail.example.com."`). */
export function parseRdata(type: string, text: string, origin?: string): Uint8Array {
  const entries = tokenize(`x ${text}\n`);
  return parseRdataTokens(typeToCode(type), entries[0]?.tokens.slice(1) ?? [], origin);
}

/** Parses a zone file (or a handful of zone lines) into records with wire RDATA. */
export function parseZoneFile(text: string, options: ZoneFileOptions = {}): ResourceRecord[] {
  let origin = options.origin === undefined ? undefined : labelsToName(parseNameLabels(options.origin, undefined, '$ORIGIN'));
  let dollarTtl: number | undefined;
  let lastTtl: number | undefined;
  let lastOwner: string | undefined;
  let lastClass = 'IN';
  const out: ResourceRecord[] = [];
  const entries = tokenize(text);
  for (const entry of entries) {
    try {
      const tokens = entry.tokens.slice();
      const first = tokens[0]!;
      if (!entry.ownerOmitted && !first.quoted && first.text.startsWith('$')) {
        const directive = first.text.toUpperCase();
        if (directive === '$ORIGIN') {
          if (tokens.length !== 2) throw badInput('$ORIGIN takes one name');
          origin = labelsToName(parseNameLabels(tokens[1]!.text, origin, '$ORIGIN'));
        } else if (directive === '$TTL') {
          if (tokens.length !== 2) throw badInput('$TTL takes one value');
          dollarTtl = parseTtl(tokens[1]!.text, '$TTL');
        } else {
          throw badInput(`${first.text}: directive not supported`);
        }
        continue;
      }
      let owner: string;
      if (entry.ownerOmitted) {
        if (lastOwner === undefined) throw badInput('no owner name (the first record must name its owner)');
        owner = lastOwner;
      } else {
        const t = tokens.shift()!;
        if (!/[.@]$/.test(t.text) && origin === undefined && t.text !== '@') {
          throw badInput(`relative owner ${JSON.stringify(t.text)} without $ORIGIN`);
        }
        owner = labelsToName(parseNameLabels(t.text, origin, 'owner'));
      }
      let ttl: number | undefined;
      let cls: string | undefined;
      for (let k = 0; k < 2 && tokens.length > 0; k++) {
        const t = tokens[0]!;
        if (t.quoted) break;
        if (ttl === undefined && isTtl(t.text)) ttl = parseTtl(tokens.shift()!.text);
        else if (cls === undefined && isClassName(t.text)) cls = classToName(tokens.shift()!.text);
        else break;
      }
      const typeToken = tokens.shift();
      if (!typeToken || typeToken.quoted) throw badInput('missing record type');
      let typeCode: number;
      try {
        typeCode = typeToCode(typeToken.text);
      } catch {
        throw badInput(`unknown record type ${JSON.stringify(typeToken.text)}`);
      }
      if (typeCode === 41 || typeCode === 251 || typeCode === 252 || typeCode === 255) throw badInput(`${typeToName(typeCode)} is not a record type for zone files`);
      const rdata = parseRdataTokens(typeCode, tokens, origin);
      if (ttl === undefined) ttl = dollarTtl ?? options.defaultTtl ?? lastTtl;
      // BIND's rule for a zone without $TTL: an SOA without a TTL takes its MINIMUM field.
      if (ttl === undefined && typeCode === 6) ttl = new DataView(rdata.buffer, rdata.byteOffset + rdata.length - 4, 4).getUint32(0);
      if (ttl === undefined) throw badInput('no TTL and no $TTL');
      lastTtl = ttl;
      lastOwner = owner;
      lastClass = cls ?? lastClass;
      const rr: ResourceRecord = { name: owner, type: typeToName(typeCode), class: lastClass, ttl, rdata };
      if (options.decode !== false) {
        const data = decodeRdata(typeCode, rdata);
        if (data) rr.data = data;
      }
      out.push(rr);
    } catch (e) {
      if (e instanceof DimeError) throw badInput(`line ${entry.line}: ${e.message}`);
      throw e;
    }
  }
  return out;
}

/**
 * DNS parameter tables (IANA "Domain Name System (DNS) Parameters"): RR types, classes and
 * response codes, each with a two-way lookup. Unknown types are written `TYPEnnn` (RFC 3597 §5).
 */
import { badInput } from '../errors/dime-error.js';

const TYPE_TABLE: ReadonlyArray<readonly [string, number]> = [
  ['A', 1], ['NS', 2], ['MD', 3], ['MF', 4], ['CNAME', 5], ['SOA', 6], ['MB', 7], ['MG', 8],
  ['MR', 9], ['NULL', 10], ['WKS', 11], ['PTR', 12], ['HINFO', 13], ['MINFO', 14], ['MX', 15],
  ['TXT', 16], ['RP', 17], ['AFSDB', 18], ['X25', 19], ['ISDN', 20], ['RT', 21], ['SIG', 24],
  ['KEY', 25], ['PX', 26], ['AAAA', 28], ['LOC', 29], ['NXT', 30], ['SRV', 33], ['NAPTR', 35],
  ['KX', 36], ['CERT', 37], ['A6', 38], ['DNAME', 39], ['OPT', 41], ['APL', 42], ['DS', 43],
  ['SSHFP', 44], ['IPSECKEY', 45], ['RRSIG', 46], ['NSEC', 47], ['DNSKEY', 48], ['DHCID', 49],
  ['NSEC3', 50], ['NSEC3PARAM', 51], ['TLSA', 52], ['SMIMEA', 53], ['HIP', 55], ['CDS', 59],
  ['CDNSKEY', 60], ['OPENPGPKEY', 61], ['CSYNC', 62], ['ZONEMD', 63], ['SVCB', 64], ['HTTPS', 65],
  ['SPF', 99], ['TKEY', 249], ['TSIG', 250], ['IXFR', 251], ['AXFR', 252], ['ANY', 255],
  ['URI', 256], ['CAA', 257],
];

const TYPE_BY_NAME = new Map<string, number>(TYPE_TABLE.map(([n, v]) => [n, v]));
const TYPE_BY_CODE = new Map<number, string>(TYPE_TABLE.map(([n, v]) => [v, n]));

/** `TXT` → 16, `TYPE65534` → 65534 (case-insensitive). Throws BAD_INPUT for an unknown mnemonic. */
export function typeToCode(type: string | number): number {
  if (typeof type === 'number') {
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) throw badInput(`type ${type}: out of range`);
    return type;
  }
  const upper = type.toUpperCase();
  const known = TYPE_BY_NAME.get(upper);
  if (known !== undefined) return known;
  const m = /^TYPE(\d{1,5})$/.exec(upper);
  if (m) {
    const v = Number(m[1]);
    if (v <= 0xffff) return v;
  }
  throw badInput(`unknown RR type ${JSON.stringify(type)}`);
}

/** 16 → `TXT`, 65534 → `TYPE65534`. Also normalises a mnemonic (`txt` → `TXT`, `TYPE16` → `TXT`). */
export function typeToName(type: number | string): string {
  const code = typeToCode(type);
  return TYPE_BY_CODE.get(code) ?? `TYPE${code}`;
}

/** True for a mnemonic or TYPEnnn this module can map. */
export function isKnownTypeName(text: string): boolean {
  try {
    typeToCode(text);
    return true;
  } catch {
    return false;
  }
}

const CLASS_TABLE: ReadonlyArray<readonly [string, number]> = [
  ['IN', 1], ['CH', 3], ['HS', 4], ['NONE', 254], ['ANY', 255],
];
const CLASS_BY_NAME = new Map<string, number>(CLASS_TABLE.map(([n, v]) => [n, v]));
const CLASS_BY_CODE = new Map<number, string>(CLASS_TABLE.map(([n, v]) => [v, n]));

export function classToCode(cls: string | number): number {
  if (typeof cls === 'number') {
    if (!Number.isInteger(cls) || cls < 0 || cls > 0xffff) throw badInput(`class ${cls}: out of range`);
    return cls;
  }
  const upper = cls.toUpperCase();
  const known = CLASS_BY_NAME.get(upper);
  if (known !== undefined) return known;
  const m = /^CLASS(\d{1,5})$/.exec(upper);
  if (m && Number(m[1]) <= 0xffff) return Number(m[1]);
  throw badInput(`unknown class ${JSON.stringify(cls)}`);
}

export function classToName(cls: number | string): string {
  const code = classToCode(cls);
  return CLASS_BY_CODE.get(code) ?? `CLASS${code}`;
}

/** True when the text is a class mnemonic (`IN`, `CH`, `HS`, `CLASSnnn`). */
export function isClassName(text: string): boolean {
  return CLASS_BY_NAME.has(text.toUpperCase()) || /^CLASS\d{1,5}$/i.test(text);
}

const RCODE_TABLE: ReadonlyArray<readonly [string, number]> = [
  ['NOERROR', 0], ['FORMERR', 1], ['SERVFAIL', 2], ['NXDOMAIN', 3], ['NOTIMP', 4], ['REFUSED', 5],
  ['YXDOMAIN', 6], ['YXRRSET', 7], ['NXRRSET', 8], ['NOTAUTH', 9], ['NOTZONE', 10], ['BADVERS', 16],
];
const RCODE_BY_NAME = new Map<string, number>(RCODE_TABLE.map(([n, v]) => [n, v]));
const RCODE_BY_CODE = new Map<number, string>(RCODE_TABLE.map(([n, v]) => [v, n]));

/** Response code mnemonic (`NXDOMAIN`), or `RCODEnn` for an unassigned value. */
export function rcodeToName(code: number): string {
  return RCODE_BY_CODE.get(code) ?? `RCODE${code}`;
}

export function rcodeToCode(name: string | number): number {
  if (typeof name === 'number') return name;
  const known = RCODE_BY_NAME.get(name.toUpperCase());
  if (known !== undefined) return known;
  const m = /^RCODE(\d{1,4})$/i.exec(name);
  if (m && Number(m[1]) <= 0xfff) return Number(m[1]);
  throw badInput(`unknown rcode ${JSON.stringify(name)}`);
}

/** DNSSEC algorithm mnemonics (RFC 8624 / IANA), accepted in zone files and anchors. */
const ALGORITHM_TABLE: ReadonlyArray<readonly [string, number]> = [
  ['RSAMD5', 1], ['DH', 2], ['DSA', 3], ['RSASHA1', 5], ['DSA-NSEC3-SHA1', 6],
  ['RSASHA1-NSEC3-SHA1', 7], ['RSASHA256', 8], ['RSASHA512', 10], ['ECC-GOST', 12],
  ['ECDSAP256SHA256', 13], ['ECDSAP384SHA384', 14], ['ED25519', 15], ['ED448', 16],
  ['INDIRECT', 252], ['PRIVATEDNS', 253], ['PRIVATEOID', 254],
];
const ALG_BY_NAME = new Map<string, number>(ALGORITHM_TABLE.map(([n, v]) => [n, v]));
const ALG_BY_CODE = new Map<number, string>(ALGORITHM_TABLE.map(([n, v]) => [v, n]));

/** `13`, `ECDSAP256SHA256` → 13. */
export function algorithmToCode(text: string): number {
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return Number(text);
  const known = ALG_BY_NAME.get(text.toUpperCase());
  if (known === undefined) throw badInput(`unknown DNSSEC algorithm ${JSON.stringify(text)}`);
  return known;
}

export function algorithmName(code: number): string {
  return ALG_BY_CODE.get(code) ?? `ALG${code}`;
}

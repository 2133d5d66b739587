/**
 * Trust anchors: the built-in IANA root KSKs and `parseTrustAnchors` for files in zone-file syntax
 * (DS or DNSKEY lines for any owner; unbound's `root.key`), BIND `trust-anchors { … }`
 * (initial-key, static-key, initial-ds, static-ds), `managed-keys`, and legacy `trusted-keys { … }`
 * (libdime's `root-anchor.key`: quoted base64 with spaces, optional `initial-key`). An anchor read
 * from a file is trusted by definition.
 */
import { DimeError, badInput } from '../errors/dime-error.js';
import { base64Decode, hexDecode } from '../bytes/encoding.js';
import { normalizeName } from '../dns/name.js';
import { encodeDnskey, encodeDs } from '../dns/rdata.js';
import { algorithmToCode } from '../dns/types.js';
import { parseZoneFile } from '../dns/zone-file.js';

export interface TrustAnchor {
  /** Owner, absolute (`.`, `example.test.`). */
  name: string;
  type: 'DS' | 'DNSKEY';
  /** DS or DNSKEY RDATA (wire). */
  rdata: Uint8Array;
}

const ROOT_DS = [
  '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D',
  '. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16',
];

/** The IANA root KSK-2017 (20326) and KSK-2024 (38696), as DS (SHA-256). */
export const ROOT_TRUST_ANCHORS: readonly TrustAnchor[] = Object.freeze(
  parseZoneFile(ROOT_DS.join('\n'), { defaultTtl: 0 }).map((rr) => ({ name: rr.name, type: 'DS' as const, rdata: rr.rdata }))
);

interface Tok {
  text: string;
  quoted: boolean;
  line: number;
}

function tokenizeBind(text: string): Tok[] {
  const out: Tok[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      i++;
    } else if (/\s/.test(ch)) i++;
    else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw badInput(`trust anchors line ${line}: unterminated comment`);
      line += (text.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 2;
    } else if (ch === '{' || ch === '}' || ch === ';') {
      out.push({ text: ch, quoted: false, line });
      i++;
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw badInput(`trust anchors line ${line}: unterminated string`);
      const body = text.slice(i + 1, end);
      out.push({ text: body, quoted: true, line });
      line += (body.match(/\n/g) ?? []).length;
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s{};"]/.test(text[j]!)) j++;
      out.push({ text: text.slice(i, j), quoted: false, line });
      i = j;
    }
  }
  return out;
}

function uint(t: Tok | undefined, max: number, what: string): number {
  if (!t || !/^\d+$/.test(t.text) || Number(t.text) > max) throw badInput(`trust anchors line ${t?.line ?? '?'}: ${what} must be an integer 0-${max}`);
  return Number(t.text);
}

function parseBind(text: string): TrustAnchor[] {
  const toks = tokenizeBind(text);
  const anchors: TrustAnchor[] = [];
  let i = 0;
  while (i < toks.length) {
    const head = toks[i]!;
    const block = head.text.toLowerCase();
    if (!['trust-anchors', 'trusted-keys', 'managed-keys'].includes(block) || head.quoted) {
      throw badInput(`trust anchors line ${head.line}: expected trust-anchors, trusted-keys or managed-keys, got ${JSON.stringify(head.text)}`);
    }
    if (toks[i + 1]?.text !== '{') throw badInput(`trust anchors line ${head.line}: '{' expected after ${head.text}`);
    i += 2;
    for (;;) {
      const t = toks[i];
      if (!t) throw badInput(`trust anchors: ${head.text} block never closed`);
      if (t.text === '}' && !t.quoted) {
        i++;
        if (toks[i]?.text === ';') i++;
        break;
      }
      const entry: Tok[] = [];
      while (toks[i] && !(toks[i]!.text === ';' && !toks[i]!.quoted)) {
        if (toks[i]!.text === '}' && !toks[i]!.quoted) throw badInput(`trust anchors line ${toks[i]!.line}: missing ';'`);
        entry.push(toks[i++]!);
      }
      if (!toks[i]) throw badInput(`trust anchors line ${t.line}: missing ';'`);
      // A stray ';' makes an empty entry; named-checkconf rejects it too.
      if (entry.length === 0) throw badInput(`trust anchors line ${t.line}: empty entry (a stray ';')`);
      i++; // ';'
      anchors.push(parseEntry(entry, block));
    }
  }
  return anchors;
}

function parseEntry(entry: Tok[], block: string): TrustAnchor {
  const line = entry[0]!.line;
  const where = `trust anchors line ${line}`;
  let name: string;
  try {
    name = normalizeName(entry[0]!.text);
  } catch (e) {
    throw badInput(`${where}: ${(e as Error).message}`);
  }
  let k = 1;
  let kind = 'static-key';
  const word = entry[1]?.text.toLowerCase();
  if (word && /^(initial|static)-(key|ds)$/.test(word)) {
    kind = word;
    k = 2;
  } else if (block !== 'trusted-keys') {
    throw badInput(`${where}: expected initial-key, static-key, initial-ds or static-ds`);
  }
  const rest = entry.slice(k);
  if (rest.length !== 4 || !rest[3]!.quoted) throw badInput(`${where}: expected 3 numbers and a quoted ${kind.endsWith('ds') ? 'digest' : 'key'}`);
  try {
    if (kind.endsWith('-ds')) {
      const keyTag = uint(rest[0], 65535, 'key tag');
      const algorithm = algorithmToCode(rest[1]!.text);
      const digestType = uint(rest[2], 255, 'digest type');
      const digest = hexDecode(rest[3]!.text.replace(/\s+/g, ''), `${where}: DS digest`);
      if (digest.length === 0) throw badInput(`${where}: empty DS digest`);
      return { name, type: 'DS', rdata: encodeDs({ keyTag, algorithm, digestType, digest }) };
    }
    const flags = uint(rest[0], 65535, 'flags');
    const protocol = uint(rest[1], 255, 'protocol');
    if (protocol !== 3) throw badInput(`${where}: DNSKEY protocol ${protocol}, expected 3`);
    const algorithm = algorithmToCode(rest[2]!.text);
    const publicKey = base64Decode(rest[3]!.text.replace(/\s+/g, ''), `${where}: DNSKEY key`);
    if (publicKey.length === 0) throw badInput(`${where}: empty key`);
    return { name, type: 'DNSKEY', rdata: encodeDnskey({ flags, protocol, algorithm, publicKey }) };
  } catch (e) {
    if (e instanceof DimeError && !e.message.startsWith('trust anchors')) throw badInput(`${where}: ${e.message}`);
    throw e;
  }
}

/** Reads anchors from a file's text (any syntax above). BAD_INPUT for anything else or no anchor. */
export function parseTrustAnchors(text: string): TrustAnchor[] {
  const stripped = text.replace(/^\uFEFF/, '');
  const isBind = /^\s*(?:(?:#|\/\/)[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(trust-anchors|trusted-keys|managed-keys)\b/i.test(stripped);
  let anchors: TrustAnchor[];
  if (isBind) anchors = parseBind(stripped);
  else {
    let rrs;
    try {
      rrs = parseZoneFile(stripped, { defaultTtl: 0, decode: false });
    } catch (e) {
      throw badInput(`trust anchors ${(e as Error).message}`);
    }
    anchors = rrs.map((rr) => {
      if (rr.type !== 'DS' && rr.type !== 'DNSKEY') throw badInput(`trust anchors: ${rr.type} record for ${rr.name}; only DS and DNSKEY are anchors`);
      if (rr.type === 'DNSKEY' && rr.rdata[2] !== 3) throw badInput(`trust anchors: DNSKEY for ${rr.name} has protocol ${rr.rdata[2]}, expected 3`);
      return { name: rr.name, type: rr.type, rdata: rr.rdata };
    });
  }
  if (anchors.length === 0) throw badInput('trust anchors: no DS or DNSKEY anchor in the file');
  return anchors;
}

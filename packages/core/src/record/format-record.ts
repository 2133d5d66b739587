/**
 * Writer of the DIME management record (profile §3): fields in the order
 * `ver pok… tls… pol syn… dx… exp sub`, single spaces, and a zone line whose TXT RR carries the text
 * in character-strings of at most 255 bytes (RFC 1035 §3.3.14).
 */
import { DimeError } from '../errors/dime-error.js';
import type { DimeRecord } from './dime-record.js';
import {
  checkDx,
  checkExpiry,
  checkPok,
  checkPolicy,
  checkSubdomain,
  checkSyndicate,
  checkTls,
  checkVersion,
  isHostName,
  quoteValue,
  recordInvalid,
} from './field-rules.js';

/** RFC 1035 §3.3: a character-string holds at most 255 bytes. */
export const MAX_CHARACTER_STRING = 255;

export const DEFAULT_ZONE_TTL = 3600;

/**
 * The record text on one line. Every value is checked with the parser's rules first (RECORD_INVALID
 * naming the field), so what is printed always parses back to the same record. Unknown fields are
 * not written.
 */
export function formatDimeRecord(record: DimeRecord): string {
  if (record.pok.length === 0) throw recordInvalid('pok: missing, the record needs at least one', { field: 'pok' });
  const parts = [`ver=${checkVersion(String(record.version))}`];
  for (const pok of record.pok) parts.push(`pok=${checkPok(pok)}`);
  for (const tls of record.tls) parts.push(`tls=${checkTls(tls)}`);
  parts.push(`pol=${checkPolicy(record.policy)}`);
  for (const syn of record.syndicates) {
    // A syndicate is free text but a token: it must not carry a separator or a non-printable byte.
    if (!/^[\x21-\x3a\x3c-\x7e]+$/.test(syn)) {
      throw recordInvalid(`syn: ${quoteValue(syn)} holds a space, tab, ';' or non-printable character`, { field: 'syn' });
    }
    parts.push(`syn=${checkSyndicate(syn)}`);
  }
  for (const dx of record.dx) parts.push(`dx=${checkDx(dx)}`);
  if (record.expiry !== null) parts.push(`exp=${checkExpiry(String(record.expiry))}`);
  parts.push(`sub=${checkSubdomain(record.subdomain)}`);
  return parts.join(' ');
}

/**
 * Cuts text into character-strings of at most 255 bytes (UTF-8, never inside a character). A resolver
 * joins them back with no separator, so the cut may fall anywhere, even inside a value.
 */
export function splitCharacterStrings(text: string, maxBytes = MAX_CHARACTER_STRING): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 4 || maxBytes > MAX_CHARACTER_STRING) {
    throw new RangeError(`maxBytes must be 4..${MAX_CHARACTER_STRING}, got ${maxBytes}`);
  }
  const strings: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (currentBytes + size > maxBytes) {
      strings.push(current);
      current = '';
      currentBytes = 0;
    }
    current += char;
    currentBytes += size;
  }
  strings.push(current);
  return strings;
}

/** A character-string in zone-file presentation form: quoted, with `"` and `\` escaped (RFC 1035 §5.1). */
export function quoteCharacterString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * `_dx.<domain>. <ttl> IN TXT "…" "…"`: the record as one TXT RR for a zone file. A bad domain or TTL
 * is a USAGE error (both come from the command line).
 */
export function formatZoneLine(domain: string, record: DimeRecord, ttl: number = DEFAULT_ZONE_TTL): string {
  const name = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (!isHostName(name)) throw new DimeError('USAGE', `domain: ${quoteValue(domain)} is not a domain name`);
  if (`_dx.${name}.`.length > 254) throw new DimeError('USAGE', `domain: ${quoteValue(domain)} is too long for _dx.<domain>`);
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 2_147_483_647) {
    throw new DimeError('USAGE', `ttl: ${ttl} is not a TTL (0 to 2147483647 seconds)`);
  }
  const strings = splitCharacterStrings(formatDimeRecord(record)).map(quoteCharacterString);
  return `_dx.${name}. ${ttl} IN TXT ${strings.join(' ')}`;
}

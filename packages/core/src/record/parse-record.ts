/**
 * Parser of the DIME management record (profile §3; record-and-dnssec.md §1.2–1.4).
 *
 * - The character-strings of one TXT RR are joined with no separator (as DKIM does).
 * - Tokens are separated by any run of space, tab or `;`; each is `name=value`, split at the FIRST `=`
 *   (so base64 padding stays in the value and fails the length check).
 * - Names are case-insensitive and take the long aliases; unknown names are kept in `unknown`.
 * - `ver`, `pol`, `sub` and `exp` may appear once; `pok`, `tls`, `dx` and `syn` repeat.
 */
import { NO_RECORD_MESSAGE, AMBIGUOUS_RECORD_MESSAGE } from './messages.js';
import { DimeError } from '../errors/dime-error.js';
import { newRecord, type DimeRecord } from './dime-record.js';
import {
  checkDx,
  checkExpiry,
  checkPok,
  checkPolicy,
  checkSubdomain,
  checkSyndicate,
  checkTls,
  checkVersion,
  quoteValue,
  recordInvalid,
} from './field-rules.js';

/** The short name of every known field, keyed by every accepted spelling (lower case). */
const FIELD_NAMES = {
  ver: 'ver',
  version: 'ver',
  pok: 'pok',
  primary: 'pok',
  tls: 'tls',
  pol: 'pol',
  policy: 'pol',
  syn: 'syn',
  syndicates: 'syn',
  dx: 'dx',
  deliver: 'dx',
  exp: 'exp',
  expiry: 'exp',
  sub: 'sub',
  subdomain: 'sub',
} as const;

type FieldName = (typeof FIELD_NAMES)[keyof typeof FIELD_NAMES];

const SINGLE_FIELDS: ReadonlySet<FieldName> = new Set(['ver', 'pol', 'sub', 'exp']);

/** A TXT RR's RDATA is at most 65535 bytes, so its joined text is shorter than that. */
export const MAX_RECORD_LENGTH = 65535;

const SEPARATORS = /[ \t;]+/;

export type RecordInput = string | readonly string[] | readonly Uint8Array[];

export interface RecordToken {
  /** As written. */
  name: string;
  value: string;
}

/** The short field name for a spelling (`PRIMARY` → `pok`), or undefined for an unknown name. */
export function canonicalFieldName(name: string): FieldName | undefined {
  const lower = name.toLowerCase();
  return Object.prototype.hasOwnProperty.call(FIELD_NAMES, lower) ? FIELD_NAMES[lower as keyof typeof FIELD_NAMES] : undefined;
}

/**
 * The text of one TXT RR: its character-strings joined with no separator. Bytes are taken one to one
 * (latin1) so that no byte is lost or merged before the printable-ASCII check.
 */
export function joinCharacterStrings(input: RecordInput): string {
  if (typeof input === 'string') return input;
  let text = '';
  for (const part of input) {
    text += typeof part === 'string' ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('latin1');
  }
  return text;
}

/** Splits into non-empty tokens without judging them (used to spot candidates among TXT RRs). */
function rawTokens(text: string): string[] {
  return text.split(SEPARATORS).filter((t) => t.length > 0);
}

/** The record's `name=value` tokens; throws RECORD_INVALID for a character or token that cannot be one. */
export function tokenizeRecord(text: string): RecordToken[] {
  if (text.length > MAX_RECORD_LENGTH) {
    throw recordInvalid(`record: ${text.length} characters, more than a TXT record holds (${MAX_RECORD_LENGTH})`);
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x09 && (c < 0x20 || c > 0x7e)) {
      throw recordInvalid(`record: character 0x${c.toString(16).padStart(2, '0')} at position ${i + 1} is not printable ASCII`);
    }
  }
  const tokens: RecordToken[] = [];
  for (const [index, token] of rawTokens(text).entries()) {
    const eq = token.indexOf('=');
    if (eq <= 0) throw recordInvalid(`token ${index + 1}: ${quoteValue(token)} is not name=value`, { token: index + 1 });
    tokens.push({ name: token.slice(0, eq), value: token.slice(eq + 1) });
  }
  return tokens;
}

/**
 * Parses and validates one management record. `input` is the record text, or the character-strings of
 * one TXT RR (joined with no separator). Throws RECORD_INVALID naming the field.
 */
export function parseRecord(input: RecordInput): DimeRecord {
  const text = joinCharacterStrings(input);
  const record = newRecord();
  const seen = new Map<FieldName, number>();
  for (const { name, value } of tokenizeRecord(text)) {
    const field = canonicalFieldName(name);
    if (field === undefined) {
      record.unknown.push({ name, value });
      continue;
    }
    const count = (seen.get(field) ?? 0) + 1;
    seen.set(field, count);
    if (count > 1 && SINGLE_FIELDS.has(field)) {
      throw recordInvalid(`${field}: given ${count} times, allowed once`, { field });
    }
    switch (field) {
      case 'ver':
        record.version = checkVersion(value);
        break;
      case 'pok':
        record.pok.push(checkPok(value));
        break;
      case 'tls':
        record.tls.push(checkTls(value));
        break;
      case 'pol':
        record.policy = checkPolicy(value);
        break;
      case 'sub':
        record.subdomain = checkSubdomain(value);
        break;
      case 'exp':
        record.expiry = checkExpiry(value);
        break;
      case 'dx':
        record.dx.push(checkDx(value));
        break;
      case 'syn':
        record.syndicates.push(checkSyndicate(value));
        break;
    }
  }
  if (record.pok.length === 0) throw recordInvalid('pok: missing, the record needs at least one', { field: 'pok' });
  return record;
}

/**
 * True when a TXT RR is meant as a DIME record (profile §3): its first token is named `ver`/`version`
 * (any case), or one of its tokens is named `pok`/`primary`.
 */
export function isRecordCandidate(input: RecordInput): boolean {
  const names = rawTokens(joinCharacterStrings(input)).map((token) => {
    const eq = token.indexOf('=');
    return eq < 0 ? undefined : canonicalFieldName(token.slice(0, eq));
  });
  return names[0] === 'ver' || names.includes('pok');
}

/**
 * Picks the DIME record among the TXT RRs of `_dx.<domain>` (each given as its character-strings) and
 * parses it. None → NO_RECORD "no DIME record"; several → RECORD_INVALID "ambiguous DIME record".
 */
export function selectDimeRecord(txtRRs: readonly RecordInput[]): DimeRecord {
  const candidates = txtRRs.filter((rr) => isRecordCandidate(rr));
  if (candidates.length === 0) {
    throw new DimeError('NO_RECORD', NO_RECORD_MESSAGE, { details: { txtRecords: txtRRs.length } });
  }
  if (candidates.length > 1) {
    throw new DimeError('RECORD_INVALID', AMBIGUOUS_RECORD_MESSAGE, { details: { candidates: candidates.length } });
  }
  return parseRecord(candidates[0]!);
}

/**
 * A management record handed over as text (`genrec --check`/`--check-file`, `dime -i`), in one of
 * three forms, told apart by the first line that is not blank:
 * - a TXT value, `ver=1 pok=…` (its first token holds `=`); a value wrapped over several lines is
 *   re-joined with single spaces (whole-line `;` comments are skipped in every form);
 * - quoted character-strings, `"ver=1 pok=…" "…"` (starts with `"`): each line is one TXT RR whose
 *   strings are joined with no separator, and the DIME record is picked among the lines as in DNS
 *   (this is what `dig +short TXT _dx.<domain>` prints);
 * - zone-file lines (`_dx.example.com. 3600 IN TXT "…" "…"`, `$ORIGIN`, `$TTL`, parentheses, comments),
 *   read with the zone-file reader; the DIME record is picked among the TXT RRs as in DNS (profile §3).
 */
import { DimeError } from '../errors/dime-error.js';
import { isClassName, isKnownTypeName, parseZoneFile, txtStrings, type RR, type ZoneFileOptions } from '../dns/index.js';
import type { DimeRecord } from './dime-record.js';
import { NO_RECORD_MESSAGE } from './messages.js';
import { DEFAULT_ZONE_TTL } from './format-record.js';
import { isRecordCandidate, parseRecord, selectDimeRecord } from './parse-record.js';

export type RecordFileForm = 'value' | 'strings' | 'zone';

export interface RecordFile {
  record: DimeRecord;
  form: RecordFileForm;
  /** Owner of the TXT RR the record came from (zone form only). */
  owner: string | null;
  ttl: number | null;
}

export interface RecordFileOptions {
  /** `$ORIGIN` for relative names in zone form. */
  origin?: string;
  /** Only TXT RRs owned by `_dx.<domain>` count (zone form). */
  domain?: string;
}

/** The owner used to read a bare list of quoted strings through the zone-file reader. */
const STRINGS_OWNER = '_dx.record.invalid.';

function firstToken(line: string): string {
  return line.split(/[ \t]+/)[0] ?? '';
}

/** Lines that are neither blank nor a whole-line `;` comment, trimmed. */
function significantLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith(';'));
}

/** Which of the three forms the text is in (whole-line `;` comments and blank lines skipped). */
export function recordFileForm(text: string): RecordFileForm {
  const first = significantLines(text)[0] ?? '';
  if (first.startsWith('"')) return 'strings';
  if (firstToken(first).includes('=')) return 'value';
  if (first.startsWith('$')) return 'zone';
  // A zone line names a class or a type (`IN`, `TXT`, `A`…) before any quoted string.
  const words = first.split('"')[0]!.split(/[ \t()]+/).filter((t) => t.length > 0);
  if (words.some((t) => isClassName(t) || isKnownTypeName(t.toUpperCase()))) return 'zone';
  return 'value';
}

function sameName(a: string, b: string): boolean {
  const strip = (n: string) => (n.endsWith('.') ? n.slice(0, -1) : n).toLowerCase();
  return strip(a) === strip(b);
}

function isDxOwner(name: string): boolean {
  return name.toLowerCase().startsWith('_dx.');
}

/**
 * The zone-file reader, with its syntax errors turned into RECORD_INVALID: the text is the record
 * the user handed over, so a broken one is an invalid record (exit 1), as profile §6 says.
 */
function readZone(text: string, options: ZoneFileOptions, what: string): RR[] {
  try {
    return parseZoneFile(text, options);
  } catch (err) {
    if (err instanceof DimeError && err.code === 'BAD_INPUT') {
      throw new DimeError('RECORD_INVALID', `${what}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/** Reads a record from text in any of the three forms; errors carry the codes of `parseRecord`. */
export function readRecordFile(input: string, options: RecordFileOptions = {}): RecordFile {
  const text = input.replace(/^\uFEFF/, '');
  const form = recordFileForm(text);
  if (form === 'value') {
    const lines = significantLines(text);
    if (lines.length === 0) throw new DimeError('NO_RECORD', NO_RECORD_MESSAGE);
    return { record: parseRecord(lines.join(' ')), form, owner: null, ttl: null };
  }
  if (form === 'strings') {
    // One TXT RR per line; blank lines are kept as empty entries so the line numbers stay right.
    const zone = text
      .split(/\r\n|\r|\n/)
      .map((line) => (line.trim() === '' || line.trim().startsWith(';') ? '' : `${STRINGS_OWNER} 0 IN TXT ${line}`))
      .join('\n');
    const rrs = readZone(zone, {}, 'TXT strings').map((rr) => txtStrings(rr.rdata));
    return { record: selectDimeRecord(rrs), form, owner: null, ttl: null };
  }
  const zoneOptions = options.origin === undefined ? { defaultTtl: DEFAULT_ZONE_TTL } : { origin: options.origin, defaultTtl: DEFAULT_ZONE_TTL };
  const txt = readZone(text, zoneOptions, 'zone line').filter(
    (rr) => rr.type === 'TXT' && rr.class === 'IN'
  );
  let chosen: RR[];
  if (options.domain !== undefined) {
    const owner = `_dx.${options.domain}`;
    chosen = txt.filter((rr) => sameName(rr.name, owner));
  } else {
    const dx = txt.filter((rr) => isDxOwner(rr.name));
    chosen = dx.length > 0 ? dx : txt;
  }
  const strings = chosen.map((rr) => txtStrings(rr.rdata));
  const record = selectDimeRecord(strings);
  const picked = chosen[strings.findIndex((s) => isRecordCandidate(s))];
  return { record, form, owner: picked?.name ?? null, ttl: picked?.ttl ?? null };
}

/** The record of a TXT value or a zone line (see {@link readRecordFile}). */
export function parseRecordFile(text: string, options: RecordFileOptions = {}): DimeRecord {
  return readRecordFile(text, options).record;
}

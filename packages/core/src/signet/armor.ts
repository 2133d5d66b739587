/**
 * PEM-like armor of signets and keys files (signet-format.md §7): BEGIN/END lines, padded base64 in
 * 64-character lines, a `=XXXX` line holding the OpenPGP CRC-24 of the decoded bytes.
 */
import { badInput } from '../errors/dime-error.js';
import { base64Decode, base64Encode } from '../bytes/encoding.js';
import { crc24, crc24Bytes } from './crc24.js';
import type { DecodeOptions } from './types.js';

/** Every tag a reader accepts (profile §2); the object type still comes from the magic. */
export const ARMOR_TAGS = [
  'ORGANIZATIONAL SIGNET',
  'USER SIGNET',
  'SIGNET SIGNING REQUEST',
  'ORGANIZATIONAL KEY',
  'USER KEY',
] as const;

export type ArmorTag = (typeof ARMOR_TAGS)[number];

/** Old libdime tags, written without a CRC line: accepted only with `lenient`. */
export const LEGACY_ARMOR_TAGS = ['SIGNET', 'SIGNET PRIVATE KEYCHAIN'] as const;

/** Line width of the writer (signet-format.md §7.2). */
export const ARMOR_LINE_WIDTH = 64;

export interface ArmorBlock {
  /** The tag of the BEGIN line. */
  readonly tag: string;
  /** The decoded binary (header and fields). */
  readonly bytes: Uint8Array;
  /** Whether a CRC line was present (always true unless `lenient`). */
  readonly checksummed: boolean;
}

const BEGIN_LINE = /^-----BEGIN ([A-Z0-9 ]+)-----$/;
const END_LINE = /^-----END ([A-Z0-9 ]*)-----$/;
const CRC_LINE = /^=([A-Za-z0-9+/]{4})$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** True when the text contains a BEGIN line, i.e. should be read as armor rather than binary. */
export function looksArmored(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text);
}

/**
 * Reads the first armor block of `text` (signet-format.md §7.3, profile §2): text before BEGIN is
 * ignored; CRLF, CR-CR-LF, blank lines and surrounding whitespace are fine; BEGIN and END must name
 * the same tag; the CRC line is required (a missing one is waived with `lenient`, a wrong one never)
 * and must be the last line of the body.
 */
export function parseArmor(text: string, options: DecodeOptions = {}): ArmorBlock {
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  const accepted: readonly string[] = options.lenient ? [...ARMOR_TAGS, ...LEGACY_ARMOR_TAGS] : ARMOR_TAGS;
  let index = 0;
  let tag: string | undefined;
  for (; index < lines.length; index++) {
    const match = BEGIN_LINE.exec(lines[index]!);
    if (!match) continue;
    if (!accepted.includes(match[1]!)) throw badInput(`armor: unknown tag "${match[1]}"`);
    tag = match[1]!;
    index++;
    break;
  }
  if (tag === undefined) throw badInput('armor: no BEGIN line');

  const body: string[] = [];
  let crcText: string | undefined;
  let ended = false;
  for (; index < lines.length; index++) {
    const line = lines[index]!.replace(/\s+/g, '');
    if (line === '') continue;
    if (line.startsWith('-----')) {
      const end = END_LINE.exec(lines[index]!);
      if (!end) throw badInput(`armor: unexpected line "${truncate(lines[index]!)}" inside ${tag}`);
      if (end[1] !== tag) throw badInput(`armor: BEGIN ${tag} does not match END ${end[1]}`);
      ended = true;
      break;
    }
    if (crcText !== undefined) throw badInput('armor: data after the CRC line');
    const crc = CRC_LINE.exec(line);
    if (crc) {
      crcText = crc[1]!;
      continue;
    }
    if (!BASE64_LINE.test(line)) throw badInput(`armor: line ${index + 1} is not base64`);
    body.push(line);
  }
  if (!ended) throw badInput(`armor: no END ${tag} line`);

  const joined = body.join('');
  if (/=[^=]/.test(joined)) throw badInput('armor: base64 padding inside the data');
  const bytes = base64Decode(joined, 'armor');
  if (crcText === undefined) {
    if (!options.lenient) throw badInput('armor: missing CRC-24 line (=XXXX)');
  } else {
    const expected = base64Decode(crcText, 'armor CRC');
    const found = (expected[0]! << 16) | (expected[1]! << 8) | expected[2]!;
    const actual = crc24(bytes);
    if (found !== actual) {
      throw badInput(`armor: CRC-24 mismatch (line says ${hex6(found)}, data has ${hex6(actual)})`);
    }
  }
  return { tag, bytes, checksummed: crcText !== undefined };
}

/** Writes the armor exactly as the C tools do: 64-character lines, `=CRC24`, LF, final newline. */
export function armorEncode(bytes: Uint8Array, tag: string): string {
  const data = base64Encode(bytes);
  const lines: string[] = [`-----BEGIN ${tag}-----`];
  for (let i = 0; i < data.length; i += ARMOR_LINE_WIDTH) lines.push(data.slice(i, i + ARMOR_LINE_WIDTH));
  lines.push(`=${base64Encode(crc24Bytes(bytes))}`);
  lines.push(`-----END ${tag}-----`);
  return `${lines.join('\n')}\n`;
}

function hex6(value: number): string {
  return `0x${value.toString(16).padStart(6, '0')}`;
}

function truncate(line: string): string {
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}


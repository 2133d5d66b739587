/**
 * The four fingerprints (signet-format.md §5, profile §2): unpadded standard base64 of SHA-512 over
 * the field bytes (header excluded) up to and including field k — `ssr` k=5, `crypto` org 4 / user 6,
 * `full` 253, `id` everything. Always 86 characters.
 */
import { DimeError, type ErrorCode } from '../errors/dime-error.js';
import { base64EncodeUnpadded, hexDecode } from '../bytes/encoding.js';
import { sha512 } from '../crypto/hash.js';
import { FINGERPRINT_KINDS, type FingerprintKind, type SignetObject } from './types.js';

export type Fingerprints = { [K in FingerprintKind]?: string };

/** Length of every fingerprint in its canonical form. */
export const FINGERPRINT_LENGTH = 86;

/** `P[<id]`: the payload cut at the first field whose id is `id` or more (what signature `id` covers). */
export function payloadBefore(obj: SignetObject, id: number): Uint8Array {
  const first = obj.fields.find((f) => f.id >= id);
  return obj.payload.subarray(0, first ? first.start : obj.payload.length);
}

/** `P[≤id]`: the payload through the last field whose id is `id` or less. */
export function payloadThrough(obj: SignetObject, id: number): Uint8Array {
  return payloadBefore(obj, id + 1);
}

function fingerprintOver(bytes: Uint8Array): string {
  return base64EncodeUnpadded(sha512(bytes));
}

/**
 * The fingerprints that apply to the object's type: SSR → `ssr`; org → `crypto`, `full`, `id`;
 * user → all four; keys files → none. They are computed whatever fields are present (an org signet
 * holding only fields 1, 3, 4 has three equal fingerprints).
 */
export function fingerprints(obj: SignetObject): Fingerprints {
  switch (obj.type) {
    case 'ssr':
      return { ssr: fingerprintOver(payloadThrough(obj, 5)) };
    case 'org':
      return {
        crypto: fingerprintOver(payloadThrough(obj, 4)),
        full: fingerprintOver(payloadThrough(obj, 253)),
        id: fingerprintOver(obj.payload),
      };
    case 'user':
      return {
        ssr: fingerprintOver(payloadThrough(obj, 5)),
        crypto: fingerprintOver(payloadThrough(obj, 6)),
        full: fingerprintOver(payloadThrough(obj, 253)),
        id: fingerprintOver(obj.payload),
      };
    default:
      return {};
  }
}

/**
 * Canonical 86-character form of a fingerprint given as 86 unpadded base64, 88 padded base64 or
 * 128 hex digits (profile §2). Surrounding brackets and whitespace are ignored. Throws `code`
 * (BAD_INPUT unless the caller says otherwise, e.g. USAGE for a command-line flag).
 */
export function normalizeFingerprint(input: string, code: ErrorCode = 'BAD_INPUT'): string {
  const text = input.trim().replace(/^\[(.*)\]$/, '$1');
  const fail = (why: string) => new DimeError(code, `fingerprint: ${why}`);
  let bytes: Uint8Array;
  if (text.length === 128 && /^[0-9a-fA-F]+$/.test(text)) {
    bytes = hexDecode(text, 'fingerprint');
  } else if (text.length === 86 || text.length === 88) {
    const body = text.length === 88 ? (text.endsWith('==') ? text.slice(0, 86) : null) : text;
    if (body === null) throw fail('88 characters but not ending in "=="');
    if (!/^[A-Za-z0-9+/]{86}$/.test(body)) throw fail('not base64');
    bytes = Buffer.from(body, 'base64');
    if (base64EncodeUnpadded(bytes) !== body) throw fail('not a canonical base64 encoding of 64 bytes');
  } else {
    throw fail(`${text.length} characters, expected 86 (base64), 88 (padded base64) or 128 (hex)`);
  }
  if (bytes.length !== 64) throw fail(`${bytes.length} bytes, expected 64`);
  return base64EncodeUnpadded(bytes);
}

/** The kinds of the object's fingerprints that equal `fingerprint` (any input form), in kind order. */
export function fingerprintKinds(obj: SignetObject, fingerprint: string): FingerprintKind[] {
  const wanted = normalizeFingerprint(fingerprint);
  const mine = fingerprints(obj);
  return FINGERPRINT_KINDS.filter((kind) => mine[kind] === wanted);
}

/** True when `fingerprint` is any of the object's fingerprints. */
export function hasFingerprint(obj: SignetObject, fingerprint: string): boolean {
  return fingerprintKinds(obj, fingerprint).length > 0;
}

/**
 * Reading any signet object from what a user hands us (armor text, armor bytes or binary) and
 * writing it back armored under the right tag (profile §2, signet-format.md §7.1).
 */
import { badInput } from '../errors/dime-error.js';
import { base64Decode, base64Encode, utf8Decode } from '../bytes/encoding.js';
import { armorEncode, looksArmored, parseArmor } from './armor.js';
import { encryptionFieldId } from './field-tables.js';
import { parseSigningKey } from './keys-math.js';
import { decodeSignetBinary, readHeader } from './parse.js';
import { isKeysType, type DecodeOptions, type SignetDialect, type SignetField, type SignetObject, type SignetType } from './types.js';

/**
 * Decodes a signet, SSR or keys file from armor text, or from bytes that are either armor or the
 * binary form. The type comes from the magic number, never from the armor tag.
 */
export function decodeSignetObject(input: Uint8Array | string, options: DecodeOptions = {}): SignetObject {
  if (typeof input === 'string') return decodeArmored(input, options);
  if (isBinaryObject(input)) return decodeSignetBinary(input, options);
  const text = utf8Decode(input);
  if (looksArmored(text)) return decodeArmored(text, options);
  return decodeSignetBinary(input, options);
}

function isBinaryObject(bytes: Uint8Array): boolean {
  try {
    readHeader(bytes);
    return true;
  } catch {
    return false;
  }
}

function decodeArmored(text: string, options: DecodeOptions): SignetObject {
  const block = parseArmor(text, options);
  return { ...decodeSignetBinary(block.bytes, options), armorTag: block.tag };
}

/** Decodes the unarmored padded base64 a DMTP `250 OK [B64]` reply carries (signet-format.md §7.2). */
export function decodeSignetBase64(text: string, options: DecodeOptions = {}): SignetObject {
  return decodeSignetBinary(base64Decode(text.trim(), 'signet base64'), options);
}

/** Padded base64 of the binary form, as DMTP sends it. */
export function encodeSignetBase64(obj: SignetObject): string {
  return base64Encode(obj.bytes);
}

/**
 * The armor tag for a type: the C tool writes SSRs under `ORGANIZATIONAL SIGNET` (magma and libdime
 * dialects); the `prime` dialect uses `SIGNET SIGNING REQUEST`.
 */
export function armorTagFor(type: SignetType, dialect: SignetDialect = 'magma'): string {
  switch (type) {
    case 'org':
      return 'ORGANIZATIONAL SIGNET';
    case 'user':
      return 'USER SIGNET';
    case 'ssr':
      return dialect === 'prime' ? 'SIGNET SIGNING REQUEST' : 'ORGANIZATIONAL SIGNET';
    case 'org-keys':
      return 'ORGANIZATIONAL KEY';
    case 'user-keys':
      return 'USER KEY';
  }
}

/** The object armored as the C tools write it (64-character lines, CRC line, LF, final newline). */
export function armorSignetObject(obj: SignetObject, dialect: SignetDialect = 'magma'): string {
  return armorEncode(obj.bytes, armorTagFor(obj.type, dialect));
}

/** The first field with `id`, if any. */
export function findField(obj: SignetObject, id: number): SignetField | undefined {
  return obj.fields.find((f) => f.id === id);
}

/** Every field with `id` (repeatable fields: SOKs, phone numbers, …). */
export function findFields(obj: SignetObject, id: number): SignetField[] {
  return obj.fields.filter((f) => f.id === id);
}

/** A text field as a string (UTF-8), or undefined when absent. */
export function fieldText(obj: SignetObject, id: number): string | undefined {
  const field = findField(obj, id);
  return field ? utf8Decode(field.value) : undefined;
}

/** The signet identifier (field 254: the domain or the address), when present. */
export function signetIdentifier(obj: SignetObject): string | undefined {
  return obj.type === 'org' || obj.type === 'user' ? fieldText(obj, 254) : undefined;
}

/**
 * The raw 32-byte Ed25519 public key of field 1 (the POK of an org signet, the user's signing key
 * of a user signet or SSR), whichever of the two encodings the file uses.
 */
export function signingKeyOf(obj: SignetObject): Uint8Array {
  if (obj.type !== 'org' && obj.type !== 'user' && obj.type !== 'ssr') {
    throw badInput(`${obj.type}: a keys file has no public signing key field; use decodeKeys`);
  }
  const field = findField(obj, 1);
  if (!field) throw badInput('field 1: missing (no signing key)');
  return parseSigningKey(field.value).slice();
}

/** The primary encryption key (org field 3, user/SSR field 2) as stored, when present. */
export function encryptionKeyOf(obj: SignetObject): Uint8Array | undefined {
  return findField(obj, encryptionFieldId(obj.type))?.value.slice();
}

/**
 * The dialect an object was written in, as far as its bytes tell: `libdime` when an encryption-key
 * length is 2 bytes, `prime` when field 1 is a raw 32-byte key, else `magma`.
 */
export function objectDialect(obj: SignetObject): SignetDialect {
  const encId = encryptionFieldId(obj.type);
  if (obj.fields.some((f) => (f.id === encId || (f.id === 3 && !isKeysType(obj.type))) && f.lengthWidth === 2)) return 'libdime';
  if (!isKeysType(obj.type) && findField(obj, 1)?.value.length === 32) return 'prime';
  return 'magma';
}

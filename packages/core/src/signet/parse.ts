/**
 * The binary parser (signet-format.md §1, §1.4; profile §2). It reads every dialect seen in the
 * wild and rejects everything else with a BAD_INPUT naming the field:
 * fields in ascending id order, unique ids once, only ids defined for the type, lengths inside the
 * buffer, no trailing bytes, signing keys 32 raw or `0x40`+32, secp256k1 keys on the curve.
 */
import { badInput } from '../errors/dime-error.js';
import { ByteReader } from '../bytes/reader.js';
import { utf8Decode } from '../bytes/encoding.js';
import { fieldDescriptor, type FieldDescriptor } from './field-tables.js';
import { checkEncryptionKey, parseSigningKey, parseSok, secp256k1PublicFromPrivate } from './keys-math.js';
import {
  HEADER_LENGTH,
  MAGIC_ENCRYPTED_ORG_KEYS,
  MAGIC_ENCRYPTED_USER_KEYS,
  isKeysType,
  typeOfMagic,
  type DecodeOptions,
  type SignetField,
  type SignetObject,
  type SignetType,
} from './types.js';

const TYPE_NAMES: Record<SignetType, string> = {
  org: 'an organizational signet',
  user: 'a user signet',
  ssr: 'an SSR',
  'org-keys': 'an organizational keys file',
  'user-keys': 'a user keys file',
};

/** Human name of a type, for messages (`an organizational signet`). */
export function describeType(type: SignetType): string {
  return TYPE_NAMES[type];
}

/** Reads the 5-byte header and returns the type; checks the length field against the data. */
export function readHeader(bytes: Uint8Array): { type: SignetType; magic: number } {
  if (bytes.length < HEADER_LENGTH) throw badInput(`header: ${bytes.length} bytes, a signet object needs at least 5`);
  const magic = (bytes[0]! << 8) | bytes[1]!;
  const declared = (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!;
  if (magic === MAGIC_ENCRYPTED_ORG_KEYS || magic === MAGIC_ENCRYPTED_USER_KEYS) {
    throw badInput(`header: encrypted keys (magic ${magic}) are not supported`);
  }
  const type = typeOfMagic(magic);
  if (!type) throw badInput(`header: unknown magic ${magic} (0x${magic.toString(16).padStart(4, '0')})`);
  const actual = bytes.length - HEADER_LENGTH;
  if (declared !== actual) throw badInput(`header: payload length ${declared}, but ${actual} bytes follow`);
  return { type, magic };
}

/**
 * Decodes the binary form of any signet object (header + fields). The result keeps the exact
 * bytes, so signatures and fingerprints are computed over what was read.
 */
export function decodeSignetBinary(bytes: Uint8Array, options: DecodeOptions = {}): SignetObject {
  const { type, magic } = readHeader(bytes);
  const payload = bytes.subarray(HEADER_LENGTH);
  const reader = new ByteReader(payload);
  const fields: SignetField[] = [];
  let previous: FieldDescriptor | undefined;
  while (!reader.done) {
    const start = reader.offset;
    const id = reader.u8('field id');
    if (previous?.id === 255) {
      throw badInput(`field 255: ${payload.length - start} trailing bytes after the last field`);
    }
    const descriptor = fieldDescriptor(type, id);
    if (!descriptor) throw badInput(`field ${id}: not defined for ${TYPE_NAMES[type]}`);
    if (previous && id < previous.id) throw badInput(`field ${id}: out of order (after field ${previous.id})`);
    if (previous && id === previous.id && descriptor.unique) {
      throw badInput(`field ${id}: duplicate (${descriptor.name} may appear only once)`);
    }
    const context = `field ${id}`;
    let value: Uint8Array;
    let label: Uint8Array | undefined;
    let lengthWidth: 0 | 1 | 2 | 3;
    switch (descriptor.length) {
      case 'fixed64':
        lengthWidth = 0;
        value = reader.take(64, context);
        break;
      case 'named': {
        lengthWidth = 2;
        label = reader.take(reader.u8(context), context);
        value = reader.take(reader.u16(context), context);
        break;
      }
      case 'enc':
        // signet-format.md §11 row 2: a 2-byte length of a 33/65-byte key starts with 0x00, and a
        // 1-byte length of 0 is never a valid key, so the first length byte tells the dialect.
        if (reader.remaining < 1) throw badInput(`${context}: truncated (no length)`);
        lengthWidth = payload[reader.offset] === 0 ? 2 : 1;
        value = reader.take(reader.uint(lengthWidth, context), context);
        break;
      default:
        lengthWidth = descriptor.length;
        value = reader.take(reader.uint(lengthWidth, context), context);
    }
    checkValue(descriptor, value, context, options);
    const name = label !== undefined ? utf8Decode(label) : descriptor.name;
    fields.push(label !== undefined
      ? { id, name, value, label, lengthWidth, start, end: reader.offset }
      : { id, name, value, lengthWidth, start, end: reader.offset });
    previous = descriptor;
  }
  if (isKeysType(type)) {
    for (const id of type === 'org-keys' ? [1, 3] : [1, 2]) {
      if (!fields.some((f) => f.id === id)) {
        throw badInput(`field ${id}: missing (${fieldDescriptor(type, id)!.name} is required in ${TYPE_NAMES[type]})`);
      }
    }
  }
  return { type, magic, bytes, payload, fields };
}

function checkValue(descriptor: FieldDescriptor, value: Uint8Array, context: string, options: DecodeOptions): void {
  switch (descriptor.content) {
    case 'signing-key':
      parseSigningKey(value, context);
      return;
    case 'sok':
      parseSok(value, context);
      return;
    case 'encryption-key':
      checkEncryptionKey(value, context);
      return;
    case 'seed':
      if (value.length !== 32) throw badInput(`${context}: Ed25519 seed is ${value.length} bytes, expected 32`);
      return;
    case 'scalar':
      secp256k1PublicFromPrivate(value, context);
      return;
    case 'text':
    case 'photo':
    case 'undefined':
      if (value.length === 0 && !options.lenient) throw badInput(`${context}: empty ${descriptor.name}`);
      return;
    case 'signature':
      return; // always 64 bytes by construction
  }
}

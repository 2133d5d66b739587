/**
 * What `signet -d` and `signet -x` show (profile §6): the fields of any well-formed object with
 * their table names and printable values, the fingerprints, and the field tables themselves.
 * A keys file shows only its derived public keys, never private bytes.
 */
import { base64EncodeUnpadded, utf8Decode } from '../bytes/encoding.js';
import { fieldDescriptor, fieldTable, type FieldDescriptor } from './field-tables.js';
import { fingerprints, type Fingerprints } from './fingerprint.js';
import { decodeKeys } from './keys.js';
import { encodeSigningKey } from './keys-math.js';
import type { SignetKind, SignetObject, SignetType } from './types.js';

export interface DumpedField {
  readonly id: number;
  readonly name: string;
  /** Keys and signatures as unpadded base64, text as text, a photo as `PNG file (N bytes)`. */
  readonly value: string;
}

/** The `signet -d --json` object: `{type, size, fields:[{id,name,value}], fingerprints}`. */
export interface SignetDump {
  readonly type: SignetType;
  readonly size: number;
  readonly fields: readonly DumpedField[];
  readonly fingerprints: Fingerprints;
}

/** Printable value of one field, by its descriptor's content class. */
export function formatFieldValue(descriptor: FieldDescriptor, value: Uint8Array): string {
  switch (descriptor.content) {
    case 'text':
    case 'undefined':
      return utf8Decode(value);
    case 'photo':
      return `PNG file (${value.length} bytes)`;
    default:
      return base64EncodeUnpadded(value);
  }
}

/** The dump of any decoded object. */
export function dumpSignet(obj: SignetObject): SignetDump {
  if (obj.type === 'org-keys' || obj.type === 'user-keys') {
    const keys = decodeKeys(obj);
    const org = obj.type === 'org-keys';
    const fields: DumpedField[] = [
      { id: 1, name: org ? 'Primary-Organizational-Key' : 'Signing-Key', value: base64EncodeUnpadded(encodeSigningKey(keys.signingPublic, 'magma')) },
      { id: 1, name: org ? 'POK (DNS pok=)' : 'Signing-Key (raw)', value: base64EncodeUnpadded(keys.signingPublic) },
      { id: org ? 3 : 2, name: 'Encryption-Key', value: base64EncodeUnpadded(keys.encryptionPublic) },
    ];
    return { type: obj.type, size: obj.bytes.length, fields, fingerprints: {} };
  }
  const fields = obj.fields.map((field) => ({
    id: field.id,
    name: field.name,
    value: formatFieldValue(fieldDescriptor(obj.type, field.id)!, field.value),
  }));
  return { type: obj.type, size: obj.bytes.length, fields, fingerprints: fingerprints(obj) };
}

/** One row of `signet -x`. */
export interface ExaminedField {
  readonly id: number;
  readonly name: string;
  readonly required: boolean;
  readonly unique: boolean;
  /** `fixed 64`, `1 byte`, `2 bytes`, `3 bytes`, `1 or 2 bytes` or `name 1 + data 2`. */
  readonly length: string;
  readonly description: string;
}

/** The field table of a signet type, every defined id from 0 through 255 in order. */
export function examineFields(kind: SignetKind): ExaminedField[] {
  return fieldTable(kind).map((f) => ({
    id: f.id,
    name: f.name,
    required: f.required,
    unique: f.unique,
    length:
      f.length === 'fixed64'
        ? 'fixed 64'
        : f.length === 'enc'
          ? '1 or 2 bytes'
          : f.length === 'named'
            ? 'name 1 + data 2'
            : `${f.length} byte${f.length === 1 ? '' : 's'}`,
    description: f.description,
  }));
}

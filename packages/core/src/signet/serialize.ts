/**
 * The binary writer (signet-format.md §1.2). Fields are written in the order given (which must be
 * sorted); each length uses the width the descriptor table says, and the encryption-key fields use
 * 1 byte (magma, prime) or 2 bytes (libdime) unless the field says otherwise. The result is
 * re-parsed, so anything written is something the parser accepts.
 */
import { ByteWriter } from '../bytes/writer.js';
import { usageError } from '../errors/dime-error.js';
import { fieldDescriptor } from './field-tables.js';
import { decodeSignetBinary } from './parse.js';
import { MAGIC, MAX_PAYLOAD_LENGTH, type SignetDialect, type SignetFieldInput, type SignetObject, type SignetType } from './types.js';

export interface SignetEncodeOptions {
  /** Width of encryption-key lengths for fields that do not carry one: 2 for `libdime`, else 1. */
  readonly dialect?: SignetDialect;
}

/** Serializes the fields alone (the payload, without the header). */
export function encodePayload(type: SignetType, fields: readonly SignetFieldInput[], options: SignetEncodeOptions = {}): Uint8Array {
  const writer = new ByteWriter();
  for (const field of fields) {
    const descriptor = fieldDescriptor(type, field.id);
    if (!descriptor) throw usageError(`field ${field.id}: not defined for type ${type}`);
    const max = (width: number) => 2 ** (8 * width) - 1;
    writer.u8(field.id);
    switch (descriptor.length) {
      case 'fixed64':
        if (field.value.length !== 64) throw usageError(`field ${field.id}: signature must be 64 bytes, got ${field.value.length}`);
        writer.bytes(field.value);
        break;
      case 'named': {
        const label = field.label ?? new Uint8Array(0);
        if (label.length > 255) throw usageError(`field ${field.id}: name is ${label.length} bytes, at most 255`);
        if (field.value.length > 0xffff) throw usageError(`field ${field.id}: ${field.value.length} bytes, at most 65535`);
        writer.u8(label.length).bytes(label).u16(field.value.length).bytes(field.value);
        break;
      }
      default: {
        const width =
          descriptor.length === 'enc'
            ? field.lengthWidth && field.lengthWidth > 0
              ? field.lengthWidth
              : options.dialect === 'libdime'
                ? 2
                : 1
            : descriptor.length;
        if (field.value.length > max(width)) {
          throw usageError(`field ${field.id}: ${descriptor.name} is ${field.value.length} bytes, at most ${max(width)}`);
        }
        writer.uint(width, field.value.length).bytes(field.value);
      }
    }
  }
  return writer.finish();
}

/**
 * Builds an object of `type` from fields and returns it decoded (offsets, names), so the caller
 * holds exactly what a reader of the file will see. Throws USAGE for fields the type cannot hold,
 * and BAD_INPUT (from the parser) for values the format rejects.
 */
export function encodeSignetObject(type: SignetType, fields: readonly SignetFieldInput[], options: SignetEncodeOptions = {}): SignetObject {
  const payload = encodePayload(type, fields, options);
  if (payload.length > MAX_PAYLOAD_LENGTH) throw usageError(`signet payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD_LENGTH}`);
  const writer = new ByteWriter(payload.length + 5);
  writer.u16(MAGIC[type]).u24(payload.length).bytes(payload);
  return decodeSignetBinary(writer.finish());
}

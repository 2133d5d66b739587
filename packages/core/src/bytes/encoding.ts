/** Byte/text conversions. Every public boundary of @dime/core speaks `Uint8Array`, never `Buffer`. */
import { badInput } from '../errors/dime-error.js';

const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX_CHARS = /^[0-9a-fA-F]*$/;

/** A plain Uint8Array view (a Buffer is narrowed to its bytes without copying). */
export function toBytes(data: Uint8Array): Uint8Array {
  return data.constructor === Uint8Array
    ? data
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function utf8Encode(text: string): Uint8Array {
  return toBytes(Buffer.from(text, 'utf8'));
}

export function utf8Decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Standard base64, padded. */
export function base64Encode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Standard base64 without `=` padding (fingerprints, `pok=`, `tls=`). */
export function base64EncodeUnpadded(bytes: Uint8Array): string {
  return base64Encode(bytes).replace(/=+$/, '');
}

/**
 * Strict standard-alphabet base64, padded or not. Node's decoder silently skips junk, so the
 * alphabet and the length are checked here first; `what` names the field in the error.
 */
export function base64Decode(text: string, what = 'base64'): Uint8Array {
  if (!BASE64_CHARS.test(text)) throw badInput(`${what}: not base64`);
  const unpadded = text.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) throw badInput(`${what}: bad base64 length ${text.length}`);
  if (text.length !== unpadded.length && text.length % 4 !== 0) {
    throw badInput(`${what}: bad base64 padding`);
  }
  return toBytes(Buffer.from(unpadded, 'base64'));
}

export function hexEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function hexDecode(text: string, what = 'hex'): Uint8Array {
  if (text.length % 2 !== 0 || !HEX_CHARS.test(text)) throw badInput(`${what}: not hex`);
  return toBytes(Buffer.from(text, 'hex'));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic compare of unsigned bytes (DNS canonical ordering, RFC 4034 §6.3). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

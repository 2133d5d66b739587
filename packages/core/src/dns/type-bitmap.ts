/** NSEC/NSEC3 type bitmaps (RFC 4034 §4.1.2): windows of up to 32 bytes, ascending, no empty ones. */
import { badInput } from '../errors/dime-error.js';
import { typeToCode, typeToName } from './types.js';

export function encodeTypeBitmap(types: ReadonlyArray<string | number>): Uint8Array {
  const codes = [...new Set(types.map((t) => typeToCode(t)))].sort((a, b) => a - b);
  const out: number[] = [];
  let i = 0;
  while (i < codes.length) {
    const window = codes[i]! >> 8;
    const bits = new Uint8Array(32);
    let used = 0;
    while (i < codes.length && codes[i]! >> 8 === window) {
      const low = codes[i]! & 0xff;
      bits[low >> 3]! |= 0x80 >> (low & 7);
      used = (low >> 3) + 1;
      i++;
    }
    out.push(window, used, ...bits.subarray(0, used));
  }
  return Uint8Array.from(out);
}

/** Type codes present, ascending. Malformed windows are BAD_INPUT. */
export function decodeTypeBitmap(bytes: Uint8Array, what = 'type bitmap'): number[] {
  const codes: number[] = [];
  let pos = 0;
  let lastWindow = -1;
  while (pos < bytes.length) {
    if (pos + 2 > bytes.length) throw badInput(`${what}: truncated window header`);
    const window = bytes[pos]!;
    const len = bytes[pos + 1]!;
    if (window <= lastWindow) throw badInput(`${what}: windows out of order`);
    if (len < 1 || len > 32) throw badInput(`${what}: window length ${len}`);
    if (pos + 2 + len > bytes.length) throw badInput(`${what}: truncated window`);
    for (let i = 0; i < len; i++) {
      const b = bytes[pos + 2 + i]!;
      for (let bit = 0; bit < 8; bit++) if (b & (0x80 >> bit)) codes.push(window * 256 + i * 8 + bit);
    }
    lastWindow = window;
    pos += 2 + len;
  }
  return codes;
}

export function typeBitmapNames(bytes: Uint8Array): string[] {
  return decodeTypeBitmap(bytes).map((c) => typeToName(c));
}

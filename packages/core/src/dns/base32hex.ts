/** RFC 4648 §7 base32 with the extended-hex alphabet, unpadded, as NSEC3 next-hashed names use it. */
import { badInput } from '../errors/dime-error.js';

const ALPHABET = '0123456789abcdefghijklmnopqrstuv';

export function base32hexEncode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Case-insensitive; rejects padding, foreign characters and non-zero trailing bits. */
export function base32hexDecode(text: string, what = 'base32hex'): Uint8Array {
  const lower = text.toLowerCase();
  if (!/^[0-9a-v]*$/.test(lower)) throw badInput(`${what}: not base32hex`);
  if ([1, 3, 6].includes(lower.length % 8)) throw badInput(`${what}: bad base32hex length ${text.length}`);
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of lower) {
    buffer = (buffer << 5) | ALPHABET.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  if (buffer !== 0) throw badInput(`${what}: non-zero trailing bits`);
  return Uint8Array.from(out);
}

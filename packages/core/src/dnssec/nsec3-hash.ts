/** NSEC3 owner hashing (RFC 5155 §5): IH(salt, x, 0) = H(x || salt), IH(salt, x, k) = H(IH(salt, x, k-1) || salt). */
import { createHash } from 'node:crypto';
import { toBytes } from '../bytes/encoding.js';
import { nameToWire } from '../dns/name.js';
import { base32hexEncode } from '../dns/base32hex.js';

/** Hash algorithm 1 (SHA-1) is the only one defined. */
export function nsec3Hash(name: string, salt: Uint8Array, iterations: number): Uint8Array {
  let x = nameToWire(name, true);
  for (let i = 0; i <= iterations; i++) {
    x = toBytes(createHash('sha1').update(x).update(salt).digest());
  }
  return x;
}

/** The hashed owner label in base32hex, lower case (`0p9mhaveqvm6t7vbl5lop2u3t2rp3tom`). */
export function nsec3HashLabel(name: string, salt: Uint8Array, iterations: number): string {
  return base32hexEncode(nsec3Hash(name, salt, iterations));
}

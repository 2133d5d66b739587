/**
 * The two key types inside signets (signet-format.md §3): Ed25519 signing keys, stored as `0x40`
 * followed by the 32-byte key (C tool) or as the raw 32 bytes (PRIME); secp256k1 encryption keys,
 * stored as SEC1 points (33 bytes compressed, or 65 uncompressed on read). All arithmetic is
 * node:crypto's (OpenSSL): ECDH.convertKey refuses a point that is not on the curve.
 */
import { ECDH, createECDH, generateKeyPairSync } from 'node:crypto';
import { badInput } from '../errors/dime-error.js';
import { toBytes } from '../bytes/encoding.js';
import type { SignetDialect } from './types.js';

/** The format byte of a public signing key in the C tool's signets (draft-koch-eddsa-for-openpgp). */
export const SIGNING_KEY_FORMAT = 0x40;

/** SOK permission bits (signet-format.md §3.2). */
export const SOK_PERMISSION = { signet: 1, message: 2, tls: 4, software: 8 } as const;

/**
 * The raw 32-byte Ed25519 key of a signing-key field: `0x40`‖key (33 bytes) or the raw key (32).
 * `what` prefixes the error (`field 1`).
 */
export function parseSigningKey(value: Uint8Array, what = 'field 1'): Uint8Array {
  if (value.length === 32) return value;
  if (value.length === 33) {
    if (value[0] !== SIGNING_KEY_FORMAT) {
      throw badInput(`${what}: 33-byte signing key must start with 0x40, found 0x${value[0]!.toString(16).padStart(2, '0')}`);
    }
    return value.subarray(1);
  }
  throw badInput(`${what}: signing key is ${value.length} bytes, expected 32 (raw) or 33 (0x40 + key)`);
}

/** The field value of a signing key in a dialect: raw for `prime`, `0x40`‖key otherwise. */
export function encodeSigningKey(publicKey: Uint8Array, dialect: SignetDialect): Uint8Array {
  if (publicKey.length !== 32) throw new RangeError(`Ed25519 public key must be 32 bytes, got ${publicKey.length}`);
  if (dialect === 'prime') return publicKey.slice();
  const out = new Uint8Array(33);
  out[0] = SIGNING_KEY_FORMAT;
  out.set(publicKey, 1);
  return out;
}

/** A secondary organizational key: `[permissions][0x40][key]` (34) or `[permissions][key]` (33). */
export function parseSok(value: Uint8Array, what = 'field 2'): { permissions: number; publicKey: Uint8Array } {
  if (value.length !== 33 && value.length !== 34) {
    throw badInput(`${what}: secondary key is ${value.length} bytes, expected 34 (permissions, 0x40, key) or 33`);
  }
  return { permissions: value[0]!, publicKey: parseSigningKey(value.subarray(1), what) };
}

/** Throws unless `value` is a secp256k1 point: 33 bytes `02`/`03` or 65 bytes `04`, on the curve. */
export function checkEncryptionKey(value: Uint8Array, what = 'encryption key'): void {
  const prefix = value[0];
  const shapeOk = (value.length === 33 && (prefix === 2 || prefix === 3)) || (value.length === 65 && prefix === 4);
  if (!shapeOk) {
    throw badInput(
      `${what}: secp256k1 key of ${value.length} bytes${value.length ? ` starting 0x${prefix!.toString(16).padStart(2, '0')}` : ''}, expected 33 (02/03) or 65 (04)`
    );
  }
  try {
    ECDH.convertKey(Buffer.from(value), 'secp256k1', undefined, undefined, 'compressed');
  } catch {
    throw badInput(`${what}: secp256k1 key is not a point on the curve`);
  }
}

/** The 33-byte compressed form of a valid point (33 or 65 bytes). */
export function compressEncryptionKey(value: Uint8Array): Uint8Array {
  checkEncryptionKey(value);
  return toBytes(ECDH.convertKey(Buffer.from(value), 'secp256k1', undefined, undefined, 'compressed') as Buffer);
}

/** Compressed public point of a 32-byte big-endian secp256k1 scalar; throws for 0 or ≥ n. */
export function secp256k1PublicFromPrivate(scalar: Uint8Array, what = 'encryption private key'): Uint8Array {
  if (scalar.length !== 32) throw badInput(`${what}: ${scalar.length} bytes, expected 32`);
  try {
    const ecdh = createECDH('secp256k1');
    ecdh.setPrivateKey(Buffer.from(scalar));
    return toBytes(ecdh.getPublicKey(null, 'compressed'));
  } catch {
    throw badInput(`${what}: not a valid secp256k1 private key (zero or not below the group order)`);
  }
}

/** A fresh secp256k1 private scalar, 32 bytes big-endian (left-padded, signet-format.md §6.1). */
export function secp256k1GeneratePrivate(): Uint8Array {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const out = new Uint8Array(32);
  out.set(d, 32 - d.length);
  return out;
}

/**
 * Ed25519 (RFC 8032, pure, strict) through node:crypto, the only signature primitive of signets,
 * `pok=` and `tls=`. Keys cross this boundary as raw bytes: 32-byte seed, 32-byte public key.
 */
import { createPrivateKey, createPublicKey, sign, verify, randomBytes, type KeyObject } from 'node:crypto';
import { concatBytes, toBytes } from '../bytes/encoding.js';

// DER prefixes that wrap a raw key into PKCS#8 / SPKI (RFC 8410).
const PKCS8_PREFIX = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

export const ED25519_SEED_LENGTH = 32;
export const ED25519_PUBLIC_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  if (bytes.length !== length) throw new RangeError(`${what} must be ${length} bytes, got ${bytes.length}`);
}

export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  checkLength(seed, ED25519_SEED_LENGTH, 'Ed25519 seed');
  return createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  checkLength(publicKey, ED25519_PUBLIC_LENGTH, 'Ed25519 public key');
  return createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, publicKey)), format: 'der', type: 'spki' });
}

export function ed25519GenerateSeed(): Uint8Array {
  return toBytes(randomBytes(ED25519_SEED_LENGTH));
}

export function ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(ed25519PrivateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return toBytes(spki).slice(SPKI_PREFIX.length);
}

export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return toBytes(sign(null, message, ed25519PrivateKeyObject(seed)));
}

/** Never throws for a bad signature or an unusable key: it returns false. */
export function ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_LENGTH || publicKey.length !== ED25519_PUBLIC_LENGTH) return false;
  try {
    return verify(null, message, ed25519PublicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/** The raw seed of a PKCS#8 Ed25519 private key given as DER. */
export function ed25519SeedFromPkcs8(der: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new RangeError(`not an Ed25519 key: ${key.asymmetricKeyType}`);
  const jwk = key.export({ format: 'jwk' });
  return toBytes(Buffer.from(jwk.d!, 'base64url'));
}

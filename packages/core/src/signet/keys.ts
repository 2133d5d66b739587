/**
 * Keys files (signet-format.md §6.1): org keys (magic 1952) hold the POK seed in field 1 and the
 * encryption scalar in field 3; user keys (2013) hold them in fields 1 and 2. Payload 68 (1-byte
 * lengths, magma/PRIME) or 69 (2-byte encryption-key length, libdime).
 */
import { badInput, usageError } from '../errors/dime-error.js';
import { base64EncodeUnpadded } from '../bytes/encoding.js';
import { ed25519GenerateSeed, ed25519PublicFromSeed } from '../crypto/ed25519.js';
import { findField } from './object.js';
import { encodeSigningKey, secp256k1GeneratePrivate, secp256k1PublicFromPrivate } from './keys-math.js';
import { encodeSignetObject } from './serialize.js';
import type { SignetDialect, SignetObject } from './types.js';

/** The key material of a keys file, with the public keys derived from it. */
export interface SignetKeys {
  readonly type: 'org-keys' | 'user-keys';
  /** The 32-byte RFC 8032 private seed. */
  readonly signingSeed: Uint8Array;
  /** The 32-byte Ed25519 public key derived from the seed. */
  readonly signingPublic: Uint8Array;
  /** The 32-byte big-endian secp256k1 private scalar. */
  readonly encryptionPrivate: Uint8Array;
  /** The 33-byte compressed secp256k1 public point. */
  readonly encryptionPublic: Uint8Array;
  /** `libdime` for a 69-byte payload (2-byte length), `magma` for 68. */
  readonly dialect: 'magma' | 'libdime';
}

/** The key material of a decoded keys file (throws BAD_INPUT for any other object). */
export function decodeKeys(obj: SignetObject): SignetKeys {
  if (obj.type !== 'org-keys' && obj.type !== 'user-keys') {
    throw badInput(`not a keys file: the object is a${obj.type === 'org' ? 'n org' : obj.type === 'ssr' ? 'n SSR' : ' user'} signet`);
  }
  const seed = findField(obj, 1)!.value;
  const encField = findField(obj, obj.type === 'org-keys' ? 3 : 2)!;
  return keysFrom(obj.type, seed, encField.value, encField.lengthWidth === 2 ? 'libdime' : 'magma');
}

function keysFrom(type: SignetKeys['type'], seed: Uint8Array, scalar: Uint8Array, dialect: SignetKeys['dialect']): SignetKeys {
  return {
    type,
    signingSeed: seed.slice(),
    signingPublic: ed25519PublicFromSeed(seed),
    encryptionPrivate: scalar.slice(),
    encryptionPublic: secp256k1PublicFromPrivate(scalar),
    dialect,
  };
}

/** Fresh keys from node:crypto's CSPRNG: an Ed25519 seed and a secp256k1 scalar. */
export function generateKeys(type: 'org-keys' | 'user-keys'): SignetKeys {
  return keysFrom(type, ed25519GenerateSeed(), secp256k1GeneratePrivate(), 'magma');
}

/** Keys from raw material (both 32 bytes), e.g. to rebuild a signet deterministically. */
export function keysFromMaterial(type: 'org-keys' | 'user-keys', signingSeed: Uint8Array, encryptionPrivate: Uint8Array): SignetKeys {
  if (signingSeed.length !== 32) throw usageError(`signing seed: ${signingSeed.length} bytes, expected 32`);
  return keysFrom(type, signingSeed, encryptionPrivate, 'magma');
}

/** The keys file object: payload 68 (`magma`, `prime`) or 69 (`libdime`). */
export function encodeKeys(keys: SignetKeys, dialect: SignetDialect = 'magma'): SignetObject {
  return encodeSignetObject(
    keys.type,
    [
      { id: 1, value: keys.signingSeed },
      { id: keys.type === 'org-keys' ? 3 : 2, value: keys.encryptionPrivate, lengthWidth: dialect === 'libdime' ? 2 : 1 },
    ],
    { dialect }
  );
}

/**
 * The DNS `pok=` value of a keys file: the 32-byte Ed25519 public key as exactly 43 unpadded base64
 * characters (signet-format.md §3.1), never the `0x40` form.
 */
export function pokOf(keys: SignetKeys | SignetObject): string {
  const material = 'signingPublic' in keys ? keys : decodeKeys(keys);
  return base64EncodeUnpadded(material.signingPublic);
}

/** The field-1 value of a signet made with these keys, in a dialect (`0x40`‖key or raw). */
export function signingKeyField(keys: SignetKeys, dialect: SignetDialect): Uint8Array {
  return encodeSigningKey(keys.signingPublic, dialect);
}

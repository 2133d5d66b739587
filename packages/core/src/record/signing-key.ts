/**
 * The POK private key `genrec -k` reads (profile §6 `genrec`; record-and-dnssec.md §3.2), in any of:
 * - an org keys file (armored `ORGANIZATIONAL KEY` or binary, every dialect), through the signet codec;
 * - a PEM `ED25519 PRIVATE KEY` block whose base64 body is the 32-byte seed, with the OpenPGP CRC-24
 *   line the C genrec required (checked when present; libdime's own `ed25519` tool omits it);
 * - a PKCS#8 Ed25519 private key, PEM (`PRIVATE KEY`) or DER (RFC 8410).
 */
import { createPrivateKey } from 'node:crypto';
import { badInput, DimeError } from '../errors/dime-error.js';
import { base64Decode, base64EncodeUnpadded, toBytes } from '../bytes/encoding.js';
import { ed25519PublicFromSeed, ed25519SeedFromPkcs8 } from '../crypto/ed25519.js';
import {
  MAGIC_ENCRYPTED_ORG_KEYS,
  MAGIC_ENCRYPTED_USER_KEYS,
  crc24,
  ARMOR_TAGS,
  pokOf,
  typeOfMagic,
} from '../signet/index.js';
import { readOrgKeys } from './org-keys.js';

export type SigningKeySource = 'org-keys' | 'ed25519-pem' | 'pkcs8';

export interface SigningKey {
  source: SigningKeySource;
  /** The 32-byte Ed25519 seed (private: never print it). */
  seed: Uint8Array;
  /** The 32-byte Ed25519 public key, the POK. */
  publicKey: Uint8Array;
  /** The 43-character `pok=` value. */
  pok: string;
}

const ED25519_TAG = 'ED25519 PRIVATE KEY';
const EXPECTED_KEYS = 'an ORGANIZATIONAL KEY, an ED25519 PRIVATE KEY or a PKCS#8 PRIVATE KEY';
const PEM_LINE = /^-----(BEGIN|END) ([A-Z0-9 ]+)-----$/;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function fromSeed(source: SigningKeySource, seed: Uint8Array): SigningKey {
  const publicKey = ed25519PublicFromSeed(seed);
  return { source, seed, publicKey, pok: base64EncodeUnpadded(publicKey) };
}

/** True when the bytes start with a signet-object magic number (binary keys files and signets). */
function startsWithSignetMagic(data: Uint8Array): boolean {
  if (data.length < 2) return false;
  const magic = (data[0]! << 8) | data[1]!;
  return typeOfMagic(magic) !== undefined || magic === MAGIC_ENCRYPTED_ORG_KEYS || magic === MAGIC_ENCRYPTED_USER_KEYS;
}

/** The base64 body lines and the optional `=XXXX` line of the first PEM block named `tag`. */
function pemBlock(text: string, tag: string, what: string): { body: string; crc: string | undefined } | undefined {
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  const start = lines.findIndex((line) => line === `-----BEGIN ${tag}-----`);
  if (start < 0) return undefined;
  const body: string[] = [];
  let crc: string | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const marker = PEM_LINE.exec(line);
    if (marker) {
      if (marker[1] !== 'END' || marker[2] !== tag) throw badInput(`${what}: ${tag} block has no matching END line`);
      return { body: body.join(''), crc };
    }
    if (crc !== undefined) throw badInput(`${what}: data after the CRC line in ${tag}`);
    if (/^=[A-Za-z0-9+/]{4}$/.test(line)) {
      crc = line.slice(1);
      continue;
    }
    if (/^[A-Za-z0-9+/-]+:/.test(line)) throw badInput(`${what}: ${tag} block has headers (an encrypted key is not supported)`);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(line)) throw badInput(`${what}: line ${i + 1} of ${tag} is not base64`);
    body.push(line);
  }
  throw badInput(`${what}: ${tag} block has no END line`);
}

/** The C genrec's key: a 32-byte seed in base64, CRC-24 verified when the `=XXXX` line is there. */
function readEd25519Pem(text: string, what: string): SigningKey | undefined {
  const block = pemBlock(text, ED25519_TAG, what);
  if (!block) return undefined;
  const seed = base64Decode(block.body, `${what}: ${ED25519_TAG}`);
  if (seed.length !== 32) throw badInput(`${what}: ${ED25519_TAG} holds ${seed.length} bytes, expected a 32-byte seed`);
  if (block.crc !== undefined) {
    const stated = base64Decode(block.crc, `${what}: CRC line`);
    const statedValue = (stated[0]! << 16) | (stated[1]! << 8) | stated[2]!;
    if (statedValue !== crc24(seed)) throw badInput(`${what}: ${ED25519_TAG} CRC-24 mismatch`);
  }
  return fromSeed('ed25519-pem', seed);
}

/** A PKCS#8 key (PEM or DER) that must be Ed25519 and unencrypted. */
function readPkcs8(der: Uint8Array, what: string): SigningKey {
  let type: string | undefined;
  try {
    type = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).asymmetricKeyType;
  } catch (err) {
    throw badInput(`${what}: not a PKCS#8 private key (${(err as Error).message})`);
  }
  if (type !== 'ed25519') throw badInput(`${what}: the PKCS#8 key is ${type ?? 'of an unknown type'}, expected Ed25519`);
  return fromSeed('pkcs8', toBytes(ed25519SeedFromPkcs8(der)));
}

/**
 * Reads the POK private key from a key file's bytes. Unreadable or unsuitable files are BAD_INPUT
 * (exit 3), named by `what` (usually `key file <path>`).
 */
export function readSigningKey(data: Uint8Array, what = 'key file'): SigningKey {
  try {
    const text = latin1(data);
    const ed = readEd25519Pem(text, what);
    if (ed) return ed;
    const pkcs8 = pemBlock(text, 'PRIVATE KEY', what);
    if (pkcs8) return readPkcs8(base64Decode(pkcs8.body, `${what}: PRIVATE KEY`), what);
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text)) throw badInput(`${what}: an encrypted PKCS#8 key is not supported`);
    if (data.length > 0 && data[0] === 0x30) return readPkcs8(data, what);
    const tag = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
    if (tag !== undefined && !(ARMOR_TAGS as readonly string[]).includes(tag)) {
      throw badInput(`${what}: ${tag} is not a POK key (expected ${EXPECTED_KEYS})`);
    }
    if (tag === undefined && !startsWithSignetMagic(data)) throw badInput(`${what}: not a key file (expected ${EXPECTED_KEYS})`);
    const keys = readOrgKeys(data, what);
    return { source: 'org-keys', seed: keys.signingSeed, publicKey: keys.signingPublic, pok: pokOf(keys) };
  } catch (err) {
    if (err instanceof DimeError && err.code === 'BAD_INPUT' && !err.message.startsWith(what)) {
      throw new DimeError('BAD_INPUT', `${what}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

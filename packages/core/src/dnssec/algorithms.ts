/**
 * DNSSEC signature algorithms through node:crypto (RFC 3110/5702 RSA, RFC 6605 ECDSA, RFC 8080
 * EdDSA). Public keys arrive as DNSKEY public-key bytes and are imported as JWK; signatures are
 * PKCS#1 v1.5 for RSA, raw r||s for ECDSA (`ieee-p1363`), raw for EdDSA.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
  type JsonWebKey,
} from 'node:crypto';
import { badInput } from '../errors/dime-error.js';
import { base64Decode, concatBytes, toBytes } from '../bytes/encoding.js';

interface AlgorithmInfo {
  name: string;
  kind: 'rsa' | 'ecdsa' | 'eddsa';
  hash: 'sha1' | 'sha256' | 'sha384' | 'sha512' | null;
  curve?: 'P-256' | 'P-384' | 'Ed25519' | 'Ed448';
  /** Byte length of one coordinate / of the raw public key. */
  size?: number;
}

const ALGORITHMS: ReadonlyMap<number, AlgorithmInfo> = new Map<number, AlgorithmInfo>([
  [5, { name: 'RSASHA1', kind: 'rsa', hash: 'sha1' }],
  [7, { name: 'RSASHA1-NSEC3-SHA1', kind: 'rsa', hash: 'sha1' }],
  [8, { name: 'RSASHA256', kind: 'rsa', hash: 'sha256' }],
  [10, { name: 'RSASHA512', kind: 'rsa', hash: 'sha512' }],
  [13, { name: 'ECDSAP256SHA256', kind: 'ecdsa', hash: 'sha256', curve: 'P-256', size: 32 }],
  [14, { name: 'ECDSAP384SHA384', kind: 'ecdsa', hash: 'sha384', curve: 'P-384', size: 48 }],
  [15, { name: 'ED25519', kind: 'eddsa', hash: null, curve: 'Ed25519', size: 32 }],
  [16, { name: 'ED448', kind: 'eddsa', hash: null, curve: 'Ed448', size: 57 }],
]);

/** Algorithms we validate: 5, 7, 8, 10, 13, 14, 15, 16. */
export const SUPPORTED_ALGORITHMS: readonly number[] = [...ALGORITHMS.keys()];
/** Algorithms the signer produces (RSA/SHA-1 is validate-only, RFC 8624). */
export const SIGNING_ALGORITHMS: readonly number[] = [8, 10, 13, 14, 15, 16];

export function isSupportedAlgorithm(algorithm: number): boolean {
  return ALGORITHMS.has(algorithm);
}

const b64url = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
const fromB64url = (s: string) => toBytes(Buffer.from(s, 'base64url'));

function stripZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** RFC 3110 §2: exponent length (1 byte, or 0 then 2 bytes), exponent, modulus. */
export function parseRsaPublicKey(publicKey: Uint8Array): { exponent: Uint8Array; modulus: Uint8Array } {
  if (publicKey.length < 3) throw badInput('RSA public key: too short');
  let expLen = publicKey[0]!;
  let pos = 1;
  if (expLen === 0) {
    expLen = (publicKey[1]! << 8) | publicKey[2]!;
    pos = 3;
  }
  if (expLen === 0 || pos + expLen >= publicKey.length) throw badInput('RSA public key: bad exponent length');
  return { exponent: publicKey.subarray(pos, pos + expLen), modulus: publicKey.subarray(pos + expLen) };
}

/** A node KeyObject for a DNSKEY public key; BAD_INPUT when it is malformed for its algorithm. */
// Importing a key (JWK → OpenSSL) costs about as much as an ECDSA verification, and a zone's
// handful of DNSKEYs sign every RRset: keep recent imports. Bounded, so hostile keys cannot grow it.
const IMPORTED_KEYS = new Map<string, KeyObject>();
const IMPORTED_KEYS_MAX = 256;

// Validators pass the same DNSKEY bytes for every RRset of a zone: look those up by identity before
// building the string key (a base64 of 260 bytes per RSA check). RDATA is never mutated in place.
const IMPORTED_BY_BYTES = new WeakMap<Uint8Array, { algorithm: number; key: KeyObject }>();

export function importDnskeyPublicKey(algorithm: number, publicKey: Uint8Array): KeyObject {
  const same = IMPORTED_BY_BYTES.get(publicKey);
  if (same && same.algorithm === algorithm) return same.key;
  const key = importByValue(algorithm, publicKey);
  IMPORTED_BY_BYTES.set(publicKey, { algorithm, key });
  return key;
}

function importByValue(algorithm: number, publicKey: Uint8Array): KeyObject {
  const cacheKey = `${algorithm}:${Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64')}`;
  const cached = IMPORTED_KEYS.get(cacheKey);
  if (cached) return cached;
  const key = importUncached(algorithm, publicKey);
  if (IMPORTED_KEYS.size >= IMPORTED_KEYS_MAX) IMPORTED_KEYS.clear();
  IMPORTED_KEYS.set(cacheKey, key);
  return key;
}

function importUncached(algorithm: number, publicKey: Uint8Array): KeyObject {
  const info = ALGORITHMS.get(algorithm);
  if (!info) throw badInput(`DNSSEC algorithm ${algorithm} is not supported`);
  let jwk: JsonWebKey;
  if (info.kind === 'rsa') {
    const { exponent, modulus } = parseRsaPublicKey(publicKey);
    jwk = { kty: 'RSA', n: b64url(stripZeros(modulus)), e: b64url(stripZeros(exponent)) };
  } else if (info.kind === 'ecdsa') {
    if (publicKey.length !== info.size! * 2) throw badInput(`${info.name} public key: ${publicKey.length} bytes, expected ${info.size! * 2}`);
    jwk = { kty: 'EC', crv: info.curve!, x: b64url(publicKey.subarray(0, info.size!)), y: b64url(publicKey.subarray(info.size!)) };
  } else {
    if (publicKey.length !== info.size) throw badInput(`${info.name} public key: ${publicKey.length} bytes, expected ${info.size}`);
    jwk = { kty: 'OKP', crv: info.curve!, x: b64url(publicKey) };
  }
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch (e) {
    throw badInput(`${info.name} public key: not usable (${(e as Error).message})`);
  }
}

/** Verifies one signature; false for a bad signature or an unusable key, never a throw. */
export function verifySignature(algorithm: number, publicKey: Uint8Array | KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const info = ALGORITHMS.get(algorithm);
  if (!info) return false;
  try {
    const key = publicKey instanceof Uint8Array ? importDnskeyPublicKey(algorithm, publicKey) : publicKey;
    if (info.kind === 'ecdsa') {
      if (signature.length !== info.size! * 2) return false;
      return nodeVerify(info.hash!, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    return nodeVerify(info.hash, data, key, signature);
  } catch {
    return false;
  }
}

/** Signs `data` (PKCS#1 v1.5, ECDSA r||s, or pure EdDSA). */
export function signData(algorithm: number, privateKey: KeyObject, data: Uint8Array): Uint8Array {
  const info = ALGORITHMS.get(algorithm);
  if (!info) throw badInput(`DNSSEC algorithm ${algorithm} is not supported`);
  if (info.kind === 'ecdsa') return toBytes(nodeSign(info.hash!, data, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
  return toBytes(nodeSign(info.hash, data, privateKey));
}

function pad(b: Uint8Array, size: number): Uint8Array {
  if (b.length >= size) return b;
  return concatBytes(new Uint8Array(size - b.length), b);
}

/** DNSKEY public-key bytes for a node key (public or private) of the given algorithm. */
export function dnskeyPublicKey(algorithm: number, key: KeyObject): Uint8Array {
  const info = ALGORITHMS.get(algorithm);
  if (!info) throw badInput(`DNSSEC algorithm ${algorithm} is not supported`);
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (info.kind === 'rsa') {
    if (jwk.kty !== 'RSA') throw badInput(`${info.name}: not an RSA key`);
    const e = fromB64url(jwk.e!);
    const n = fromB64url(jwk.n!);
    const head = e.length < 256 ? Uint8Array.of(e.length) : Uint8Array.of(0, e.length >> 8, e.length & 0xff);
    return concatBytes(head, e, n);
  }
  if (jwk.crv !== info.curve) throw badInput(`${info.name}: key is ${String(jwk.crv ?? jwk.kty)}, expected ${info.curve}`);
  if (info.kind === 'ecdsa') return concatBytes(pad(fromB64url(jwk.x!), info.size!), pad(fromB64url(jwk.y!), info.size!));
  return fromB64url(jwk.x!);
}

/** A fresh private key for a signing algorithm (RSA default 2048 bits, 1024 allowed for speed in tests). */
export function generateDnssecKey(algorithm: number, rsaBits = 2048): KeyObject {
  const info = ALGORITHMS.get(algorithm);
  if (!info || !SIGNING_ALGORITHMS.includes(algorithm)) throw badInput(`cannot generate keys for algorithm ${algorithm}`);
  if (info.kind === 'rsa') return generateKeyPairSync('rsa', { modulusLength: rsaBits, publicExponent: 65537 }).privateKey;
  if (info.kind === 'ecdsa') return generateKeyPairSync('ec', { namedCurve: info.curve! }).privateKey;
  return info.curve === 'Ed25519' ? generateKeyPairSync('ed25519').privateKey : generateKeyPairSync('ed448').privateKey;
}

const SEC1_P256 = [Uint8Array.from([0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20]), Uint8Array.from([0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07])] as const;
const SEC1_P384 = [Uint8Array.from([0x30, 0x3e, 0x02, 0x01, 0x01, 0x04, 0x30]), Uint8Array.from([0xa0, 0x07, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22])] as const;
const PKCS8_ED25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const PKCS8_ED448 = Uint8Array.from([0x30, 0x47, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x04, 0x3b, 0x04, 0x39]);

/**
 * A private key from BIND's `Private-key-format: v1.2` file (what `dnssec-keygen` writes and what
 * RFC 5702/6605/8080 publish): RSA CRT fields, or `PrivateKey:` for ECDSA (scalar d) and EdDSA (seed).
 */
export function importBindPrivateKey(text: string): { algorithm: number; key: KeyObject } {
  const fields = new Map<string, string>();
  let lastKey = '';
  for (const raw of text.split(/\r?\n/)) {
    const commented = /^\s*;/.test(raw);
    const line = raw.replace(/^\s*;\s?/, '').trimEnd();
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (m) {
      lastKey = m[1]!;
      fields.set(lastKey, m[2]!.trim());
    } else if (commented && lastKey && /^\s+[A-Za-z0-9+/=]+$/.test(line)) {
      fields.set(lastKey, fields.get(lastKey)! + line.trim()); // a wrapped value inside a comment (the RFC texts)
    } else {
      lastKey = '';
    }
  }
  const algField = fields.get('Algorithm');
  if (!algField) throw badInput('private key: no Algorithm line');
  const algorithm = Number(/^\d+/.exec(algField)?.[0]);
  const info = ALGORITHMS.get(algorithm);
  if (!info) throw badInput(`private key: algorithm ${algField} not supported`);
  const get = (name: string) => {
    const v = fields.get(name);
    if (!v) throw badInput(`private key: missing ${name}`);
    return base64Decode(v.replace(/\s+/g, ''), `private key ${name}`);
  };
  try {
    if (info.kind === 'rsa') {
      const jwk: JsonWebKey = {
        kty: 'RSA',
        n: b64url(stripZeros(get('Modulus'))),
        e: b64url(stripZeros(get('PublicExponent'))),
        d: b64url(stripZeros(get('PrivateExponent'))),
        p: b64url(stripZeros(get('Prime1'))),
        q: b64url(stripZeros(get('Prime2'))),
        dp: b64url(stripZeros(get('Exponent1'))),
        dq: b64url(stripZeros(get('Exponent2'))),
        qi: b64url(stripZeros(get('Coefficient'))),
      };
      return { algorithm, key: createPrivateKey({ key: jwk, format: 'jwk' }) };
    }
    const secret = get('PrivateKey');
    if (secret.length !== info.size) throw badInput(`private key: PrivateKey of ${secret.length} bytes, expected ${info.size}`);
    if (info.kind === 'ecdsa') {
      const [head, tail] = info.curve === 'P-256' ? SEC1_P256 : SEC1_P384;
      return { algorithm, key: createPrivateKey({ key: Buffer.from(concatBytes(head, secret, tail)), format: 'der', type: 'sec1' }) };
    }
    const prefix = info.curve === 'Ed25519' ? PKCS8_ED25519 : PKCS8_ED448;
    return { algorithm, key: createPrivateKey({ key: Buffer.from(concatBytes(prefix, secret)), format: 'der', type: 'pkcs8' }) };
  } catch (e) {
    if ((e as { code?: string }).code === 'BAD_INPUT') throw e;
    throw badInput(`private key: not usable (${(e as Error).message})`);
  }
}

import { describe, expect, it } from 'vitest';
import * as noble from '@noble/ed25519';
import { sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { DimeError } from '@dime/core/errors';
import { hexDecode, hexEncode } from '@dime/core/bytes';
import { dnskeyPublicKey, generateDnssecKey, importDnskeyPublicKey, keyTag, parseRsaPublicKey, signData, verifySignature } from '@dime/core/dnssec';

noble.hashes.sha512 = nobleSha512;
const data = new TextEncoder().encode('signed data');

describe('signature algorithms', () => {
  it('Ed25519 (15): ours verify under @noble/ed25519 and the reverse', () => {
    const key = generateDnssecKey(15);
    const pub = dnskeyPublicKey(15, key);
    const ours = signData(15, key, data);
    expect(noble.verify(ours, data, pub)).toBe(true);
    const seed = hexDecode('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
    const theirs = noble.sign(data, seed);
    expect(verifySignature(15, noble.getPublicKey(seed), data, theirs)).toBe(true);
    expect(verifySignature(15, noble.getPublicKey(seed), data, theirs.map((b, i) => (i === 0 ? b ^ 1 : b)))).toBe(false);
  });

  it.each([5, 7, 8, 10, 13, 14, 15, 16])('algorithm %i signs and verifies; a flipped bit fails', (alg) => {
    const key = generateDnssecKey([5, 7].includes(alg) ? 8 : alg, 1024);
    const pub = dnskeyPublicKey([5, 7].includes(alg) ? 8 : alg, key);
    const sig = signData(alg, key, data);
    expect(verifySignature(alg, pub, data, sig)).toBe(true);
    const bad = sig.slice();
    bad[bad.length - 1]! ^= 1;
    expect(verifySignature(alg, pub, data, bad)).toBe(false);
    expect(verifySignature(alg, pub, new TextEncoder().encode('other data'), sig)).toBe(false);
  });

  it('RSA public keys in RFC 3110 form, both exponent-length encodings', () => {
    const key = generateDnssecKey(8, 1024);
    const pub = dnskeyPublicKey(8, key);
    expect(hexEncode(pub.subarray(0, 4))).toBe('03010001');
    const { exponent, modulus } = parseRsaPublicKey(pub);
    expect(hexEncode(exponent)).toBe('010001');
    expect(modulus.length).toBe(128);
    const long = Uint8Array.from([0, 0, 3, ...exponent, ...modulus]);
    const sig = signData(8, key, data);
    expect(verifySignature(8, long, data, sig)).toBe(true);
  });

  it('malformed public keys: BAD_INPUT on import, false on verify (never a throw)', () => {
    const cases: Array<[number, Uint8Array, RegExp]> = [
      [13, new Uint8Array(63), /ECDSAP256SHA256 public key: 63 bytes, expected 64/],
      [13, new Uint8Array(64), /not usable/],
      [15, new Uint8Array(31), /ED25519 public key: 31 bytes, expected 32/],
      [8, Uint8Array.of(5, 1, 0, 1), /bad exponent length/],
      [8, Uint8Array.of(0), /too short/],
      [99, new Uint8Array(32), /algorithm 99 is not supported/],
    ];
    for (const [alg, pub, re] of cases) {
      let err: unknown;
      try {
        importDnskeyPublicKey(alg, pub);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DimeError);
      expect((err as DimeError).message).toMatch(re);
      expect(verifySignature(alg, pub, data, new Uint8Array(64))).toBe(false);
    }
  });

  it('key tag for algorithm 1 uses the key\'s trailing octets (RFC 4034 B.1)', () => {
    expect(keyTag(Uint8Array.of(1, 0, 3, 1, 0xaa, 0xbb, 0x12, 0x34, 0x56))).toBe(0x1234);
  });
});

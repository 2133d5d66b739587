import { describe, expect, it } from 'vitest';
import * as noble from '@noble/ed25519';
import { sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify, hexDecode, hexEncode, utf8Encode } from '@dime/core';

noble.hashes.sha512 = nobleSha512;

// RFC 8032 §7.1 TEST 2
const SEED = hexDecode('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
const PUBLIC = '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c';
const SIGNATURE =
  '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00';

describe('ed25519 (node:crypto)', () => {
  it('reproduces RFC 8032 test 2', () => {
    expect(hexEncode(ed25519PublicFromSeed(SEED))).toBe(PUBLIC);
    const sig = ed25519Sign(SEED, hexDecode('72'));
    expect(hexEncode(sig)).toBe(SIGNATURE);
    expect(ed25519Verify(sig, hexDecode('72'), hexDecode(PUBLIC))).toBe(true);
    expect(ed25519Verify(sig, hexDecode('73'), hexDecode(PUBLIC))).toBe(false);
  });

  it('agrees with @noble/ed25519 in both directions', () => {
    const msg = utf8Encode('signet');
    const ours = ed25519Sign(SEED, msg);
    expect(noble.verify(ours, msg, hexDecode(PUBLIC))).toBe(true);
    const theirs = noble.sign(msg, SEED);
    expect(ed25519Verify(theirs, msg, hexDecode(PUBLIC))).toBe(true);
  });

  it('returns false, never throws, for wrong-sized input', () => {
    expect(ed25519Verify(new Uint8Array(63), new Uint8Array(0), hexDecode(PUBLIC))).toBe(false);
    expect(ed25519Verify(new Uint8Array(64), new Uint8Array(0), new Uint8Array(31))).toBe(false);
  });
});

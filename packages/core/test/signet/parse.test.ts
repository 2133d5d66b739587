/**
 * The binary parser against hostile input (profile §2): each rule of signet-format.md §1.4 with its
 * exact message, plus every read dialect (0x40/raw keys, 1-/2-byte encryption-key lengths, 33/65-byte
 * points, keys payload 68/69).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DimeError,
  armorSignetObject,
  concatBytes,
  createOrgSignet,
  decodeKeys,
  decodeSignetBinary,
  decodeSignetObject,
  generateKeys,
  hexEncode,
  objectDialect,
  signingKeyOf,
} from '@dime/core';
import { ENC_KEY, ENC_KEY_65, OFF_CURVE, POK, POK_40, expectDimeError, f1, f2, object, sig, text } from './util.js';

const ORG = 1776;
const USER = 1789;
const SSR = 1215;

describe('binary parser accepts', () => {
  it('an org signet holding only a POK (incomplete objects are well-formed)', () => {
    const obj = decodeSignetBinary(object(ORG, f1(1, POK_40)));
    expect(obj.type).toBe('org');
    expect(obj.fields).toHaveLength(1);
    expect(hexEncode(signingKeyOf(obj))).toBe(hexEncode(POK));
  });

  it('a raw 32-byte signing key (PRIME) and a 0x40-prefixed one (C tool)', () => {
    const raw = decodeSignetBinary(object(ORG, f1(1, POK), f1(3, ENC_KEY)));
    const prefixed = decodeSignetBinary(object(ORG, f1(1, POK_40), f1(3, ENC_KEY)));
    expect(hexEncode(signingKeyOf(raw))).toBe(hexEncode(POK));
    expect(hexEncode(signingKeyOf(prefixed))).toBe(hexEncode(POK));
    expect(objectDialect(raw)).toBe('prime');
    expect(objectDialect(prefixed)).toBe('magma');
  });

  it('a 2-byte encryption-key length (libdime), detected from its leading zero', () => {
    const obj = decodeSignetBinary(object(ORG, f1(1, POK_40), f2(3, ENC_KEY), f1(16, text('Org'))));
    const enc = obj.fields[1]!;
    expect(enc.lengthWidth).toBe(2);
    expect(hexEncode(enc.value)).toBe(hexEncode(ENC_KEY));
    expect(obj.fields[2]!.name).toBe('Name');
    expect(objectDialect(obj)).toBe('libdime');
  });

  it('a 65-byte uncompressed encryption key', () => {
    const obj = decodeSignetBinary(object(USER, f1(1, POK_40), f1(2, ENC_KEY_65)));
    expect(obj.fields[1]!.value.length).toBe(65);
  });

  it('repeated non-unique fields (phone numbers, SOKs, undefined fields)', () => {
    const sok = concatBytes(new Uint8Array([1]), POK_40);
    const undefinedField = concatBytes(new Uint8Array([251, 3]), text('Fax'), new Uint8Array([0, 4]), text('1234'));
    const obj = decodeSignetBinary(object(ORG, f1(1, POK_40), f1(2, sok), f1(2, sok), f1(21, text('1')), f1(21, text('2')), undefinedField, undefinedField));
    expect(obj.fields.map((f) => f.id)).toEqual([1, 2, 2, 21, 21, 251, 251]);
    expect(obj.fields[5]!.name).toBe('Fax');
    expect(obj.fields[5]!.value).toEqual(text('1234'));
  });

  it('keys files with payload 68 (magma) and 69 (libdime)', () => {
    const seed = new Uint8Array(32).fill(7);
    const scalar = new Uint8Array(32).fill(9);
    const k68 = decodeSignetBinary(object(1952, f1(1, seed), f1(3, scalar)));
    const k69 = decodeSignetBinary(object(1952, f1(1, seed), f2(3, scalar)));
    expect(k68.bytes.length).toBe(73);
    expect(k69.bytes.length).toBe(74);
    const a = decodeKeys(k68);
    const b = decodeKeys(k69);
    expect(a.dialect).toBe('magma');
    expect(b.dialect).toBe('libdime');
    expect(hexEncode(a.signingPublic)).toBe(hexEncode(b.signingPublic));
    expect(hexEncode(a.encryptionPublic)).toBe(hexEncode(b.encryptionPublic));
  });

  it('zero-length text fields only with lenient (PRIME writes them)', () => {
    const bytes = object(ORG, f1(1, POK_40), f1(16, new Uint8Array(0)), f1(17, text('x')));
    expectDimeError(() => decodeSignetBinary(bytes), 'BAD_INPUT', 'field 16: empty Name');
    expect(decodeSignetBinary(bytes, { lenient: true }).fields[1]!.value.length).toBe(0);
  });
});

describe('binary parser rejects', () => {
  it.each([
    ['length header above the payload', concatBytes(new Uint8Array([0x06, 0xf0, 0, 0, 40])), 'header: payload length 40, but 0 bytes follow'],
    ['fields out of order', object(ORG, f1(1, POK_40), f1(17, text('a')), f1(16, text('b'))), 'field 16: out of order (after field 17)'],
    ['duplicate unique field', object(ORG, f1(1, POK_40), f1(16, text('a')), f1(16, text('b'))), 'field 16: duplicate (Name may appear only once)'],
    ['duplicate signing key', object(ORG, f1(1, POK_40), f1(1, POK_40)), 'field 1: duplicate (Primary-Organizational-Key may appear only once)'],
    ['undefined id 0', object(ORG, f1(0, text('a'))), 'field 0: not defined for an organizational signet'],
    ['sized but unnamed id 28', object(ORG, f1(1, POK_40), f1(28, text('a'))), 'field 28: not defined for an organizational signet'],
    ['org id 5', object(ORG, f1(1, POK_40), sig(5)), 'field 5: not defined for an organizational signet'],
    ['SSR id 16', object(SSR, f1(1, POK_40), f1(16, text('a'))), 'field 16: not defined for an SSR'],
    ['truncated value', object(ORG, f1(1, POK_40), new Uint8Array([16, 10, 65, 66])), 'field 16: truncated (needs 10 bytes, 2 left)'],
    ['truncated signature', object(ORG, f1(1, POK_40), f1(3, ENC_KEY), new Uint8Array([4, 1, 2, 3])), 'field 4: truncated (needs 64 bytes, 3 left)'],
    ['truncated length', object(ORG, f1(1, POK_40), new Uint8Array([160, 0])), 'field 160: truncated (needs 2 bytes, 1 left)'],
    ['trailing bytes after field 255', object(ORG, f1(1, POK_40), sig(255), new Uint8Array([1, 2, 3])), 'field 255: 3 trailing bytes after the last field'],
    ['off-curve secp256k1 key', object(ORG, f1(1, POK_40), f1(3, OFF_CURVE)), 'field 3: secp256k1 key is not a point on the curve'],
    ['off-curve uncompressed key', object(USER, f1(1, POK_40), f1(2, concatBytes(ENC_KEY_65.subarray(0, 64), new Uint8Array([ENC_KEY_65[64]! ^ 1])))), 'field 2: secp256k1 key is not a point on the curve'],
    ['encryption key of a wrong size', object(USER, f1(1, POK_40), f1(2, ENC_KEY.subarray(0, 32))), 'field 2: secp256k1 key of 32 bytes starting 0x03, expected 33 (02/03) or 65 (04)'],
    ['hybrid-form encryption key', object(USER, f1(1, POK_40), f1(2, concatBytes(new Uint8Array([6]), ENC_KEY_65.subarray(1)))), 'field 2: secp256k1 key of 65 bytes starting 0x06, expected 33 (02/03) or 65 (04)'],
    ['33-byte signing key without 0x40', object(ORG, f1(1, concatBytes(new Uint8Array([0x41]), POK))), 'field 1: 33-byte signing key must start with 0x40, found 0x41'],
    ['signing key of 31 bytes', object(ORG, f1(1, POK.subarray(1))), 'field 1: signing key is 31 bytes, expected 32 (raw) or 33 (0x40 + key)'],
    ['SOK of a wrong size', object(ORG, f1(1, POK_40), f1(2, concatBytes(new Uint8Array([1, 0x40]), POK, new Uint8Array([0])))), 'field 2: secondary key is 35 bytes, expected 34 (permissions, 0x40, key) or 33'],
    ['keys file without its encryption key', object(1952, f1(1, new Uint8Array(32))), 'field 3: missing (Private-Encryption-Key is required in an organizational keys file)'],
    ['keys file with a short seed', object(2013, f1(1, new Uint8Array(31)), f1(2, new Uint8Array(32).fill(1))), 'field 1: Ed25519 seed is 31 bytes, expected 32'],
    ['keys file with a zero scalar', object(2013, f1(1, new Uint8Array(32)), f1(2, new Uint8Array(32))), 'field 2: not a valid secp256k1 private key (zero or not below the group order)'],
    ['keys file with an org field id', object(2013, f1(1, new Uint8Array(32)), f1(3, new Uint8Array(32).fill(1))), 'field 3: not defined for a user keys file'],
  ])('%s', (_name, bytes, message) => {
    expectDimeError(() => decodeSignetBinary(bytes), 'BAD_INPUT', message);
    // the same bytes through the armor path fail the same way
    expectDimeError(() => decodeSignetObject(bytes), 'BAD_INPUT', message);
  });

  it('a payload longer than its length header', () => {
    const bytes = object(ORG, f1(1, POK_40));
    const longer = concatBytes(bytes, new Uint8Array([16, 1, 65]));
    expectDimeError(() => decodeSignetBinary(longer), 'BAD_INPUT', 'header: payload length 35, but 38 bytes follow');
  });
});

describe('hostile input never escapes as anything but BAD_INPUT', () => {
  const keys = generateKeys('org-keys');
  const valid = createOrgSignet(keys, 'example.test', { name: 'Example', phone: '1' }).bytes;

  function outcome(input: Uint8Array | string): string {
    try {
      decodeSignetObject(input);
      return 'ok';
    } catch (error) {
      if (error instanceof DimeError && error.code === 'BAD_INPUT') return 'bad';
      throw error;
    }
  }

  it('bit flips, truncations and random bytes', () => {
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const bytes = valid.slice();
        bytes[at]! ^= mask;
        expect(['ok', 'bad']).toContain(outcome(bytes));
      }),
      { numRuns: 400 }
    );
    for (let n = 0; n < valid.length; n++) expect(outcome(valid.subarray(0, n))).toBe('bad');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void expect(['ok', 'bad']).toContain(outcome(bytes))), { numRuns: 300 });
  });

  it('random text around armor', () => {
    const armored = armorSignetObject(decodeSignetBinary(valid));
    fc.assert(
      fc.property(fc.nat(armored.length - 1), fc.string({ maxLength: 4 }), (at, junk) => {
        expect(['ok', 'bad']).toContain(outcome(armored.slice(0, at) + junk + armored.slice(at + 1)));
      }),
      { numRuns: 400 }
    );
  });
});

/**
 * Generation and round trips in every dialect (issue 2 "Must be true"): generate → armor → read back
 * identically → verify → SSR → sign → verify the user signet against the org signet.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as noble from '@noble/ed25519';
import { sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import {
  SIGNET_DIALECTS,
  armorSignetObject,
  createOrgSignet,
  createSsr,
  decodeKeys,
  decodeSignetBase64,
  decodeSignetObject,
  encodeSignetBase64,
  dumpSignet,
  encodeKeys,
  findField,
  fingerprints,
  generateKeys,
  hexDecode,
  hexEncode,
  keysFromMaterial,
  objectDialect,
  payloadBefore,
  secp256k1PublicFromPrivate,
  signSsr,
  signingKeyOf,
  utf8Decode,
  verifySignet,
} from '@dime/core';
import { expectDimeError } from './util.js';

noble.hashes.sha512 = nobleSha512;

describe.each(SIGNET_DIALECTS)('dialect %s', (dialect) => {
  const orgKeys = generateKeys('org-keys');
  const userKeys = generateKeys('user-keys');
  const org = createOrgSignet(orgKeys, 'example.test', { name: 'Example', phone: '+1 555 0100' }, { dialect });
  const ssr = createSsr(userKeys, { dialect });
  const user = signSsr(ssr, orgKeys, 'alice@example.test', { name: 'Alice' });

  it('keys files read back to the same material', () => {
    const file = encodeKeys(orgKeys, dialect);
    expect(file.bytes.length).toBe(dialect === 'libdime' ? 74 : 73);
    const back = decodeKeys(decodeSignetObject(armorSignetObject(file)));
    expect(hexEncode(back.signingSeed)).toBe(hexEncode(orgKeys.signingSeed));
    expect(hexEncode(back.encryptionPrivate)).toBe(hexEncode(orgKeys.encryptionPrivate));
    expect(armorSignetObject(file).split('\n')[0]).toBe('-----BEGIN ORGANIZATIONAL KEY-----');
  });

  it('writes the dialect it was asked for', () => {
    expect(objectDialect(org)).toBe(dialect);
    expect(objectDialect(ssr)).toBe(dialect);
    expect(findField(org, 1)!.value.length).toBe(dialect === 'prime' ? 32 : 33);
    expect(findField(org, 3)!.lengthWidth).toBe(dialect === 'libdime' ? 2 : 1);
    expect(armorSignetObject(ssr, dialect).split('\n')[0]).toBe(
      dialect === 'prime' ? '-----BEGIN SIGNET SIGNING REQUEST-----' : '-----BEGIN ORGANIZATIONAL SIGNET-----'
    );
    expect(armorSignetObject(user, dialect).split('\n')[0]).toBe('-----BEGIN USER SIGNET-----');
  });

  it('every object reads back identically from its armor', () => {
    for (const obj of [org, ssr, user]) {
      const back = decodeSignetObject(armorSignetObject(obj, dialect));
      expect(back.type).toBe(obj.type);
      expect(hexEncode(back.bytes)).toBe(hexEncode(obj.bytes));
      expect(fingerprints(back)).toEqual(fingerprints(obj));
      expect(dumpSignet(back)).toEqual(dumpSignet(obj));
    }
  });

  it('verifies org → id, SSR → ssr, user against the org → id', () => {
    expect(verifySignet(org).state).toBe('id');
    expect(verifySignet(ssr).state).toBe('ssr');
    expect(verifySignet(user, { org }).state).toBe('id');
    expect(fingerprints(user).ssr).toBe(fingerprints(ssr).ssr);
  });

  it('a user signet checked against another org is invalid', () => {
    const other = createOrgSignet(generateKeys('org-keys'), 'example.test', {}, { dialect });
    const v = verifySignet(user, { org: other });
    expect(v.state).toBe('invalid');
    expect(v.checks).toEqual([
      { field: 5, name: 'ssr', ok: true },
      { field: 6, name: 'crypto', ok: false },
      { field: 253, name: 'full', ok: false },
      { field: 255, name: 'id', ok: false },
    ]);
  });

  it('signatures are RFC 8032 Ed25519: @noble/ed25519 verifies them and makes the same bytes', () => {
    for (const id of [4, 253, 255]) {
      const signature = findField(org, id)!.value;
      const message = payloadBefore(org, id);
      expect(noble.verify(signature, message, orgKeys.signingPublic, { zip215: false })).toBe(true);
      expect(hexEncode(noble.sign(message, orgKeys.signingSeed))).toBe(hexEncode(signature));
    }
    expect(hexEncode(noble.getPublicKey(userKeys.signingSeed))).toBe(hexEncode(signingKeyOf(ssr)));
  });
});

describe('generation', () => {
  it('is deterministic for the same keys and answers', () => {
    const keys = generateKeys('org-keys');
    const a = createOrgSignet(keys, 'example.test', { name: 'A' });
    const b = createOrgSignet(keys, 'example.test', { name: 'A' });
    expect(hexEncode(a.bytes)).toBe(hexEncode(b.bytes));
  });

  it('stores the answers in fields 16–21 and skips empty ones', () => {
    const org = createOrgSignet(generateKeys('org-keys'), 'example.test', {
      name: 'N',
      address: '',
      province: 'P',
      country: 'C',
      postalCode: 'Z',
      phone: 'T',
    });
    expect(org.fields.map((f) => f.id)).toEqual([1, 3, 4, 16, 18, 19, 20, 21, 253, 254, 255]);
    expect(utf8Decode(findField(org, 254)!.value)).toBe('example.test');
  });

  it('refuses an answer over 255 bytes, an address as org id, and user keys for org work', () => {
    const keys = generateKeys('org-keys');
    expectDimeError(() => createOrgSignet(keys, 'example.test', { name: 'x'.repeat(256) }), 'USAGE', 'name: 256 bytes, at most 255');
    expectDimeError(() => createOrgSignet(keys, 'a@example.test'), 'USAGE', 'org signet id "a@example.test" is an address; an org id is a domain');
    const userKeys = generateKeys('user-keys');
    expectDimeError(() => createOrgSignet(userKeys, 'example.test'), 'USAGE', 'an org signet needs organizational keys');
    expectDimeError(() => signSsr(createSsr(userKeys), userKeys, 'a@example.test'), 'USAGE', 'signing an SSR needs organizational keys (a user keys file cannot sign signets)');
    expectDimeError(() => signSsr(createSsr(userKeys), keys, 'example.test'), 'USAGE', '"example.test" is not a user@domain address');
  });

  it('refuses to sign an SSR whose self-signature does not verify', () => {
    const ssr = createSsr(generateKeys('user-keys'));
    const tampered = decodeSignetObject(Uint8Array.from(ssr.bytes, (b, i) => (i === ssr.bytes.length - 1 ? b ^ 1 : b)));
    expectDimeError(() => signSsr(tampered, generateKeys('org-keys'), 'a@example.test'), 'SIGNATURE_INVALID', 'field 5: the SSR self-signature does not verify');
    expectDimeError(() => signSsr(createOrgSignet(generateKeys('org-keys'), 'x.test'), generateKeys('org-keys'), 'a@x.test'), 'BAD_INPUT', 'not an SSR: the object is an org signet');
  });

  it('derives secp256k1 public keys as magma check suite expects (signet-format.md §9.1)', () => {
    expect(hexEncode(secp256k1PublicFromPrivate(hexDecode('0000000000000000000000000000000000000000000000000000000000000045')))).toBe(
      '025edd5cc23c51e87a497ca815d5dce0f8ab52554f849ed8995de64c5f34ce7143'
    );
    expect(hexEncode(secp256k1PublicFromPrivate(hexDecode('0000000c562e65f1e2603616804cec8dc4bf8bc5c183bffa66acc6148edbecc3')))).toBe(
      '03a7f953b0fa3f407bbf37cec394800cceeadd0670c3f344524c347312f2c1da96'
    );
  });

  it('generates 32-byte secp256k1 scalars that derive 33-byte compressed points', () => {
    for (let i = 0; i < 20; i++) {
      const keys = generateKeys('user-keys');
      expect(keys.encryptionPrivate.length).toBe(32);
      expect(keys.encryptionPublic.length).toBe(33);
      expect([2, 3]).toContain(keys.encryptionPublic[0]);
    }
  });

  it('keys built from material equal the keys file they came from', () => {
    const keys = generateKeys('org-keys');
    const again = keysFromMaterial('org-keys', keys.signingSeed, keys.encryptionPrivate);
    expect(hexEncode(encodeKeys(again).bytes)).toBe(hexEncode(encodeKeys(keys).bytes));
  });

  it('any answers round-trip through armor and verify (property)', () => {
    const keys = generateKeys('org-keys');
    const answer = fc.string({ maxLength: 60, unit: 'grapheme' }).filter((s) => Buffer.byteLength(s) <= 255);
    fc.assert(
      fc.property(answer, answer, answer, (name, address, phone) => {
        const org = createOrgSignet(keys, 'example.test', { name, address, phone });
        const back = decodeSignetObject(armorSignetObject(org));
        expect(hexEncode(back.bytes)).toBe(hexEncode(org.bytes));
        expect(verifySignet(back).state).toBe('id');
      }),
      { numRuns: 25 }
    );
  });
});

describe('DMTP transport form', () => {
  it('padded base64 of the binary, no armor, no CRC', () => {
    const org = createOrgSignet(generateKeys('org-keys'), 'example.test');
    const b64 = encodeSignetBase64(org);
    expect(b64).toBe(Buffer.from(org.bytes).toString('base64'));
    expect(hexEncode(decodeSignetBase64(b64).bytes)).toBe(hexEncode(org.bytes));
    expectDimeError(() => decodeSignetBase64(`${b64.slice(0, -4)}`), 'BAD_INPUT', /^header: payload length \d+, but \d+ bytes follow$/);
    expectDimeError(() => decodeSignetBase64('not base64!'), 'BAD_INPUT', 'signet base64: not base64');
  });
});

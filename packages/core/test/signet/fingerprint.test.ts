/** Fingerprints (signet-format.md §5, profile §2): kinds per type, input forms, matching. */
import { describe, expect, it } from 'vitest';
import {
  base64Encode,
  createOrgSignet,
  createSsr,
  fingerprintKinds,
  fingerprints,
  generateKeys,
  hasFingerprint,
  hexEncode,
  normalizeFingerprint,
  sha512,
  signSsr,
} from '@dime/core';
import { expectDimeError } from './util.js';

const orgKeys = generateKeys('org-keys');
const org = createOrgSignet(orgKeys, 'example.test');
const ssr = createSsr(generateKeys('user-keys'));
const user = signSsr(ssr, orgKeys, 'a@example.test');

describe('fingerprints', () => {
  it('are 86 characters of SHA-512 over the field bytes, the header excluded', () => {
    const fps = fingerprints(org);
    expect(Object.keys(fps)).toEqual(['crypto', 'full', 'id']);
    expect(fps.id).toBe(base64Encode(sha512(org.payload)).replace(/==$/, ''));
    for (const value of Object.values(fps)) expect(value).toHaveLength(86);
    expect(Object.keys(fingerprints(ssr))).toEqual(['ssr']);
    expect(Object.keys(fingerprints(user))).toEqual(['ssr', 'crypto', 'full', 'id']);
  });

  it('the crypto fingerprint does not change when informational fields are added', () => {
    const plain = createOrgSignet(orgKeys, 'example.test');
    const rich = createOrgSignet(orgKeys, 'example.test', { name: 'Example', country: 'Nowhere' });
    expect(fingerprints(rich).crypto).toBe(fingerprints(plain).crypto);
    expect(fingerprints(rich).full).not.toBe(fingerprints(plain).full);
  });
});

describe('normalizeFingerprint', () => {
  const fp = fingerprints(org).crypto!;
  const bytes = Buffer.from(fp, 'base64');

  it('accepts 86 unpadded, 88 padded and 128 hex (either case), in brackets too', () => {
    expect(normalizeFingerprint(fp)).toBe(fp);
    expect(normalizeFingerprint(`${fp}==`)).toBe(fp);
    expect(normalizeFingerprint(hexEncode(bytes))).toBe(fp);
    expect(normalizeFingerprint(hexEncode(bytes).toUpperCase())).toBe(fp);
    expect(normalizeFingerprint(`[${fp}]`)).toBe(fp);
    expect(normalizeFingerprint(`  ${fp}\n`)).toBe(fp);
  });

  it('rejects anything else, naming the length', () => {
    expectDimeError(() => normalizeFingerprint(fp.slice(1)), 'BAD_INPUT', 'fingerprint: 85 characters, expected 86 (base64), 88 (padded base64) or 128 (hex)');
    expectDimeError(() => normalizeFingerprint(`${fp}=A`), 'BAD_INPUT', 'fingerprint: 88 characters but not ending in "=="');
    expectDimeError(() => normalizeFingerprint(`${fp.slice(0, 85)}*`), 'BAD_INPUT', 'fingerprint: not base64');
    // the 86th character carries 2 data bits and 4 zero bits: "B" sets a padding bit
    const nonCanonical = `${fp.slice(0, 85)}B`;
    expectDimeError(() => normalizeFingerprint(nonCanonical), 'BAD_INPUT', 'fingerprint: not a canonical base64 encoding of 64 bytes');
    expectDimeError(() => normalizeFingerprint('zz'.repeat(64), 'USAGE'), 'USAGE', 'fingerprint: 128 characters, expected 86 (base64), 88 (padded base64) or 128 (hex)');
  });
});

describe('fingerprintKinds', () => {
  it('matches a fingerprint against all four kinds, in any input form', () => {
    const fps = fingerprints(user);
    expect(fingerprintKinds(user, fps.ssr!)).toEqual(['ssr']);
    expect(fingerprintKinds(user, hexEncode(Buffer.from(fps.full!, 'base64')))).toEqual(['full']);
    expect(fingerprintKinds(user, `${fps.id}==`)).toEqual(['id']);
    expect(fingerprintKinds(ssr, fps.ssr!)).toEqual(['ssr']);
    expect(fingerprintKinds(org, fps.ssr!)).toEqual([]);
    expect(hasFingerprint(user, fps.crypto!)).toBe(true);
    expect(hasFingerprint(org, fps.crypto!)).toBe(false);
  });

  it('reports every kind that shares a value (an org signet with only crypto fields)', () => {
    const cryptoOnly = createOrgSignet(orgKeys, 'example.test');
    const short = { ...cryptoOnly, payload: cryptoOnly.payload.subarray(0, cryptoOnly.fields[2]!.end), fields: cryptoOnly.fields.slice(0, 3) };
    const fp = fingerprints(short).crypto!;
    expect(fingerprintKinds(short, fp)).toEqual(['crypto', 'full', 'id']);
  });
});

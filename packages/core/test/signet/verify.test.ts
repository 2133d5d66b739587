/**
 * Verification states (profile §2): ssr < crypto < full < id, invalid, incomplete, broken-custody;
 * trust self/pok/org; custody links for rotations (the C bugs fixed: rotated signets verify).
 */
import { describe, expect, it } from 'vitest';
import {
  addSignature,
  base64EncodeUnpadded,
  concatBytes,
  createOrgSignet,
  createSsr,
  custodyLink,
  decodeSignetBinary,
  encodeSignetObject,
  generateKeys,
  isCustodySuccessor,
  keysFromMaterial,
  parsePok,
  signSsr,
  verificationErrorCode,
  verificationPassed,
  verifySignet,
  type SignetObject,
} from '@dime/core';
import { expectDimeError } from './util.js';

const orgKeys = generateKeys('org-keys');
const org = createOrgSignet(orgKeys, 'example.test', { name: 'Example' });
const pok = base64EncodeUnpadded(orgKeys.signingPublic);

/** The same object cut after the last field with id ≤ `last` (crypto/full splits). */
function cut(obj: SignetObject, last: number): SignetObject {
  return encodeSignetObject(obj.type, obj.fields.filter((f) => f.id <= last));
}

/** The object with `id` removed. */
function without(obj: SignetObject, id: number): SignetObject {
  return encodeSignetObject(obj.type, obj.fields.filter((f) => f.id !== id));
}

/** The object with the byte at payload offset `at` flipped (header kept). */
function flip(obj: SignetObject, at: number): SignetObject {
  const bytes = obj.bytes.slice();
  bytes[5 + at]! ^= 1;
  return decodeSignetBinary(bytes);
}

describe('org signet states', () => {
  it('id, full and crypto as signatures are cut off', () => {
    expect(verifySignet(org).state).toBe('id');
    expect(verifySignet(cut(org, 253)).state).toBe('full');
    expect(verifySignet(cut(org, 4)).state).toBe('crypto');
  });

  it('incomplete without any signature, or with a signature missing its prerequisites', () => {
    expect(verifySignet(cut(org, 3)).state).toBe('incomplete');
    expect(verifySignet(cut(org, 1)).state).toBe('incomplete');
    const noFull = without(org, 253); // 255 needs 253 (and no longer verifies: it covered 253)
    expect(verifySignet(noFull).state).toBe('invalid');
    // a 255 re-signed without 253 is valid but incomplete
    const resigned = addSignature(noFull, 255, orgKeys.signingSeed);
    const v = verifySignet(resigned);
    expect(v.state).toBe('incomplete');
    expect(v.checks.every((c) => c.ok)).toBe(true);
  });

  it('invalid when any signature fails (a tampered answer breaks 253 and 255, not 4)', () => {
    const nameAt = org.fields.find((f) => f.id === 16)!.start + 2;
    const v = verifySignet(flip(org, nameAt));
    expect(v.state).toBe('invalid');
    expect(v.checks).toEqual([
      { field: 4, name: 'crypto', ok: true },
      { field: 253, name: 'full', ok: false },
      { field: 255, name: 'id', ok: false },
    ]);
    expect(verificationPassed(v)).toBe(false);
    expect(verificationErrorCode(v)).toBe('SIGNATURE_INVALID');
  });

  it('invalid when signed by another key than its POK', () => {
    const forged = createOrgSignet(generateKeys('org-keys'), 'example.test');
    const swapped = encodeSignetObject('org', forged.fields.map((f) => (f.id === 1 ? { id: 1, value: org.fields[0]!.value } : f)));
    expect(verifySignet(swapped).state).toBe('invalid');
  });

  it('trust self accepts its own POK; trust pok requires one of the given POKs', () => {
    expect(verifySignet(org)).toMatchObject({ trust: 'self', pokAccepted: true });
    const ok = verifySignet(org, { poks: [pok] });
    expect(ok).toMatchObject({ trust: 'pok', pokAccepted: true, state: 'id' });
    expect(ok.checks[0]).toEqual({ field: 1, name: 'pok', ok: true });
    expect(verificationPassed(ok)).toBe(true);
    const other = base64EncodeUnpadded(generateKeys('org-keys').signingPublic);
    const refused = verifySignet(org, { poks: [other] });
    expect(refused).toMatchObject({ trust: 'pok', pokAccepted: false, state: 'id' });
    expect(verificationPassed(refused)).toBe(false);
    expect(verifySignet(org, { poks: [other, pok] }).pokAccepted).toBe(true);
    expect(verifySignet(org, { poks: [orgKeys.signingPublic] }).pokAccepted).toBe(true);
  });

  it('parsePok names the offending length', () => {
    expectDimeError(() => parsePok(`${pok}=`), 'BAD_INPUT', 'pok: 44 characters, expected 43');
    expectDimeError(() => parsePok(pok.slice(1), 'USAGE'), 'USAGE', 'pok: 42 characters, expected 43');
    expectDimeError(() => parsePok(`${pok.slice(0, 42)}*`), 'BAD_INPUT', 'pok: not unpadded base64');
    expectDimeError(() => verifySignet(org, { poks: ['short'] }), 'USAGE', 'pok: 5 characters, expected 43');
  });
});

describe('user signet states', () => {
  const userKeys = generateKeys('user-keys');
  const ssr = createSsr(userKeys);
  const user = signSsr(ssr, orgKeys, 'alice@example.test', { name: 'Alice' });

  it('needs the org signet', () => {
    expectDimeError(() => verifySignet(user), 'USAGE', 'a user signet is verified against its org signet (none given)');
    expectDimeError(() => verifySignet(user, { org: user }), 'USAGE', 'the org signet given is a user signet');
  });

  it('id, full, crypto; ssr when only the self-signature is there', () => {
    expect(verifySignet(user, { org })).toMatchObject({ state: 'id', trust: 'org' });
    expect(verifySignet(cut(user, 253), { org }).state).toBe('full');
    expect(verifySignet(cut(user, 6), { org }).state).toBe('crypto');
    const onlySelf = verifySignet(cut(user, 5), { org });
    expect(onlySelf.state).toBe('ssr');
    expect(verificationPassed(onlySelf)).toBe(false);
    expect(verificationErrorCode(onlySelf)).toBe('INCOMPLETE');
  });

  it('checks the self-signature (field 5), which the C code never did', () => {
    const v = verifySignet(flip(user, user.fields.find((f) => f.id === 5)!.start + 10), { org });
    expect(v.state).toBe('invalid');
    expect(v.checks.find((c) => c.field === 5)).toEqual({ field: 5, name: 'ssr', ok: false });
  });

  it('pokAccepted is reported when POKs are given', () => {
    expect(verifySignet(user, { org }).pokAccepted).toBeUndefined();
    expect(verifySignet(user, { org, poks: [pok] }).pokAccepted).toBe(true);
    const refused = verifySignet(user, { org, poks: [base64EncodeUnpadded(new Uint8Array(32))] });
    expect(refused.pokAccepted).toBe(false);
    expect(verificationPassed(refused)).toBe(false);
  });

  it('accepts org signatures by a SOK with the signet permission, not by one without', () => {
    const sokKeys = generateKeys('org-keys');
    const withSok = (permissions: number) => {
      const base = encodeSignetObject('org', [
        org.fields[0]!,
        { id: 2, value: concatBytes(new Uint8Array([permissions, 0x40]), sokKeys.signingPublic) },
        org.fields[1]!,
      ]);
      return addSignature(base, 4, orgKeys.signingSeed);
    };
    const sokSigned = signSsr(ssr, keysFromMaterial('org-keys', sokKeys.signingSeed, sokKeys.encryptionPrivate), 'alice@example.test');
    expect(verifySignet(withSok(1)).state).toBe('crypto');
    expect(verifySignet(sokSigned, { org: withSok(1 | 2) }).state).toBe('id');
    expect(verifySignet(sokSigned, { org: withSok(2) }).state).toBe('invalid');
    expect(verifySignet(sokSigned, { org }).state).toBe('invalid');
  });
});

describe('SSR states', () => {
  it('ssr, invalid, incomplete', () => {
    const ssr = createSsr(generateKeys('user-keys'));
    expect(verifySignet(ssr)).toMatchObject({ type: 'ssr', state: 'ssr', trust: 'self', checks: [{ field: 5, name: 'ssr', ok: true }] });
    expect(verificationPassed(verifySignet(ssr))).toBe(true);
    expect(verifySignet(flip(ssr, 3)).state).toBe('invalid');
    expect(verifySignet(cut(ssr, 2)).state).toBe('incomplete');
  });

  it('refuses keys files', () => {
    expectDimeError(() => verifySignet(decodeSignetBinary(new Uint8Array([0x07, 0xa0, 0, 0, 0]))), 'BAD_INPUT', 'field 1: missing (Private-Organizational-Key is required in an organizational keys file)');
  });
});

describe('chain of custody (key rotation)', () => {
  const firstKeys = generateKeys('user-keys');
  const first = signSsr(createSsr(firstKeys), orgKeys, 'alice@example.test');
  const secondKeys = generateKeys('user-keys');
  const rotationSsr = createSsr(secondKeys, { custody: firstKeys });
  const second = signSsr(rotationSsr, orgKeys, 'alice@example.test');
  const stranger = signSsr(createSsr(generateKeys('user-keys')), orgKeys, 'alice@example.test');

  it('a rotation SSR carries field 4 and verifies on its own (C bug: signet -s refused it)', () => {
    expect(rotationSsr.fields.map((f) => f.id)).toEqual([1, 2, 4, 5]);
    expect(verifySignet(rotationSsr).state).toBe('ssr');
    expect(second.fields.map((f) => f.id)).toEqual([1, 2, 4, 5, 6, 253, 254, 255]);
    expect(verifySignet(second, { org }).state).toBe('id');
  });

  it('checks field 4 against the previous signet when given', () => {
    const ok = verifySignet(second, { org, previous: first });
    expect(ok.state).toBe('id');
    expect(ok.checks[0]).toEqual({ field: 4, name: 'custody', ok: true });
    expect(verifySignet(rotationSsr, { previous: first }).state).toBe('ssr');
    const broken = verifySignet(second, { org, previous: stranger });
    expect(broken.state).toBe('broken-custody');
    expect(broken.checks[0]).toEqual({ field: 4, name: 'custody', ok: false });
    expect(verificationErrorCode(broken)).toBe('CUSTODY');
    expect(verifySignet(rotationSsr, { previous: stranger }).state).toBe('broken-custody');
  });

  it('a new key without field 4 is broken custody; the same key needs none', () => {
    expect(verifySignet(stranger, { org, previous: first }).state).toBe('broken-custody');
    const sameKeyAgain = signSsr(createSsr(firstKeys), orgKeys, 'alice@example.test', { name: 'Alice' });
    const v = verifySignet(sameKeyAgain, { org, previous: first });
    expect(v.state).toBe('id');
    expect(v.checks.some((c) => c.name === 'custody')).toBe(false);
  });

  it('custodyLink and isCustodySuccessor', () => {
    expect(custodyLink(first, second)).toBe('ok');
    expect(custodyLink(first, first)).toBe('same-key');
    expect(custodyLink(stranger, second)).toBe('bad');
    expect(custodyLink(first, stranger)).toBe('missing');
    expect(isCustodySuccessor(first, second)).toBe(true);
    expect(isCustodySuccessor(first, first)).toBe(true);
    expect(isCustodySuccessor(stranger, second)).toBe(false);
    expect(isCustodySuccessor(first, stranger)).toBe(false);
  });
});

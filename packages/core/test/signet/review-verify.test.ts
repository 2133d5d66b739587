/**
 * Review regressions for verification: a SOK (org field 2) is trusted only when the org's crypto
 * signature (field 4) covers it, so a SOK pasted into a copy of a real org signet signs nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  createOrgSignet,
  createSsr,
  encodeSignetObject,
  generateKeys,
  orgSigningKeys,
  signSsr,
  verificationPassed,
  verifySignet,
} from '@dime/core';

const orgKeys = generateKeys('org-keys');
const org = createOrgSignet(orgKeys, 'example.test', { name: 'Example' });
const ssr = createSsr(generateKeys('user-keys'));
const attacker = generateKeys('org-keys');

/** The real org signet with the attacker's key inserted as a SOK with the signet permission (field 4 no longer verifies). */
const forgedOrg = encodeSignetObject('org', [
  org.fields[0]!,
  { id: 2, value: concatBytes(new Uint8Array([1, 0x40]), attacker.signingPublic) },
  ...org.fields.slice(1),
]);
const forgedUser = signSsr(ssr, attacker, 'alice@example.test');

describe('SOKs need the org crypto signature', () => {
  it('orgSigningKeys ignores the SOKs of an org signet whose field 4 does not verify', () => {
    expect(verifySignet(forgedOrg).state).toBe('invalid');
    const keys = orgSigningKeys(forgedOrg);
    expect(keys).toHaveLength(1);
    expect(Buffer.from(keys[0]!).equals(Buffer.from(orgKeys.signingPublic))).toBe(true);
  });

  it('a user signet signed by an injected SOK is invalid, even with the right POK accepted', () => {
    const result = verifySignet(forgedUser, { org: forgedOrg, poks: [orgKeys.signingPublic] });
    expect(result.state).toBe('invalid');
    expect(result.checks.filter((c) => !c.ok).map((c) => c.field)).toEqual([6, 253, 255]);
    expect(verificationPassed(result)).toBe(false);
  });
});

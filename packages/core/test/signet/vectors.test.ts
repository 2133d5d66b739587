/**
 * The Lavabit vectors (../shared/vectors/signet, read in place): decode, fingerprints equal to
 * expected.json, every signature verifies (with node:crypto and with @noble/ed25519), keys derive
 * the signets' keys, the `_rebuild` recipes reproduce their files byte for byte, and re-armoring is
 * byte-identical.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as noble from '@noble/ed25519';
import { sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import {
  armorSignetObject,
  createOrgSignet,
  decodeKeys,
  decodeSignetObject,
  dumpSignet,
  findField,
  fingerprints,
  hexEncode,
  objectDialect,
  payloadBefore,
  pokOf,
  signingKeyOf,
  signSsr,
  verifySignet,
  encryptionKeyOf,
  encodeSignetObject,
  type SignetObject,
} from '@dime/core';
import { sharedVectorsAvailable, vectorPath } from '../helpers.js';
import { readVector } from './util.js';

noble.hashes.sha512 = nobleSha512;

const available = sharedVectorsAvailable();
const expected = available ? (JSON.parse(readFileSync(vectorPath('signet', 'expected.json'), 'utf8')) as Record<string, any>) : {};
const SIGNETS = [
  'magma-check-org.signet',
  'magma-check-user.ssr',
  'magma-check-user.signet',
  'magma-sandbox-dime.localhost.localdomain.signet',
];
const load = (name: string): SignetObject => decodeSignetObject(readFileSync(vectorPath('signet', name)));

describe.skipIf(!available)('shared signet vectors', () => {
  it.each(SIGNETS)('%s decodes with the magic, size and fingerprints of expected.json', (name) => {
    const obj = load(name);
    expect(obj.magic).toBe(expected[name].magic);
    expect(obj.bytes.length).toBe(expected[name].size);
    expect(fingerprints(obj)).toEqual(expected[name].fingerprints);
  });

  it('the org vector verifies to id with every signature checked', () => {
    const v = verifySignet(load('magma-check-org.signet'));
    expect(v).toMatchObject({ type: 'org', state: 'id', trust: 'self', pokAccepted: true });
    expect(v.checks).toEqual([
      { field: 4, name: 'crypto', ok: true },
      { field: 253, name: 'full', ok: true },
      { field: 255, name: 'id', ok: true },
    ]);
  });

  it('the SSR verifies to ssr and the user signet to id against the org signet', () => {
    expect(verifySignet(load('magma-check-user.ssr'))).toMatchObject({ state: 'ssr', checks: [{ field: 5, name: 'ssr', ok: true }] });
    const v = verifySignet(load('magma-check-user.signet'), { org: load('magma-check-org.signet') });
    expect(v.state).toBe('id');
    expect(v.trust).toBe('org');
    expect(v.checks.map((c) => [c.field, c.ok])).toEqual([[5, true], [6, true], [253, true], [255, true]]);
  });

  it('the magma sandbox signet (raw POK, prime dialect) verifies to crypto, also against its pok=', () => {
    const sandbox = load('magma-sandbox-dime.localhost.localdomain.signet');
    expect(objectDialect(sandbox)).toBe('prime');
    expect(findField(sandbox, 1)!.value.length).toBe(32);
    expect(verifySignet(sandbox).state).toBe('crypto');
    const pok = expected._record['pok_of_magma-sandbox-dime.localhost.localdomain.key'];
    expect(verifySignet(sandbox, { poks: [pok] })).toMatchObject({ state: 'crypto', trust: 'pok', pokAccepted: true });
    expect(verifySignet(sandbox, { poks: [expected._record['pok_of_magma-check-org.key']] }).pokAccepted).toBe(false);
  });

  it('every signature in the vectors also verifies with @noble/ed25519 (strict RFC 8032)', () => {
    const cases: [string, number, SignetObject | undefined][] = [
      ['magma-check-org.signet', 4, undefined],
      ['magma-check-org.signet', 253, undefined],
      ['magma-check-org.signet', 255, undefined],
      ['magma-check-user.ssr', 5, undefined],
      ['magma-check-user.signet', 5, undefined],
      ['magma-check-user.signet', 6, load('magma-check-org.signet')],
      ['magma-check-user.signet', 253, load('magma-check-org.signet')],
      ['magma-check-user.signet', 255, load('magma-check-org.signet')],
      ['magma-sandbox-dime.localhost.localdomain.signet', 4, undefined],
    ];
    for (const [name, id, signer] of cases) {
      const obj = load(name);
      const key = signingKeyOf(signer ?? obj);
      const ok = noble.verify(findField(obj, id)!.value, payloadBefore(obj, id), key, { zip215: false });
      expect(ok, `${name} field ${id}`).toBe(true);
    }
  });

  it('keys files derive the POK (pok= of expected.json) and the encryption key of their signets', () => {
    const orgKeys = decodeKeys(load('magma-check-org.key'));
    expect(pokOf(orgKeys)).toBe(expected._record['pok_of_magma-check-org.key']);
    expect(pokOf(load('magma-sandbox-dime.localhost.localdomain.key'))).toBe(expected._record['pok_of_magma-sandbox-dime.localhost.localdomain.key']);
    expect(hexEncode(orgKeys.signingPublic)).toBe(hexEncode(signingKeyOf(load('magma-check-org.signet'))));
    expect(hexEncode(orgKeys.encryptionPublic)).toBe(hexEncode(encryptionKeyOf(load('magma-check-org.signet'))!));
    const sandboxKeys = decodeKeys(load('magma-sandbox-dime.localhost.localdomain.key'));
    expect(hexEncode(sandboxKeys.encryptionPublic)).toBe('02ff5d28d73031b7f56b6558d42586080e0eabe4cf8a6b485c211bb30ea254e211');
    // magma-check-user.key is unrelated to the user signet (README.txt)
    const userKeys = decodeKeys(load('magma-check-user.key'));
    expect(userKeys.type).toBe('user-keys');
    expect(hexEncode(userKeys.signingPublic)).toBe('5e1b802fc735cfd5c3b95297c710057df8229c8ff04180bab4566f6230cfb95e');
    expect(hexEncode(userKeys.encryptionPublic)).toBe('0398ab3197e88a655423ae006e48a1f7dbeb24278b916d261f39ac558cbf3b9538');
  });

  it('rebuilds magma-check-org.signet byte for byte from its keys and answers (_rebuild)', () => {
    const recipe = expected._rebuild['magma-check-org.signet'];
    const keys = decodeKeys(load(recipe.from_keys));
    const a = recipe.answers;
    const org = createOrgSignet(keys, recipe.id, { name: a.name, address: a.address, country: a.country, postalCode: a.postal_code, phone: a.phone });
    expect(armorSignetObject(org)).toBe(readVector('magma-check-org.signet'));
  });

  it('rebuilds magma-check-user.signet byte for byte from the SSR and the org keys (_rebuild)', () => {
    const recipe = expected._rebuild['magma-check-user.signet'];
    const user = signSsr(load(recipe.from_ssr), decodeKeys(load(recipe.org_keys)), recipe.id, { name: recipe.answers.name });
    expect(armorSignetObject(user)).toBe(readVector('magma-check-user.signet'));
  });

  it('re-armors every file byte for byte (the sandbox files only lack their final newline)', () => {
    for (const name of [...SIGNETS.filter((n) => n.startsWith('magma-check')), 'magma-check-org.key', 'magma-check-user.key']) {
      expect(armorSignetObject(load(name)), name).toBe(readVector(name));
    }
    for (const name of ['magma-sandbox-dime.localhost.localdomain.signet', 'magma-sandbox-dime.localhost.localdomain.key']) {
      expect(armorSignetObject(load(name), 'prime')).toBe(`${readVector(name)}\n`);
    }
  });

  it('re-serializes every file from its parsed fields to the same bytes', () => {
    for (const name of [...SIGNETS, 'magma-check-org.key', 'magma-sandbox-dime.localhost.localdomain.key']) {
      const obj = load(name);
      expect(hexEncode(encodeSignetObject(obj.type, obj.fields).bytes), name).toBe(hexEncode(obj.bytes));
    }
  });

  it('the SSR payload is a prefix of the user signet payload, so both share the ssr fingerprint', () => {
    const ssr = load('magma-check-user.ssr');
    const user = load('magma-check-user.signet');
    expect(hexEncode(user.payload.subarray(0, ssr.payload.length))).toBe(hexEncode(ssr.payload));
  });

  it('dumps the org signet with table names and printable values', () => {
    const dump = dumpSignet(load('magma-check-org.signet'));
    expect(dump.type).toBe('org');
    expect(dump.size).toBe(360);
    expect(dump.fields.map((f) => [f.id, f.name])).toEqual([
      [1, 'Primary-Organizational-Key'],
      [3, 'Encryption-Key'],
      [4, 'Organizational-Signature'],
      [16, 'Name'],
      [17, 'Address'],
      [19, 'Country'],
      [20, 'Postal-Code'],
      [21, 'Phone-Number'],
      [253, 'Organizational-Signature'],
      [254, 'Signet-Identifier'],
      [255, 'Organizational-Signature'],
    ]);
    expect(dump.fields[0]!.value).toBe('QDzgT5eWdCbat//ECvBZFigJZEcp8tidHV6mN8YdIt5r');
    expect(dump.fields[1]!.value).toBe('A48f04SsJOtgZvIAaAMHb0lAU6JGmKWQBYZRdFuIOOtk');
    expect(dump.fields[2]!.value).toBe('exp+OAwqd8R9qxVMGmNueifzW22e4k1jEiKhIFtcweii5yFIo6b16VvIHtbyG9rY42MHJi8Yj92AdTf46CusCA');
    expect(dump.fields[4]!.value).toBe('1600 Pennsylvania Ave NW');
    expect(dump.fields[9]!.value).toBe('example.com');
  });

  it('dumps a keys file as its public keys only (the POK in both forms), never the private bytes', () => {
    const obj = load('magma-check-org.key');
    const dump = dumpSignet(obj);
    expect(dump).toEqual({
      type: 'org-keys',
      size: 73,
      fields: [
        { id: 1, name: 'Primary-Organizational-Key', value: 'QDzgT5eWdCbat//ECvBZFigJZEcp8tidHV6mN8YdIt5r' },
        { id: 1, name: 'POK (DNS pok=)', value: 'POBPl5Z0Jtq3/8QK8FkWKAlkRyny2J0dXqY3xh0i3ms' },
        { id: 3, name: 'Encryption-Key', value: 'A48f04SsJOtgZvIAaAMHb0lAU6JGmKWQBYZRdFuIOOtk' },
      ],
      fingerprints: {},
    });
    const text = JSON.stringify(dump);
    const keys = decodeKeys(obj);
    for (const secret of [keys.signingSeed, keys.encryptionPrivate]) {
      expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(0, 40));
      expect(text).not.toContain(hexEncode(secret));
    }
  });
});

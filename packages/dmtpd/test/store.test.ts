import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createOrgSignet, createSsr, generateKeys, signSsr, armorSignetObject } from '@dime/core/signet';
import { DimeError } from '@dime/core/errors';
import { bytesEqual } from '@dime/core/bytes';
import { openSqliteStore, type SqliteStore } from '../src/store.js';
import { publishSignet } from '../src/publish.js';
import { ALICE, DOMAIN, makeIdentities, tempDir, type Identities } from './helpers.js';

let ids: Identities;
let dir: ReturnType<typeof tempDir>;
let store: SqliteStore;

beforeAll(() => {
  ids = makeIdentities();
});
beforeEach(() => {
  dir = tempDir();
  store = openSqliteStore(join(dir.path, 'signets.db'), { create: true });
});
afterEach(() => {
  store.close();
  dir.remove();
});

function failure(fn: () => unknown): DimeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DimeError);
    return error as DimeError;
  }
  throw new Error('did not throw');
}

const same = (a: Uint8Array | undefined, b: Uint8Array) => a !== undefined && bytesEqual(a, b);

describe('publish', () => {
  it('publishes an org signet, then user signets verified against it; armored input works', () => {
    expect(publishSignet(store, armorSignetObject(ids.org.signet))).toEqual({ name: DOMAIN, type: 'org', status: 'published', custody: 'start', fingerprints: ids.org.fp });
    expect(publishSignet(store, ids.alice.signet.bytes)).toMatchObject({ name: ALICE, type: 'user', status: 'published', custody: 'start' });
    expect(publishSignet(store, ids.alice2.signet.bytes)).toMatchObject({ status: 'published', custody: 'ok' });
    expect(publishSignet(store, ids.alice2.signet.bytes)).toMatchObject({ status: 'unchanged', custody: 'ok' });
    expect(publishSignet(store, ids.aliceResigned.signet.bytes).custody).toBe('missing'); // different key from alice2, no field 4
    expect(store.all(ALICE).map((s) => s.fingerprints.id)).toEqual([ids.alice.fp.id, ids.alice2.fp.id, ids.aliceResigned.fp.id]);
  });

  it('refuses a user signet before its org signet, or signed by another org', () => {
    expect(failure(() => publishSignet(store, ids.alice.signet.bytes))).toMatchObject({ code: 'NOT_FOUND', message: `${ALICE}: no org signet for ${DOMAIN} in the store; publish it first` });
    publishSignet(store, ids.org.signet.bytes);
    const otherOrg = generateKeys('org-keys');
    const foreign = signSsr(createSsr(generateKeys('user-keys')), otherOrg, ALICE);
    expect(failure(() => publishSignet(store, foreign.bytes))).toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: `${ALICE}: user signet does not verify against the org signet of ${DOMAIN} (state invalid)`,
    });
    expect(store.current(ALICE)).toBeUndefined();
  });

  it('custody: a bad field 4 is always refused, a missing one only with requireCustody, same-key needs none', () => {
    publishSignet(store, ids.org.signet.bytes);
    publishSignet(store, ids.alice.signet.bytes);
    const wrongCustody = signSsr(createSsr(generateKeys('user-keys'), { custody: generateKeys('user-keys') }), ids.org.keys, ALICE);
    expect(failure(() => publishSignet(store, wrongCustody.bytes))).toMatchObject({ code: 'CUSTODY', message: `${ALICE}: the custody signature (field 4) does not verify under the previous signing key` });
    const noCustody = signSsr(createSsr(generateKeys('user-keys')), ids.org.keys, ALICE);
    expect(failure(() => publishSignet(store, noCustody.bytes, { requireCustody: true })).code).toBe('CUSTODY');
    expect(publishSignet(store, ids.aliceResigned.signet.bytes, { requireCustody: true }).custody).toBe('same-key');
    expect(publishSignet(store, ids.alice2.signet.bytes, { requireCustody: true }).custody).toBe('ok');
  });

  it('never makes an older signet current again', () => {
    publishSignet(store, ids.org.signet.bytes);
    publishSignet(store, ids.alice.signet.bytes);
    publishSignet(store, ids.alice2.signet.bytes);
    expect(failure(() => publishSignet(store, ids.alice.signet.bytes)).code).toBe('EXISTS');
  });

  it('refuses SSRs, keys files and garbage as BAD_INPUT', () => {
    expect(failure(() => publishSignet(store, createSsr(generateKeys('user-keys')).bytes))).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/an SSR is not published/) });
    expect(failure(() => publishSignet(store, new Uint8Array([1, 2, 3]))).code).toBe('BAD_INPUT');
  });

  it('an org rotation becomes current; users then verify against the new org', () => {
    publishSignet(store, ids.org.signet.bytes);
    const newOrgKeys = generateKeys('org-keys');
    const newOrg = createOrgSignet(newOrgKeys, DOMAIN);
    expect(publishSignet(store, newOrg.bytes).custody).toBe('missing');
    expect(failure(() => publishSignet(store, ids.alice.signet.bytes)).code).toBe('SIGNATURE_INVALID');
    expect(publishSignet(store, signSsr(createSsr(generateKeys('user-keys')), newOrgKeys, ALICE).bytes).status).toBe('published');
  });
});

describe('SignetStore answers (profile §5)', () => {
  beforeEach(() => {
    for (const signet of [ids.org.signet, ids.alice.signet, ids.alice2.signet, ids.aliceResigned.signet]) publishSignet(store, signet.bytes);
  });

  it('SGNT: current, and the newest signet having the fingerprint in any kind', () => {
    expect(same(store.lookup(DOMAIN), ids.org.signet.bytes)).toBe(true);
    expect(same(store.lookup(ALICE), ids.aliceResigned.signet.bytes)).toBe(true);
    for (const kind of ['full', 'id'] as const) expect(same(store.lookup(ALICE, ids.alice.fp[kind]), ids.alice.signet.bytes)).toBe(true);
    // alice and aliceResigned come from one SSR signed by one org key (Ed25519 is deterministic): they
    // share their ssr and crypto fingerprints, which select the newest of the two
    expect(ids.alice.fp.ssr).toBe(ids.aliceResigned.fp.ssr);
    expect(ids.alice.fp.crypto).toBe(ids.aliceResigned.fp.crypto);
    expect(same(store.lookup(ALICE, ids.alice.fp.ssr), ids.aliceResigned.signet.bytes)).toBe(true);
    expect(same(store.lookup(ALICE, ids.alice.fp.crypto), ids.aliceResigned.signet.bytes)).toBe(true);
    for (const kind of ['ssr', 'crypto', 'full', 'id'] as const) expect(same(store.lookup(ALICE, ids.alice2.fp[kind]), ids.alice2.signet.bytes)).toBe(true);
    expect(store.lookup(ALICE, ids.org.fp.full)).toBeUndefined();
    expect(store.lookup('bob@example.test')).toBeUndefined();
  });

  it('VRFY: current for any kind of the current signet, update with its full fingerprint, unknown', () => {
    expect(store.verify(ALICE, ids.aliceResigned.fp.crypto)).toEqual({ status: 'current' });
    expect(store.verify(ALICE, ids.alice.fp.ssr)).toEqual({ status: 'current' }); // shared with the current signet
    expect(store.verify(ALICE, ids.alice.fp.full)).toEqual({ status: 'update', full: ids.aliceResigned.fp.full });
    expect(store.verify(ALICE, ids.alice2.fp.id)).toEqual({ status: 'update', full: ids.aliceResigned.fp.full });
    expect(store.verify(ALICE, ids.org.fp.id)).toEqual({ status: 'unknown' });
    expect(store.verify(DOMAIN, ids.org.fp.crypto)).toEqual({ status: 'current' });
  });

  it('HIST: START..END in publish order, END defaults to the current signet', () => {
    const ids2 = (list: Uint8Array[] | undefined) => list?.map((bytes) => [ids.alice, ids.alice2, ids.aliceResigned].findIndex((m) => bytesEqual(m.signet.bytes, bytes)));
    expect(ids2(store.history(ALICE, ids.alice.fp.full))).toEqual([0, 1, 2]);
    expect(ids2(store.history(ALICE, ids.alice.fp.id, ids.alice2.fp.crypto))).toEqual([0, 1]);
    expect(ids2(store.history(ALICE, ids.alice.fp.crypto))).toEqual([2]); // shared: the newest having it
    expect(ids2(store.history(ALICE, ids.alice2.fp.id))).toEqual([1, 2]);
    expect(ids2(store.history(ALICE))).toEqual([0, 1, 2]);
    expect(store.history(ALICE, ids.alice2.fp.id, ids.alice.fp.id)).toBeUndefined();
    expect(store.history(ALICE, ids.org.fp.id)).toBeUndefined();
    expect(store.history('bob@example.test')).toBeUndefined();
  });
});

describe('openSqliteStore', () => {
  it('refuses a missing file and a database that is not a dmtpd store', () => {
    expect(failure(() => openSqliteStore(join(dir.path, 'nope.db'))).message).toMatch(/nope\.db: cannot open .*run dmtpd init first/);
    const other = openSqliteStore(join(dir.path, 'x.db'), { create: true });
    other.setMeta('schema', '99');
    other.close();
    expect(failure(() => openSqliteStore(join(dir.path, 'x.db'))).message).toMatch(/not a dmtpd store \(schema version 99, expected 1\)/);
  });
});

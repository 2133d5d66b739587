/**
 * Hostile input for the signet codec (profile §2): armor text, signet/SSR/keys binaries in every
 * dialect, DMTP base64, fingerprints. Real generated objects are mutated (bit flips, truncation,
 * length-field edits, field reordering, duplication, trailing bytes); whatever parses is pushed
 * through everything a consumer does next (fingerprints, dump, keys, verification), which must also
 * return or throw DimeError.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SIGNET_DIALECTS,
  armorEncode,
  armorSignetObject,
  base64Encode,
  createOrgSignet,
  createSsr,
  decodeKeys,
  decodeSignetBase64,
  decodeSignetBinary,
  decodeSignetObject,
  dumpSignet,
  encodeKeys,
  fingerprints,
  keysFromMaterial,
  normalizeFingerprint,
  parseArmor,
  signSsr,
  signingKeyOf,
  verifySignet,
  type SignetObject,
} from '@dime/core';
import { FUZZ_HEAP_CEILING_MB, FUZZ_SEED, Rng, check, fcParams, heapUsed, mutateBytesDeep, mutateTextDeep, runs } from './harness.js';

function seed(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

/** Deterministic objects of every type in every dialect (fixed key material). */
function corpus(): { org: SignetObject; objects: SignetObject[] } {
  const objects: SignetObject[] = [];
  const orgKeys = keysFromMaterial('org-keys', seed(1), seed(2));
  const userKeys = keysFromMaterial('user-keys', seed(3), seed(4));
  const oldUserKeys = keysFromMaterial('user-keys', seed(5), seed(6));
  let org: SignetObject | undefined;
  for (const dialect of SIGNET_DIALECTS) {
    const o = createOrgSignet(orgKeys, 'example.test', { name: 'Example Org', country: 'US', phone: '+1 555 0100' }, { dialect });
    org ??= o;
    const ssr = createSsr(userKeys, { dialect, custody: oldUserKeys });
    const user = signSsr(ssr, orgKeys, 'alice@example.test', { name: 'Alice' });
    objects.push(o, ssr, user, encodeKeys(orgKeys, dialect), encodeKeys(userKeys, dialect));
  }
  return { org: org!, objects };
}

/** Offsets of the header length and of every field's length prefix: the bytes worth editing. */
function lengthOffsets(obj: SignetObject): number[] {
  const out = [2, 3, 4];
  for (const f of obj.fields) for (let i = 1; i <= f.lengthWidth; i++) out.push(5 + f.start + i);
  return out;
}

const { org, objects } = corpus();

/** Everything a consumer does with a parsed object; each step must return or throw DimeError. */
function consume(obj: SignetObject): void {
  check('fingerprints', fingerprints, obj);
  check('dumpSignet', dumpSignet, obj);
  check('signingKeyOf', signingKeyOf, obj);
  if (obj.type === 'org-keys' || obj.type === 'user-keys') check('decodeKeys', decodeKeys, obj);
  else if (obj.type === 'user') check('verifySignet', (o: SignetObject) => verifySignet(o, { org }), obj);
  else check('verifySignet', (o: SignetObject) => verifySignet(o), obj);
}

describe('signet binary codec under mutation', () => {
  it('the corpus itself parses in every dialect (the mutations start from valid objects)', () => {
    expect(objects).toHaveLength(15);
    for (const obj of objects) {
      const again = decodeSignetBinary(obj.bytes);
      expect(again.type).toBe(obj.type);
      expect(Buffer.from(again.bytes).equals(Buffer.from(obj.bytes))).toBe(true);
    }
  });

  it('mutated binaries return an object or throw DimeError, and parsed ones survive every consumer', () => {
    const rng = new Rng(FUZZ_SEED);
    const before = heapUsed();
    let parsed = 0;
    let rejected = 0;
    const total = runs(1500);
    for (let i = 0; i < total; i++) {
      const base = objects[i % objects.length]!;
      const input = mutateBytesDeep(rng, base.bytes, lengthOffsets(base));
      const outcome = check('decodeSignetBinary', (b: Uint8Array) => decodeSignetBinary(b), input);
      if (outcome.ok) {
        parsed++;
        consume(outcome.value as SignetObject);
      } else {
        rejected++;
        expect(outcome.error.code).toBe('BAD_INPUT');
        expect(outcome.error.message.length).toBeLessThan(300);
      }
    }
    // Both sides must be exercised, or the mutator is not doing its job.
    expect(parsed).toBeGreaterThan(total / 50);
    expect(rejected).toBeGreaterThan(total / 2);
    expect((heapUsed() - before) / 2 ** 20).toBeLessThan(FUZZ_HEAP_CEILING_MB);
  });

  it('lenient decoding follows the same rule', () => {
    const rng = new Rng(FUZZ_SEED + 1);
    for (let i = 0; i < runs(600); i++) {
      const base = objects[i % objects.length]!;
      const input = mutateBytesDeep(rng, base.bytes, lengthOffsets(base), 2);
      const outcome = check('decodeSignetBinary lenient', (b: Uint8Array) => decodeSignetBinary(b, { lenient: true }), input);
      if (outcome.ok) consume(outcome.value as SignetObject);
    }
  });

  it('random bytes (any header, any length) are rejected or parsed, never crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 8 }), (tail, magicIndex) => {
        const magics = [1776, 1789, 1216, 1952, 1947, 1845, 1846, 0, 0xffff];
        const magic = magics[magicIndex]!;
        const header = new Uint8Array([magic >> 8, magic & 0xff, tail.length >> 16, (tail.length >> 8) & 0xff, tail.length & 0xff]);
        const input = new Uint8Array([...header, ...tail]);
        const outcome = check('decodeSignetBinary', (b: Uint8Array) => decodeSignetBinary(b), input);
        if (outcome.ok) consume(outcome.value as SignetObject);
      }),
      fcParams(1500)
    );
  });

  it('fields in random order, with random lengths and widths, never crash', () => {
    // Builds a payload from (id, length-width, value) triples: the parser's own grammar, shuffled.
    const field = fc.record({
      id: fc.integer({ min: 0, max: 255 }),
      width: fc.constantFrom(0, 1, 2, 3),
      value: fc.uint8Array({ maxLength: 70 }),
      lie: fc.integer({ min: -2, max: 2 }),
    });
    fc.assert(
      fc.property(fc.constantFrom(1776, 1789, 1216, 1952, 1947), fc.array(field, { maxLength: 12 }), (magic, fields) => {
        const parts: number[] = [];
        for (const f of fields) {
          parts.push(f.id);
          const len = Math.max(0, f.value.length + f.lie);
          if (f.width === 1) parts.push(len & 0xff);
          if (f.width === 2) parts.push((len >> 8) & 0xff, len & 0xff);
          if (f.width === 3) parts.push((len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff);
          parts.push(...f.value);
        }
        const input = new Uint8Array([magic >> 8, magic & 0xff, parts.length >> 16, (parts.length >> 8) & 0xff, parts.length & 0xff, ...parts]);
        const outcome = check('decodeSignetBinary', (b: Uint8Array) => decodeSignetBinary(b), input);
        if (outcome.ok) consume(outcome.value as SignetObject);
      }),
      fcParams(1500)
    );
  });
});

describe('armor reader under mutation', () => {
  const armored = objects.flatMap((obj, i) => [armorSignetObject(obj, SIGNET_DIALECTS[Math.floor(i / 5)]!)]);

  it('mutated armor text returns a block or throws DimeError', () => {
    const rng = new Rng(FUZZ_SEED + 2);
    let parsed = 0;
    for (let i = 0; i < runs(2000); i++) {
      const text = mutateTextDeep(rng, armored[i % armored.length]!, 3);
      const outcome = check('decodeSignetObject(armor)', (t: string) => decodeSignetObject(t), text);
      if (outcome.ok) {
        parsed++;
        consume(outcome.value as SignetObject);
      }
      check('parseArmor lenient', (t: string) => parseArmor(t, { lenient: true }), text);
    }
    expect(parsed).toBeGreaterThan(0);
  });

  it('line-ending and whitespace variants of real armor decode to the same bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: armored.length - 1 }), fc.constantFrom('\n', '\r\n', '\r\r\n'), fc.string({ maxLength: 40 }), (index, eol, leading) => {
        const text = `${leading.replace(/-----/g, '')}\n${armored[index]!.split('\n').join(eol)}${eol}${eol}`;
        const obj = decodeSignetObject(text);
        expect(Buffer.from(obj.bytes).equals(Buffer.from(objects[index]!.bytes))).toBe(true);
      }),
      fcParams(200)
    );
  });

  it('arbitrary text and arbitrary bytes given as a "file" never crash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
        check('decodeSignetObject(text)', (t: string) => decodeSignetObject(t), text);
        check('decodeSignetObject(bytes)', (b: Uint8Array) => decodeSignetObject(b), Buffer.from(text, 'latin1'));
      }),
      fcParams(800)
    );
  });

  it('armor around random payloads (valid CRC, any tag) never crashes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('ORGANIZATIONAL SIGNET', 'USER SIGNET', 'SIGNET SIGNING REQUEST', 'ORGANIZATIONAL KEY', 'USER KEY', 'SIGNET', 'X'), (bytes, tag) => {
        const outcome = check('decodeSignetObject(armorEncode)', (t: string) => decodeSignetObject(t), armorEncode(bytes, tag));
        if (outcome.ok) consume(outcome.value as SignetObject);
      }),
      fcParams(500)
    );
  });
});

describe('DMTP base64 signets and fingerprints', () => {
  it('mutated base64 of real signets returns or throws DimeError', () => {
    const rng = new Rng(FUZZ_SEED + 3);
    for (let i = 0; i < runs(1000); i++) {
      const text = mutateTextDeep(rng, base64Encode(objects[i % objects.length]!.bytes), 2);
      const outcome = check('decodeSignetBase64', (t: string) => decodeSignetBase64(t), text);
      if (outcome.ok) consume(outcome.value as SignetObject);
    }
  });

  it('fingerprint input in any form is normalised or rejected with DimeError', () => {
    const real = fingerprints(objects[2]!);
    const rng = new Rng(FUZZ_SEED + 4);
    for (let i = 0; i < runs(1000); i++) {
      const base = [real.crypto!, real.full!, `${real.id!}==`, Buffer.from(real.ssr!, 'base64').toString('hex'), `[${real.id!}]`][i % 5]!;
      const text = mutateTextDeep(rng, base, 2);
      const outcome = check('normalizeFingerprint', (t: string) => normalizeFingerprint(t), text);
      if (outcome.ok) expect(outcome.value).toMatch(/^[A-Za-z0-9+/]{86}$/);
    }
  });

  it('keys files with edited sizes and bytes never crash decodeKeys', () => {
    const rng = new Rng(FUZZ_SEED + 5);
    const keyObjects = objects.filter((o) => o.type.endsWith('-keys'));
    for (let i = 0; i < runs(800); i++) {
      const base = keyObjects[i % keyObjects.length]!;
      const outcome = check('decodeSignetBinary(keys)', (b: Uint8Array) => decodeSignetBinary(b), mutateBytesDeep(rng, base.bytes, lengthOffsets(base), 2));
      if (outcome.ok) consume(outcome.value as SignetObject);
    }
  });
});

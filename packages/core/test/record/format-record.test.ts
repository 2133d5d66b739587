import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  base64EncodeUnpadded,
  formatDimeRecord,
  formatZoneLine,
  newRecord,
  parseRecord,
  parseRecordFile,
  quoteCharacterString,
  splitCharacterStrings,
  type DimeRecord,
} from '@dime/core';
import { failure } from './util.js';

const P1 = base64EncodeUnpadded(new Uint8Array(32).fill(7));
const P2 = base64EncodeUnpadded(new Uint8Array(32).fill(200));
const T1 = base64EncodeUnpadded(new Uint8Array(64).fill(1));
const T2 = base64EncodeUnpadded(new Uint8Array(64).fill(254));


describe('formatDimeRecord', () => {
  it('writes ver pok… tls… pol syn… dx… exp sub with single spaces', () => {
    const rec = newRecord({
      pok: [P1, P2],
      tls: [T1, T2],
      policy: 'strict',
      subdomain: 'explicit',
      syndicates: ['s1.example', 's2.example'],
      dx: ['dx1.example.com', 'dx2.example.com'],
      expiry: 30,
    });
    expect(formatDimeRecord(rec)).toBe(
      `ver=1 pok=${P1} pok=${P2} tls=${T1} tls=${T2} pol=strict syn=s1.example syn=s2.example ` +
        `dx=dx1.example.com dx=dx2.example.com exp=30 sub=explicit`
    );
  });

  it('always writes ver, pol and sub (defaults included) and leaves out empty lists', () => {
    expect(formatDimeRecord(newRecord({ pok: [P1] }))).toBe(`ver=1 pok=${P1} pol=experimental sub=strict`);
  });

  it('never writes unknown fields', () => {
    const rec = parseRecord(`pok=${P1} foo=bar`);
    expect(formatDimeRecord(rec)).toBe(`ver=1 pok=${P1} pol=experimental sub=strict`);
  });

  it('refuses to write what the parser would reject, naming the field', () => {
    const cases: Array<[Partial<DimeRecord>, string]> = [
      [{}, 'pok: missing, the record needs at least one'],
      [{ pok: [`${P1}=`] }, 'pok: 44 characters, expected 43'],
      [{ pok: [P1], tls: [T1.slice(1)] }, 'tls: 85 characters, expected 86'],
      [{ pok: [P1], policy: 'lax' as never }, 'pol: "lax", expected experimental, mixed or strict'],
      [{ pok: [P1], subdomain: 'x' as never }, 'sub: "x", expected strict, relaxed or explicit'],
      [{ pok: [P1], expiry: 0 }, 'exp: "0", expected a positive whole number of days'],
      [{ pok: [P1], expiry: 1.5 }, 'exp: "1.5", expected a positive whole number of days'],
      [{ pok: [P1], dx: ['a b'] }, 'dx: "a b" is not a host name'],
      [{ pok: [P1], syndicates: ['a;b'] }, `syn: "a;b" holds a space, tab, ';' or non-printable character`],
      [{ pok: [P1], version: 2 }, 'ver: "2", expected 1'],
    ];
    for (const [fields, message] of cases) {
      const err = failure(() => formatDimeRecord(newRecord(fields)));
      expect(err.code).toBe('RECORD_INVALID');
      expect(err.message).toBe(message);
    }
  });
});

describe('splitCharacterStrings / formatZoneLine', () => {
  it('cuts at 255 bytes exactly', () => {
    const text = 'a'.repeat(600);
    expect(splitCharacterStrings(text).map((s) => s.length)).toEqual([255, 255, 90]);
    expect(splitCharacterStrings('a'.repeat(255))).toEqual(['a'.repeat(255)]);
    expect(splitCharacterStrings('')).toEqual(['']);
    expect(splitCharacterStrings('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('never cuts inside a UTF-8 character', () => {
    const strings = splitCharacterStrings(`${'a'.repeat(254)}é${'b'.repeat(10)}`);
    expect(strings.map((s) => Buffer.byteLength(s))).toEqual([254, 12]);
  });

  it('quotes and escapes a character-string for a zone file', () => {
    expect(quoteCharacterString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('prints one string for a short record, with the given TTL', () => {
    const rec = newRecord({ pok: [P1] });
    expect(formatZoneLine('example.com', rec)).toBe(`_dx.example.com. 3600 IN TXT "ver=1 pok=${P1} pol=experimental sub=strict"`);
    expect(formatZoneLine('example.com.', rec, 120)).toBe(`_dx.example.com. 120 IN TXT "ver=1 pok=${P1} pol=experimental sub=strict"`);
  });

  it('splits a record over 255 bytes into several strings that read back to the same record', () => {
    const rec = newRecord({ pok: [P1, P2], tls: [T1, T2], dx: ['dx.example.com'], expiry: 7 });
    const text = formatDimeRecord(rec);
    expect(text.length).toBe(335);
    const line = formatZoneLine('example.com', rec);
    const strings = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    expect(strings.map((s) => s.length)).toEqual([255, 80]);
    expect(strings.join('')).toBe(text);
    expect(line).toBe(`_dx.example.com. 3600 IN TXT "${text.slice(0, 255)}" "${text.slice(255)}"`);
    expect(parseRecordFile(line)).toEqual(rec);
  });

  it('rejects a bad domain or TTL as USAGE', () => {
    const rec = newRecord({ pok: [P1] });
    for (const [domain, ttl, message] of [
      ['exa mple.com', 3600, 'domain: "exa mple.com" is not a domain name'],
      ['', 3600, 'domain: "" is not a domain name'],
      ['example.com', -1, 'ttl: -1 is not a TTL (0 to 2147483647 seconds)'],
      ['example.com', 2 ** 31, 'ttl: 2147483648 is not a TTL (0 to 2147483647 seconds)'],
    ] as const) {
      const err = failure(() => formatZoneLine(domain, rec, ttl));
      expect(err.code).toBe('USAGE');
      expect(err.message).toBe(message);
    }
  });
});

describe('round trip (property)', () => {
  const b64 = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map(base64EncodeUnpadded);
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
  const record = fc.record({
    pok: fc.array(b64(32), { minLength: 1, maxLength: 4 }),
    tls: fc.array(b64(64), { maxLength: 4 }),
    policy: fc.constantFrom('experimental' as const, 'mixed' as const, 'strict' as const),
    subdomain: fc.constantFrom('strict' as const, 'relaxed' as const, 'explicit' as const),
    dx: fc.array(host, { maxLength: 3 }),
    syndicates: fc.array(fc.stringMatching(/^[\x21-\x3a\x3c-\x7e]{1,20}$/), { maxLength: 3 }),
    expiry: fc.option(fc.integer({ min: 1, max: 2147483647 }), { nil: null }),
  });

  it('parse(format(r)) == r, also through a zone line split into strings', () => {
    fc.assert(
      fc.property(record, (fields) => {
        const rec = newRecord(fields);
        const text = formatDimeRecord(rec);
        expect(parseRecord(text)).toEqual(rec);
        expect(parseRecordFile(formatZoneLine('example.com', rec))).toEqual(rec);
        const strings = splitCharacterStrings(text);
        expect(strings.every((s) => Buffer.byteLength(s) <= 255)).toBe(true);
        expect(parseRecord(strings)).toEqual(rec);
      }),
      { numRuns: 200 }
    );
  });
});

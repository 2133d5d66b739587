import { describe, expect, it } from 'vitest';
import {
  base64EncodeUnpadded,
  hexDecode,
  isRecordCandidate,
  parseRecord,
  selectDimeRecord,
  tokenizeRecord,
  utf8Encode,
  type DimeRecord,
} from '@dime/core';
import { failure } from './util.js';

// RFC 8032 §7.1 TEST 1 and TEST 2 public keys as pok= values (43 characters each).
const P1 = base64EncodeUnpadded(hexDecode('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'));
const P2 = base64EncodeUnpadded(hexDecode('3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c'));
// A 64-byte value as tls= (86 characters).
const T1 = base64EncodeUnpadded(new Uint8Array(64).map((_, i) => i * 3 + 1));


function expectInvalid(input: Parameters<typeof parseRecord>[0], message: string): void {
  const err = failure(() => parseRecord(input));
  expect(err.code).toBe('RECORD_INVALID');
  expect(err.exitCode).toBe(1);
  expect(err.message).toBe(message);
}

const DEFAULTS: DimeRecord = {
  version: 1,
  pok: [P1],
  tls: [],
  policy: 'experimental',
  subdomain: 'strict',
  dx: [],
  syndicates: [],
  expiry: null,
  unknown: [],
};

describe('parseRecord: the rules of profile §3', () => {
  it('sanity: the two keys are 43 characters and the signature 86', () => {
    expect([P1.length, P2.length, T1.length]).toEqual([43, 43, 86]);
  });

  it('accepts the minimal record and fills the defaults (missing ver means 1)', () => {
    expect(parseRecord(`pok=${P1}`)).toEqual(DEFAULTS);
    expect(parseRecord(`ver=1 pok=${P1}`)).toEqual(DEFAULTS);
  });

  it('rejects a padded 44-character pok', () => {
    expectInvalid(`ver=1 pok=${P1}=`, 'pok: 44 characters, expected 43');
  });

  it('rejects a 42-character pok', () => {
    expectInvalid(`ver=1 pok=${P1.slice(0, 42)}`, 'pok: 42 characters, expected 43');
  });

  it('rejects ver=2', () => {
    expectInvalid(`ver=2 pok=${P1}`, 'ver: "2", expected 1');
  });

  it('rejects a record without pok', () => {
    expectInvalid('ver=1 pol=strict sub=strict', 'pok: missing, the record needs at least one');
  });

  it('rejects an unknown policy', () => {
    expectInvalid(`ver=1 pok=${P1} pol=lenient`, 'pol: "lenient", expected experimental, mixed or strict');
  });

  it('rejects an 85-character tls', () => {
    expectInvalid(`ver=1 pok=${P1} tls=${T1.slice(0, 85)}`, 'tls: 85 characters, expected 86');
  });

  it('accepts tab separators (libdime did not)', () => {
    expect(parseRecord(`ver=1\tpok=${P1}\t\tpol=mixed`)).toEqual({ ...DEFAULTS, policy: 'mixed' });
  });

  it('accepts VERSION=1;PRIMARY=… long names and any case', () => {
    expect(parseRecord(`VERSION=1;PRIMARY=${P1};POLICY=STRICT;SubDomain=Relaxed;DELIVER=dx.example.com;Expiry=30;SYNDICATES=a.example`)).toEqual({
      ...DEFAULTS,
      policy: 'strict',
      subdomain: 'relaxed',
      dx: ['dx.example.com'],
      expiry: 30,
      syndicates: ['a.example'],
    });
  });

  it('joins a record split across two strings in the middle of a value, with no separator', () => {
    const text = `ver=1 pok=${P1} tls=${T1} pol=experimental sub=strict`;
    const cut = text.indexOf('tls=') + 30; // inside the tls value
    const strings = [utf8Encode(text.slice(0, cut)), utf8Encode(text.slice(cut))];
    expect(parseRecord(strings)).toEqual({ ...DEFAULTS, tls: [T1] });
    expect(parseRecord([text.slice(0, cut), text.slice(cut)])).toEqual({ ...DEFAULTS, tls: [T1] });
  });

  it('splits at the first "=": an extra "=" stays in the value', () => {
    expectInvalid(`ver=1pok=${P1}`, `ver: "1pok=${P1}", expected 1`);
    expectInvalid(`ver=1pok=${P1}xyz`, `ver: "1pok=${P1.slice(0, 40)}...", expected 1`);
    expect(parseRecord(`pok=${P1} x=a=b`).unknown).toEqual([{ name: 'x', value: 'a=b' }]);
  });

  it('keeps repeated pok, tls, dx and syn in record order', () => {
    const rec = parseRecord(`pok=${P2} pok=${P1} tls=${T1} tls=${T1} dx=b.example dx=a.example syn=s1 syn=s2`);
    expect(rec.pok).toEqual([P2, P1]);
    expect(rec.tls).toEqual([T1, T1]);
    expect(rec.dx).toEqual(['b.example', 'a.example']);
    expect(rec.syndicates).toEqual(['s1', 's2']);
  });

  it('keeps unknown fields aside, as written, and ignores doubled separators', () => {
    const rec = parseRecord(`;; ver=1 ;  pok=${P1} Foo=Bar  ; ext=1 ;`);
    expect(rec.unknown).toEqual([
      { name: 'Foo', value: 'Bar' },
      { name: 'ext', value: '1' },
    ]);
    expect({ ...rec, unknown: [] }).toEqual(DEFAULTS);
  });

  it('rejects a single-valued field given twice', () => {
    expectInvalid(`pok=${P1} pol=strict policy=mixed`, 'pol: given 2 times, allowed once');
    expectInvalid(`ver=1 version=1 pok=${P1}`, 'ver: given 2 times, allowed once');
  });

  it('checks sub, exp and dx', () => {
    expectInvalid(`pok=${P1} sub=loose`, 'sub: "loose", expected strict, relaxed or explicit');
    expectInvalid(`pok=${P1} exp=0`, 'exp: "0", expected a positive whole number of days');
    expectInvalid(`pok=${P1} exp=30days`, 'exp: "30days", expected a positive whole number of days');
    expectInvalid(`pok=${P1} exp=-5`, 'exp: "-5", expected a positive whole number of days');
    expectInvalid(`pok=${P1} exp=2147483648`, 'exp: "2147483648", expected a positive whole number of days');
    expect(parseRecord(`pok=${P1} exp=2147483647`).expiry).toBe(2147483647);
    expectInvalid(`pok=${P1} dx=bad..host`, 'dx: "bad..host" is not a host name');
    expectInvalid(`pok=${P1} dx=-x.example`, 'dx: "-x.example" is not a host name');
    expectInvalid(`pok=${P1} dx=host:26`, 'dx: "host:26" is not a host name');
    expect(parseRecord(`pok=${P1} dx=dx.example.com.`).dx).toEqual(['dx.example.com.']);
  });

  it('rejects empty values of known fields', () => {
    expectInvalid(`pok=${P1} pol=`, 'pol: "", expected experimental, mixed or strict');
    expectInvalid(`pok=`, 'pok: 0 characters, expected 43');
    expectInvalid(`pok=${P1} syn=`, 'syn: empty value');
  });

  it('rejects non-base64 and non-canonical base64 in pok and tls', () => {
    expectInvalid(`pok=${P1.slice(0, 42)}!`, 'pok: character "!" at position 43 is not base64');
    expectInvalid(`pok=${P1.slice(0, 10)}-${P1.slice(11)}`, 'pok: character "-" at position 11 is not base64');
    // 43 characters carry 258 bits: the last character's two low bits must be zero.
    const last = P1[42]!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const stray = alphabet[alphabet.indexOf(last) | 1]!;
    expect(stray).not.toBe(last);
    expectInvalid(`pok=${P1.slice(0, 42)}${stray}`, 'pok: not canonical base64 of 32 bytes (last character has stray bits)');
  });

  it('rejects tokens that are not name=value, and non-printable characters', () => {
    expectInvalid(`ver=1 pok= ${P1}`, `token 3: "${P1}" is not name=value`);
    expectInvalid(`ver=1 pok=${P1} stray`, 'token 3: "stray" is not name=value');
    expectInvalid(`=x pok=${P1}`, 'token 1: "=x" is not name=value');
    expectInvalid(`pok=${P1} x=\u0007`, 'record: character 0x07 at position 51 is not printable ASCII');
    expectInvalid([utf8Encode('pok='), new Uint8Array([0xc3, 0xa9])], 'record: character 0xc3 at position 5 is not printable ASCII');
    expectInvalid(`pok=${P1}\nver=1`, 'record: character 0x0a at position 48 is not printable ASCII');
  });

  it('rejects text longer than a TXT record can hold, without tokenising it', () => {
    expectInvalid(`pok=${P1} ${'x=y '.repeat(20000)}`, 'record: 80048 characters, more than a TXT record holds (65535)');
  });

  it('tokenizeRecord keeps names as written', () => {
    expect(tokenizeRecord('A=1;b=2\tC==3')).toEqual([
      { name: 'A', value: '1' },
      { name: 'b', value: '2' },
      { name: 'C', value: '=3' },
    ]);
  });
});

describe('selectDimeRecord: the one candidate among the TXT RRs (profile §3)', () => {
  const dime = [utf8Encode(`ver=1 pok=${P1}`)];
  const spf = [utf8Encode('v=spf1 -all')];

  it('picks the DIME record out of two TXT RRs of which one is SPF', () => {
    expect(selectDimeRecord([spf, dime])).toEqual(DEFAULTS);
    expect(selectDimeRecord([dime, spf])).toEqual(DEFAULTS);
  });

  it('rejects two TXT RRs that both start with ver=', () => {
    const other = [utf8Encode(`ver=1 pok=${P2}`)];
    const err = failure(() => selectDimeRecord([dime, other]));
    expect(err.code).toBe('RECORD_INVALID');
    expect(err.message).toBe('ambiguous DIME record');
  });

  it('no candidate is NO_RECORD "no DIME record"', () => {
    for (const rrs of [[], [spf], [[utf8Encode('hello world')]]]) {
      const err = failure(() => selectDimeRecord(rrs));
      expect(err.code).toBe('NO_RECORD');
      expect(err.exitCode).toBe(1);
      expect(err.message).toBe('no DIME record');
    }
  });

  it('a candidate is first-token ver/version (any case) or any pok/primary token', () => {
    expect(isRecordCandidate(`VERSION=1`)).toBe(true);
    expect(isRecordCandidate(`Ver=7 x=y`)).toBe(true);
    expect(isRecordCandidate(`x=y PRIMARY=abc`)).toBe(true);
    expect(isRecordCandidate(`x=y ver=1`)).toBe(false);
    expect(isRecordCandidate(`v=spf1 include:pok.example -all`)).toBe(false);
    expect(isRecordCandidate([utf8Encode('x=y p'), utf8Encode('ok=abc')])).toBe(true);
  });

  it('a broken candidate is reported as invalid, not skipped', () => {
    const err = failure(() => selectDimeRecord([spf, [utf8Encode(`ver=1 pok=${P1}=`)]]));
    expect(err.code).toBe('RECORD_INVALID');
    expect(err.message).toBe('pok: 44 characters, expected 43');
  });
});

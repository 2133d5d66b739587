/**
 * Hostile input for the management record (profile §3) and the record-file reader: mutated real
 * records, arbitrary token soups, TXT strings with any bytes. Parse errors are RECORD_INVALID,
 * NO_RECORD or BAD_INPUT DimeErrors; nothing else may escape.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { base64EncodeUnpadded, parseRecord, parseRecordFile, readSigningKey, selectDimeRecord, tokenizeRecord, formatDimeRecord, encodeKeys, keysFromMaterial } from '@dime/core';
import { FUZZ_SEED, Rng, check, fcParams, mutateBytesDeep, mutateTextDeep, runs } from './harness.js';

const POK = base64EncodeUnpadded(new Uint8Array(32).fill(7));
const TLS = base64EncodeUnpadded(new Uint8Array(64).fill(9));
const RECORDS = [
  `ver=1 pok=${POK} tls=${TLS} pol=strict syn=syn.example.test dx=dx.example.test exp=30 sub=relaxed`,
  `version=1; primary=${POK}; tls=${TLS}; policy=mixed; deliver=dx1.example.test; deliver=dx2.example.test`,
  `pok=${POK}`,
  `VER=1\tPOK=${POK}\tunknown=value exp=9999`,
];
const PARSE_CODES = new Set(['RECORD_INVALID', 'NO_RECORD', 'BAD_INPUT']);

describe('management record parser under mutation', () => {
  it('the seeds parse (mutations start from valid records)', () => {
    for (const text of RECORDS) expect(parseRecord(text).pok).toHaveLength(1);
  });

  it('mutated records return a record or throw RECORD_INVALID/NO_RECORD/BAD_INPUT', () => {
    const rng = new Rng(FUZZ_SEED + 10);
    let valid = 0;
    for (let i = 0; i < runs(3000); i++) {
      const text = mutateTextDeep(rng, RECORDS[i % RECORDS.length]!, 3);
      const outcome = check('parseRecord', parseRecord, text);
      if (outcome.ok) {
        valid++;
        // A record that parses formats and parses again to the same pok/tls values.
        const formatted = check('formatDimeRecord', formatDimeRecord, outcome.value as never);
        if (formatted.ok) {
          const again = parseRecord(formatted.value as string);
          expect(again.pok).toEqual((outcome.value as { pok: unknown }).pok);
        }
      } else expect(PARSE_CODES.has(outcome.error.code), outcome.error.code).toBe(true);
      check('tokenizeRecord', tokenizeRecord, text);
    }
    expect(valid).toBeGreaterThan(0);
  });

  it('token soups of known and unknown names never crash', () => {
    const name = fc.constantFrom('ver', 'version', 'pok', 'primary', 'tls', 'pol', 'policy', 'sub', 'subdomain', 'dx', 'deliver', 'syn', 'syndicates', 'exp', 'expiry', 'x', '', 'VER', 'Pok');
    const value = fc.oneof(fc.constantFrom('1', '0', '2', POK, TLS, `${POK}=`, 'strict', 'mixed', '', '-1', '99999999999999999999', 'a..b', '.'), fc.string({ maxLength: 90 }));
    const token = fc.tuple(name, fc.constantFrom('=', '==', '', ' = '), value).map(([n, eq, v]) => `${n}${eq}${v}`);
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), fc.constantFrom(' ', ';', '\t', '; ', ''), (tokens, sep) => {
        const text = tokens.join(sep);
        const outcome = check('parseRecord', parseRecord, text);
        if (!outcome.ok) expect(PARSE_CODES.has(outcome.error.code), outcome.error.code).toBe(true);
      }),
      fcParams(1500)
    );
  });

  it('TXT RRsets with any strings (bytes, empties, many candidates) never crash selectDimeRecord', () => {
    const strings = fc.array(fc.uint8Array({ maxLength: 255 }), { maxLength: 4 });
    const withCandidates = fc.array(fc.oneof(strings, fc.constant([new TextEncoder().encode(RECORDS[0]!)]), fc.constant([new TextEncoder().encode('ver=1'), new TextEncoder().encode(` pok=${POK}`)])), { maxLength: 5 });
    fc.assert(
      fc.property(withCandidates, (rrset) => {
        const outcome = check('selectDimeRecord', selectDimeRecord, rrset);
        if (!outcome.ok) expect(PARSE_CODES.has(outcome.error.code), outcome.error.code).toBe(true);
      }),
      fcParams(800)
    );
  });
});

describe('record files (value, strings, zone line) under mutation', () => {
  const FILES = [
    RECORDS[0]!,
    `"ver=1 pok=${POK}" " tls=${TLS}"`,
    `_dx.example.test. 3600 IN TXT "ver=1 pok=${POK} " "tls=${TLS} pol=strict"\n`,
    `$ORIGIN example.test.\n$TTL 300\n_dx IN TXT ( "ver=1"\n  " pok=${POK}" ) ; comment\n`,
    `_dx.example.test. IN TXT "ver=1 pok=\\${POK.slice(0, 3)}${POK.slice(3)}" "\\032tls=${TLS}"`,
  ];

  it('mutated record files return a record or throw a DimeError', () => {
    const rng = new Rng(FUZZ_SEED + 11);
    for (let i = 0; i < runs(1200); i++) {
      const text = mutateTextDeep(rng, FILES[i % FILES.length]!, 3);
      check('parseRecordFile', (t: string) => parseRecordFile(t, { domain: 'example.test' }), text);
      check('parseRecordFile(no domain)', (t: string) => parseRecordFile(t), text);
    }
  });
});

describe('signing key input (genrec -k) under mutation', () => {
  const keysBytes = encodeKeys(keysFromMaterial('org-keys', new Uint8Array(32).fill(1), new Uint8Array(32).fill(2))).bytes;

  it('mutated keys files return a key or throw a DimeError', () => {
    const rng = new Rng(FUZZ_SEED + 12);
    for (let i = 0; i < runs(800); i++) {
      check('readSigningKey', (b: Uint8Array) => readSigningKey(b), mutateBytesDeep(rng, keysBytes, [2, 3, 4, 6, 40], 2));
    }
  });

  it('arbitrary bytes and PEM-looking text never crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 300 }).map((s) => new TextEncoder().encode(`-----BEGIN ED25519 PRIVATE KEY-----\n${s}\n-----END ED25519 PRIVATE KEY-----\n`))), (bytes) => {
        check('readSigningKey', (b: Uint8Array) => readSigningKey(b), bytes);
      }),
      fcParams(600)
    );
  });
});

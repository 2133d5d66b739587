/** Every record-area reader facing garbage: a DimeError with a one-line message, nothing else. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DimeError,
  base64EncodeUnpadded,
  parseRecord,
  readCertificate,
  readRecordFile,
  readSigningKey,
  selectDimeRecord,
} from '@dime/core';

const P = base64EncodeUnpadded(new Uint8Array(32).fill(1));

function onlyDimeErrors(fn: () => unknown, codes: readonly string[]): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof DimeError)) throw err;
    expect(codes).toContain(err.code);
    expect(err.message).not.toMatch(/[\r\n]/);
    expect(err.message.length).toBeLessThan(300);
  }
}

/** Text made of record-ish pieces, so the fuzzer reaches the field rules, not only the tokenizer. */
const recordish = fc
  .array(
    fc.oneof(
      fc.constantFrom('ver', 'VERSION', 'pok', 'primary', 'tls', 'pol', 'sub', 'dx', 'syn', 'exp', 'x', '', '=', ' ', '\t', ';', '"', '\\', '\n', P, `${P}=`, '1', 'strict'),
      fc.string({ maxLength: 8 })
    ),
    { maxLength: 30 }
  )
  .map((parts) => parts.join(''));

describe('hostile input', () => {
  it('parseRecord: RECORD_INVALID or a record', () => {
    fc.assert(fc.property(recordish, (text) => onlyDimeErrors(() => parseRecord(text), ['RECORD_INVALID'])), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 }), (strings) => onlyDimeErrors(() => parseRecord(strings), ['RECORD_INVALID'])),
      { numRuns: 500 }
    );
  });

  it('selectDimeRecord: NO_RECORD, RECORD_INVALID or a record', () => {
    fc.assert(
      fc.property(fc.array(fc.array(recordish, { minLength: 1, maxLength: 3 }), { maxLength: 4 }), (rrs) =>
        onlyDimeErrors(() => selectDimeRecord(rrs), ['NO_RECORD', 'RECORD_INVALID'])
      ),
      { numRuns: 1000 }
    );
  });

  it('readRecordFile: the record codes only, whatever the form', () => {
    const zoneish = fc
      .array(fc.constantFrom('_dx.example.com.', '$ORIGIN', '$TTL', 'IN', 'TXT', '(', ')', '"', 'ver=1', `pok=${P}`, '\\0', '\\"', ';', '\n', ' ', '300', 'A'), { maxLength: 25 })
      .map((parts) => parts.join(' '));
    fc.assert(
      fc.property(fc.oneof(recordish, zoneish), (text) => onlyDimeErrors(() => readRecordFile(text), ['NO_RECORD', 'RECORD_INVALID'])),
      { numRuns: 2000 }
    );
  });

  it('readSigningKey and readCertificate: BAD_INPUT for any bytes', () => {
    const headed = fc.tuple(fc.constantFrom(0x07, 0x30, 0x2d, 0x04), fc.uint8Array({ maxLength: 120 })).map(([b, rest]) => new Uint8Array([b, ...rest]));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), headed), (bytes) => {
        onlyDimeErrors(() => readSigningKey(bytes), ['BAD_INPUT']);
        onlyDimeErrors(() => readCertificate(bytes), ['BAD_INPUT']);
      }),
      { numRuns: 1000 }
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  base64EncodeUnpadded,
  formatDimeRecord,
  formatZoneLine,
  newRecord,
  parseRecordFile,
  readRecordFile,
  recordFileForm,
} from '@dime/core';
import { sharedVectorsAvailable, vectorPath } from '../helpers.js';
import { failure } from './util.js';

const P1 = base64EncodeUnpadded(new Uint8Array(32).fill(9));
const P2 = base64EncodeUnpadded(new Uint8Array(32).fill(90));
const REC = newRecord({ pok: [P1] });


describe('readRecordFile: a TXT value, quoted strings or zone lines', () => {
  it('tells the forms apart', () => {
    expect(recordFileForm(`ver=1 pok=${P1}`)).toBe('value');
    expect(recordFileForm(`\n\n  VERSION=1;PRIMARY=${P1}`)).toBe('value');
    expect(recordFileForm(`"ver=1 pok=${P1}"`)).toBe('strings');
    expect(recordFileForm(`_dx.example.com. 3600 IN TXT "ver=1"`)).toBe('zone');
    expect(recordFileForm(`_dx.example.com. TXT "ver=1"`)).toBe('zone');
    expect(recordFileForm(`$ORIGIN example.com.`)).toBe('zone');
    expect(recordFileForm(`; a comment\n_dx TXT "x"`)).toBe('zone');
    expect(recordFileForm(`; made by genrec\nver=1 pok=${P1}`)).toBe('value');
    expect(recordFileForm(`; dig +short\n"ver=1"`)).toBe('strings');
    expect(recordFileForm(`example.com. 300 IN A 192.0.2.1`)).toBe('zone');
  });

  it('a TXT value, with a final newline, or wrapped over lines at token boundaries', () => {
    expect(readRecordFile(`ver=1 pok=${P1}\n`)).toEqual({ record: REC, form: 'value', owner: null, ttl: null });
    expect(parseRecordFile(`\uFEFFver=1\r\npok=${P1}\r\n`)).toEqual(REC);
    expect(parseRecordFile(`; _dx.example.com, made by genrec\n\nver=1 pok=${P1}\n; end\n`)).toEqual(REC);
    expect(parseRecordFile(`; comment\n"ver=1 " "pok=${P1}"\n; end\n`)).toEqual(REC);
  });

  it('quoted strings are joined with no separator', () => {
    const text = `ver=1 pok=${P1}`;
    expect(readRecordFile(`"${text.slice(0, 20)}" "${text.slice(20)}"\n`)).toEqual({ record: REC, form: 'strings', owner: null, ttl: null });
  });

  it('quoted strings one RR per line, as `dig +short TXT` prints them: the DIME one is picked', () => {
    const text = `ver=1 pok=${P1}`;
    const dig = `"v=spf1 -all"\n"${text.slice(0, 20)}" "${text.slice(20)}"\n`;
    expect(readRecordFile(dig).record).toEqual(REC);
    const err = failure(() => readRecordFile(`"${text}"\n"ver=1 pok=${P2}"\n`));
    expect([err.code, err.message]).toEqual(['RECORD_INVALID', 'ambiguous DIME record']);
    expect(failure(() => readRecordFile('"v=spf1 -all"\n')).code).toBe('NO_RECORD');
  });

  it('a zone line, with its owner and TTL', () => {
    const line = `_dx.example.com. 120 IN TXT "ver=1 pok=${P1}"`;
    expect(readRecordFile(line)).toEqual({ record: REC, form: 'zone', owner: '_dx.example.com.', ttl: 120 });
  });

  it('zone syntax: $ORIGIN, relative owner, parentheses, comments, escapes', () => {
    const text = [
      '$ORIGIN example.org.',
      '$TTL 300',
      '@ IN A 192.0.2.1',
      '_dx IN TXT ( "v=spf1 -all" ) ; not this one',
      `_dx IN TXT ( "ver=1 " ; the first half`,
      `             "pok=${P1} syn=a\\"b" )`,
    ].join('\n');
    const read = readRecordFile(text);
    expect(read.record).toEqual(newRecord({ pok: [P1], syndicates: ['a"b'] }));
    expect(read.owner).toBe('_dx.example.org.');
    expect(read.ttl).toBe(300);
  });

  it('prefers TXT RRs at _dx names, and can be told the domain', () => {
    const text = [
      `example.com. 60 IN TXT "ver=1 pok=${P2}"`,
      `_dx.example.com. 60 IN TXT "ver=1 pok=${P1}"`,
      `_dx.example.net. 60 IN TXT "ver=1 pok=${P2}"`,
    ].join('\n');
    expect(failure(() => readRecordFile(text)).message).toBe('ambiguous DIME record');
    expect(readRecordFile(text, { domain: 'example.com' }).record).toEqual(REC);
    expect(readRecordFile(text, { domain: 'EXAMPLE.NET.' }).record.pok).toEqual([P2]);
    expect(failure(() => readRecordFile(text, { domain: 'example.org' })).code).toBe('NO_RECORD');
    expect(readRecordFile(text.split('\n').slice(0, 2).join('\n')).record).toEqual(REC);
  });

  it('a zone line without a TTL gets 3600; a relative name needs an origin', () => {
    expect(readRecordFile(`_dx.example.com. IN TXT "pok=${P1}"`).ttl).toBe(3600);
    expect(readRecordFile(`_dx IN TXT "pok=${P1}"`, { origin: 'example.com.' }).owner).toBe('_dx.example.com.');
  });

  it('errors: invalid record, no record, broken zone syntax', () => {
    const cases: Array<[string, string, string]> = [
      ['', 'NO_RECORD', 'no DIME record'],
      [`_dx.example.com. 60 IN TXT "v=spf1 -all"`, 'NO_RECORD', 'no DIME record'],
      [`example.com. 60 IN A 192.0.2.1`, 'NO_RECORD', 'no DIME record'],
      [`ver=1 pok=${P1}=`, 'RECORD_INVALID', 'pok: 44 characters, expected 43'],
      [`"ver=1 pok=${P1}`, 'RECORD_INVALID', 'TXT strings: line 1: unterminated quoted string'],
      ['garbage', 'RECORD_INVALID', 'token 1: "garbage" is not name=value'],
    ];
    for (const [text, code, message] of cases) {
      const err = failure(() => readRecordFile(text));
      expect([err.code, err.message]).toEqual([code, message]);
      expect(err.exitCode).toBe(1);
    }
    const broken = failure(() => readRecordFile(`_dx.example.com. 60 IN TXT "ver=1 pok=${P1}`));
    expect(broken.code).toBe('RECORD_INVALID');
    expect(broken.message.startsWith('zone line: line 1: ')).toBe(true);
  });

  it('a record over 255 bytes round-trips through its zone line', () => {
    const rec = newRecord({ pok: [P1, P2], dx: ['a-long-dx-host-name.example.com', 'another-dx-host.example.com'], syndicates: ['s.example'], expiry: 14 });
    rec.tls.push(base64EncodeUnpadded(new Uint8Array(64).fill(3)));
    expect(formatDimeRecord(rec).length).toBeGreaterThan(255);
    const line = formatZoneLine('example.com', rec, 600);
    expect(readRecordFile(line)).toEqual({ record: rec, form: 'zone', owner: '_dx.example.com.', ttl: 600 });
  });
});

describe.runIf(sharedVectorsAvailable())('the vector expected-record.zone', () => {
  it('reads as one record with the magma sandbox pok and tls', () => {
    const read = readRecordFile(readFileSync(vectorPath('record', 'expected-record.zone'), 'utf8'));
    expect(read.owner).toBe('_dx.localhost.localdomain.');
    expect(read.ttl).toBe(120);
    expect(read.record).toEqual(
      newRecord({
        pok: ['h44kA4AXy2gFnlF+osucG2t4SOBeu8CA3WWxo6RLfIA'],
        tls: ['ooYv26aWxb9ik4jScV/sFZyJ9l70YSHToSwChtY+0twZJiDopBnXUwY/B9wAvXwwUQc5b85ry+rB681oc9ydCg'],
      })
    );
  });
});

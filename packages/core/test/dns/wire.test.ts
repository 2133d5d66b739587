import { describe, expect, it } from 'vitest';
import { DimeError } from '@dime/core/errors';
import { hexDecode, hexEncode, utf8Decode } from '@dime/core/bytes';
import {
  decodeMessage,
  encodeMessage,
  encodeQuery,
  encodeResponse,
  formatRecord,
  nameToWire,
  normalizeName,
  compareNames,
  readWireName,
  labelsToName,
  parseIpv6,
  formatIpv6,
  typeToCode,
  typeToName,
  base32hexEncode,
  base32hexDecode,
  parseZoneFile,
  txtStrings,
} from '@dime/core/dns';

describe('type table', () => {
  it('maps mnemonics and TYPEnnn both ways', () => {
    expect(typeToCode('txt')).toBe(16);
    expect(typeToCode('TYPE65534')).toBe(65534);
    expect(typeToName(65534)).toBe('TYPE65534');
    expect(typeToName('TYPE16')).toBe('TXT');
    expect(typeToName(50)).toBe('NSEC3');
    expect(() => typeToCode('BOGUS')).toThrow(DimeError);
  });
});

describe('names', () => {
  it('keeps a label holding a dot byte as one label', () => {
    const wire = Uint8Array.from([3, 0x61, 0x2e, 0x62, 7, ...Buffer.from('example'), 0]);
    const { labels, end } = readWireName(wire, 0);
    expect(labels.length).toBe(2);
    expect(end).toBe(wire.length);
    expect(labelsToName(labels)).toBe('a\\.b.example.');
    expect(hexEncode(nameToWire('a\\.b.example.'))).toBe(hexEncode(wire));
  });

  it('escapes and normalises', () => {
    expect(normalizeName('www.Example.COM')).toBe('www.Example.COM.');
    expect(normalizeName('a\\032b.example.')).toBe('a\\032b.example.');
    expect(normalizeName('@', 'example.com.')).toBe('example.com.');
    expect(normalizeName('www', 'example.com.')).toBe('www.example.com.');
    expect(() => normalizeName('a..b')).toThrow(/empty label/);
    expect(() => normalizeName('x'.repeat(64) + '.com')).toThrow(/label of 64 bytes/);
  });

  it('orders names canonically (RFC 4034 §6.1 example)', () => {
    const sorted = ['example.', 'a.example.', 'yljkjljk.a.example.', 'Z.a.example.', 'zABC.a.EXAMPLE.', 'z.example.', '\\001.z.example.', '*.z.example.', '\\200.z.example.'];
    const shuffled = [...sorted].reverse();
    shuffled.sort(compareNames);
    expect(shuffled).toEqual(sorted);
  });

  it('rejects compression loops and forward pointers', () => {
    const loop = Uint8Array.from([0xc0, 0x00]);
    expect(() => readWireName(loop, 0)).toThrow(/backwards/);
    const selfRef = Uint8Array.from([1, 0x61, 0xc0, 0x00]);
    // pointer at 2 → 0 → label "a" → pointer at 2 again: each hop goes backwards only once, then loops
    expect(() => readWireName(selfRef, 2)).toThrow(/backwards/);
  });
});

describe('addresses and base32hex', () => {
  it('parses and formats IPv6 (RFC 5952)', () => {
    expect(formatIpv6(parseIpv6('2001:db8::1'))).toBe('2001:db8::1');
    expect(formatIpv6(parseIpv6('::ffff:192.0.2.1'))).toBe('::ffff:c000:201');
    expect(formatIpv6(parseIpv6('2001:0db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(() => parseIpv6('1::2::3')).toThrow(DimeError);
  });
  it('round-trips base32hex (RFC 4648 §10)', () => {
    expect(base32hexEncode(Buffer.from('foobar')).toUpperCase()).toBe('CPNMUOJ1E8');
    expect(utf8Decode(base32hexDecode('CPNMUOJ1E8'))).toBe('foobar');
  });
});

describe('messages', () => {
  it('encodes a query with RD, CD, and EDNS DO at 1232', () => {
    const q = encodeQuery({ id: 0x1234, name: '_dx.example.com', type: 'TXT' });
    expect(hexEncode(q)).toBe(
      '123401100001000000000001035f6478076578616d706c6503636f6d0000100001' + '00002904d0' + '00008000' + '0000'
    );
    const m = decodeMessage(q);
    expect(m.id).toBe(0x1234);
    expect(m.flags).toMatchObject({ qr: false, rd: true, cd: true });
    expect(m.question).toEqual([{ name: '_dx.example.com.', type: 'TXT', class: 'IN' }]);
    expect(m.edns).toMatchObject({ udpSize: 1232, dnssecOk: true, version: 0 });
  });

  it('round-trips a compressed response and expands RDATA names', () => {
    const rrs = parseZoneFile('$ORIGIN example.com.\n$TTL 300\n@ MX 10 mail\nmail A 192.0.2.1\n@ NS ns1\n');
    const bytes = encodeResponse({
      id: 7,
      flags: { aa: true, rd: true },
      question: [{ name: 'example.com.', type: 'MX', class: 'IN' }],
      answers: [rrs[0]!],
      authorities: [rrs[2]!],
      additionals: [rrs[1]!],
      edns: { udpSize: 1232, dnssecOk: true, version: 0 },
    });
    const m = decodeMessage(bytes);
    expect(m.flags.qr).toBe(true);
    expect(m.flags.aa).toBe(true);
    expect(m.answers.map(formatRecord)).toEqual(['example.com. 300 IN MX 10 mail.example.com.']);
    expect(m.authorities.map(formatRecord)).toEqual(['example.com. 300 IN NS ns1.example.com.']);
    expect(m.additionals.map(formatRecord)).toEqual(['mail.example.com. 300 IN A 192.0.2.1']);
    // owner names are compressed: the answer's owner is a pointer to the question name (offset 12)
    expect(hexEncode(bytes.subarray(29, 31))).toBe('c00c');
  });

  it('expands a compressed MX exchange into uncompressed RDATA', () => {
    // header, question example.com MX, answer: ptr owner, MX 10 "mail"+ptr
    const msg = hexDecode(
      '000781800001000100000000' + '076578616d706c6503636f6d00000f0001' + 'c00c000f000100000e100009000a046d61696cc00c'
    );
    const m = decodeMessage(msg);
    expect(hexEncode(m.answers[0]!.rdata)).toBe('000a046d61696c076578616d706c6503636f6d00');
    expect(m.answers[0]!.data).toEqual({ preference: 10, exchange: 'mail.example.com.' });
  });

  it('rejects garbage with BAD_INPUT, never a crash', () => {
    expect(() => decodeMessage(new Uint8Array(5))).toThrow(/shorter than a header/);
    const trailing = hexDecode('000781800000000000000000ff');
    expect(() => decodeMessage(trailing)).toThrow(/trailing/);
    const overrun = hexDecode('000781800000000100000000' + '00' + '0010000100000e1000ff00');
    expect(() => decodeMessage(overrun)).toThrow(/overruns/);
    for (let seed = 0; seed < 200; seed++) {
      const junk = Uint8Array.from({ length: 12 + (seed % 60) }, (_, i) => (seed * 31 + i * 17) & 0xff);
      try {
        decodeMessage(junk);
      } catch (e) {
        expect(e).toBeInstanceOf(DimeError);
      }
    }
  });

  it('truncates over maxSize and sets TC', () => {
    const big = parseZoneFile('x.example. 60 IN TXT "' + 'a'.repeat(250) + '"\n'.repeat(1)).map((r) => r);
    const answers = Array.from({ length: 10 }, () => big[0]!);
    const bytes = encodeMessage({ id: 1, flags: { qr: true }, question: [{ name: 'x.example.', type: 'TXT', class: 'IN' }], answers }, { maxSize: 512 });
    const m = decodeMessage(bytes);
    expect(m.flags.tc).toBe(true);
    expect(m.answers).toEqual([]);
  });

  it('TXT strings keep their boundaries', () => {
    const [rr] = parseZoneFile('_dx.example.com. 60 IN TXT "ver=1 " "pok=abc"\n');
    expect(txtStrings(rr!.rdata).map(utf8Decode)).toEqual(['ver=1 ', 'pok=abc']);
  });
});

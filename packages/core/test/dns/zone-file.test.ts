import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DimeError } from '@dime/core/errors';
import { hexEncode, utf8Decode } from '@dime/core/bytes';
import { formatRecord, parseZoneFile, txtStrings, decodeMessage, encodeResponse } from '@dime/core/dns';
import type { RrsigFields, DnskeyFields, Nsec3Fields } from '@dime/core/dns';
import { sharedVectorsAvailable, vectorPath } from '../helpers.js';

describe('parseZoneFile', () => {
  it('handles $ORIGIN, $TTL, @, relative and omitted owners, classes, TTL units', () => {
    const rrs = parseZoneFile(
      [
        '$ORIGIN Example.COM.',
        '$TTL 1h',
        '@  IN SOA ns1 hostmaster ( 2026120301 ; serial',
        '        2h 30m 1w',
        '        300 )',
        '   NS ns1',
        'www 60 IN A 192.0.2.1',
        '    IN 120 AAAA 2001:db8::1',
        'sub.example.net. CNAME www',
        '$ORIGIN sub',
        'x MX 5 @',
      ].join('\n')
    );
    expect(rrs.map(formatRecord)).toEqual([
      'Example.COM. 3600 IN SOA ns1.Example.COM. hostmaster.Example.COM. 2026120301 7200 1800 604800 300',
      'Example.COM. 3600 IN NS ns1.Example.COM.',
      'www.Example.COM. 60 IN A 192.0.2.1',
      'www.Example.COM. 120 IN AAAA 2001:db8::1',
      'sub.example.net. 3600 IN CNAME www.Example.COM.',
      'x.sub.Example.COM. 3600 IN MX 5 sub.Example.COM.',
    ]);
  });

  it('without $TTL, an SOA without TTL takes its MINIMUM and later records inherit it', () => {
    const rrs = parseZoneFile('example. IN SOA ns.example. hm.example. 1 2 3 4 900\nexample. IN NS ns.example.\n');
    expect(rrs.map((r) => r.ttl)).toEqual([900, 900]);
  });

  it('reads quoted strings with escapes and several strings per TXT', () => {
    const [rr] = parseZoneFile('_dx.example.com. 300 IN TXT "a\\"b" "c\\\\d" "\\065\\066" plain ( "x;y" )\n');
    expect(txtStrings(rr!.rdata).map(utf8Decode)).toEqual(['a"b', 'c\\d', 'AB', 'plain', 'x;y']);
    expect(formatRecord(rr!)).toBe('_dx.example.com. 300 IN TXT "a\\"b" "c\\\\d" "AB" "plain" "x;y"');
  });

  it('reads generic RDATA and TYPEnnn', () => {
    const rrs = parseZoneFile('a.example. 60 IN TYPE65534 \\# 3 0A0B0C\nb.example. 60 IN A \\# 4 C0000201\n');
    expect(hexEncode(rrs[0]!.rdata)).toBe('0a0b0c');
    expect(formatRecord(rrs[0]!)).toBe('a.example. 60 IN TYPE65534 \\# 3 0A0B0C');
    expect(formatRecord(rrs[1]!)).toBe('b.example. 60 IN A 192.0.2.1');
  });

  it('reads NSEC, NSEC3 and NSEC3PARAM', () => {
    const rrs = parseZoneFile(
      [
        'example. 300 IN NSEC a.example. NS SOA RRSIG NSEC DNSKEY TYPE1234',
        '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 300 IN NSEC3 1 1 12 aabbccdd ( 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG )',
        'example. 300 IN NSEC3PARAM 1 0 0 -',
      ].join('\n')
    );
    expect(rrs[0]!.data).toEqual({ nextDomain: 'a.example.', types: ['NS', 'SOA', 'RRSIG', 'NSEC', 'DNSKEY', 'TYPE1234'] });
    const n3 = rrs[1]!.data as Nsec3Fields;
    expect(n3.iterations).toBe(12);
    expect(hexEncode(n3.salt)).toBe('aabbccdd');
    expect(n3.types).toEqual(['NS', 'SOA', 'MX', 'RRSIG', 'DNSKEY', 'NSEC3PARAM']);
    expect(formatRecord(rrs[1]!)).toBe('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example. 300 IN NSEC3 1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR NS SOA MX RRSIG DNSKEY NSEC3PARAM');
    expect(formatRecord(rrs[2]!)).toBe('example. 300 IN NSEC3PARAM 1 0 0 -');
  });

  it('names the line of every error', () => {
    const bad: Array<[string, RegExp]> = [
      ['a.example. 60 IN A 300.1.1.1', /^line 1: A: bad IPv4/],
      ['\n\na.example. 60 IN TXT "unterminated', /^line 3: unterminated quoted string/],
      ['a.example. 60 IN A ( 192.0.2.1', /^line 1: '\(' never closed/],
      ['a.example. 60 IN BOGUS x', /^line 1: unknown record type "BOGUS"/],
      ['a.example. IN A 192.0.2.1', /^line 1: no TTL/],
      ['www 60 IN A 192.0.2.1', /^line 1: relative owner "www" without \$ORIGIN/],
      ['a.example. 60 IN TXT "' + 'x'.repeat(256) + '"', /^line 1: TXT string 1: 256 bytes \(max 255\)/],
      ['a.example. 60 IN DS 1 8 2 XYZ', /^line 1: DS digest: not hex/],
      ['a.example. 60 IN TYPE9 \\# 3 0A0B', /^line 1: MR: \\# says 3 bytes, data has 2/],
      ['$INCLUDE other.zone', /^line 1: \$INCLUDE: directive not supported/],
      [' 60 IN A 192.0.2.1', /^line 1: no owner name/],
    ];
    for (const [text, re] of bad) {
      let err: unknown;
      try {
        parseZoneFile(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(DimeError);
      expect((err as DimeError).code).toBe('BAD_INPUT');
      expect((err as DimeError).message).toMatch(re);
    }
  });

  it.runIf(sharedVectorsAvailable())('reads every RFC vector file', () => {
    const counts: Record<string, number> = {};
    for (const file of ['rfc4034.zone', 'rfc5702.zone', 'rfc6605.zone', 'rfc8080.zone', 'root-anchors.zone']) {
      const rrs = parseZoneFile(readFileSync(vectorPath('dnssec', file), 'utf8'), { defaultTtl: 172800 });
      counts[file] = rrs.length;
    }
    expect(counts).toEqual({ 'rfc4034.zone': 2, 'rfc5702.zone': 5, 'rfc6605.zone': 7, 'rfc8080.zone': 13, 'root-anchors.zone': 4 });
    const rfc5702 = parseZoneFile(readFileSync(vectorPath('dnssec', 'rfc5702.zone'), 'utf8'));
    const sig = rfc5702[2]!.data as RrsigFields;
    expect(sig).toMatchObject({ typeCovered: 'A', algorithm: 8, labels: 3, originalTtl: 3600, keyTag: 9033, signerName: 'example.net.' });
    expect(sig.expiration).toBe(Date.UTC(2030, 0, 1) / 1000);
    expect((rfc5702[0]!.data as DnskeyFields).publicKey.length).toBe(68);
    // every record survives a message round trip unchanged
    const m = decodeMessage(encodeResponse({ id: 1, answers: rfc5702 }));
    expect(m.answers.map(formatRecord)).toEqual(rfc5702.map(formatRecord));
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DimeError } from '@dime/core/errors';
import { hexEncode } from '@dime/core/bytes';
import { decodeDnskey, decodeDs, parseZoneFile } from '@dime/core/dns';
import { ROOT_TRUST_ANCHORS, keyTag, parseTrustAnchors } from '@dime/core/dnssec';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../vectors/dnssec');
const ROOT_ZONE = readFileSync(join(DIR, 'root-anchors.zone'), 'utf8');
const KSK2017 = parseZoneFile(ROOT_ZONE, { defaultTtl: 0 }).find((r) => r.type === 'DNSKEY')!;
const KSK2017_B64 = Buffer.from(decodeDnskey(KSK2017.rdata).publicKey).toString('base64');

describe('trust anchors', () => {
  it('built in: root KSK-2017 20326 and KSK-2024 38696 as SHA-256 DS', () => {
    expect(ROOT_TRUST_ANCHORS.map((a) => [a.name, a.type, decodeDs(a.rdata).keyTag, decodeDs(a.rdata).digestType])).toEqual([
      ['.', 'DS', 20326, 2],
      ['.', 'DS', 38696, 2],
    ]);
    const fromFile = parseTrustAnchors(ROOT_ZONE);
    expect(fromFile.filter((a) => a.type === 'DS').map((a) => hexEncode(a.rdata))).toEqual(ROOT_TRUST_ANCHORS.map((a) => hexEncode(a.rdata)));
  });

  it('zone-file DS and DNSKEY lines for any owner', () => {
    const anchors = parseTrustAnchors('; private anchors\nexample.test. 3600 IN DS 61929 15 2 90F7 6E63\nlab.test. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n');
    expect(anchors.map((a) => [a.name, a.type])).toEqual([['example.test.', 'DS'], ['lab.test.', 'DNSKEY']]);
    expect(hexEncode(decodeDs(anchors[0]!.rdata).digest)).toBe('90f76e63');
    expect(keyTag(anchors[1]!.rdata)).toBe(3613);
  });

  it('unbound root.key (autotrust comments)', () => {
    const text = `; autotrust trust anchor file\n;;id: . 1\n;;last_queried: 1700000000 ;;Tue Nov 14 2023\n.\t172800\tIN\tDNSKEY\t257 3 8 ${KSK2017_B64} ;{id = 20326 (ksk), size = 2048b} ;;state=2 [  VALID  ] ;;count=0 ;;lastchange=1700000000\n`;
    const [a] = parseTrustAnchors(text);
    expect(a!.type).toBe('DNSKEY');
    expect(keyTag(a!.rdata)).toBe(20326);
  });

  it('BIND trust-anchors with every entry kind, digests split by spaces', () => {
    const text = `// generated
trust-anchors {
  /* the root */
  . initial-key 257 3 8 "${KSK2017_B64.slice(0, 40)} ${KSK2017_B64.slice(40)}";
  . static-ds 20326 8 2 "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D";
  ed.test. static-ds 61929 15 2 "90F7 6E63";
  example.test. initial-ds 31600 RSASHA256 2 "AABB";
  lab.test. static-key 257 3 15 "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=";
};
`;
    const anchors = parseTrustAnchors(text);
    expect(anchors.map((a) => [a.name, a.type])).toEqual([['.', 'DNSKEY'], ['.', 'DS'], ['ed.test.', 'DS'], ['example.test.', 'DS'], ['lab.test.', 'DNSKEY']]);
    expect(keyTag(anchors[0]!.rdata)).toBe(20326);
    expect(decodeDs(anchors[3]!.rdata).algorithm).toBe(8);
  });

  it("legacy trusted-keys (libdime's root-anchor.key layout)", () => {
    const spaced = KSK2017_B64.match(/.{1,44}/g)!.join(' ');
    const text = `# root-anchor.key\ntrusted-keys {\n. initial-key 257 3 8 "${spaced}" ;\n"example.test." 257 3 15 "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=";\n};\n`;
    const anchors = parseTrustAnchors(text);
    expect(anchors.map((a) => [a.name, a.type, keyTag(a.rdata)])).toEqual([['.', 'DNSKEY', 20326], ['example.test.', 'DNSKEY', 3613]]);
  });

  it('bad files are BAD_INPUT naming the problem', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /no DS or DNSKEY anchor/],
      ['example.test. IN A 192.0.2.1', /A record for example\.test\.; only DS and DNSKEY are anchors/],
      ['example.test. IN DNSKEY 257 4 15 AAAA', /protocol 4, expected 3/],
      ['trust-anchors {\n . static-ds 20326 8 2 "ZZ";\n};', /line 2: .*not hex/],
      ['trust-anchors {\n . static-key 257 3 8 "AAAA"\n};', /line 3: missing ';'/],
      ['trust-anchors {\n . magic-key 257 3 8 "AAAA";\n};', /line 2: expected initial-key, static-key, initial-ds or static-ds/],
      ['trust-anchors { . static-key 257 3 8 "AAAA";', /never closed/],
      ['options { };', /^trust anchors line 1: relative owner "options" without \$ORIGIN$/],
      ['example.test. IN DS 1 8 2 "AA"', /^trust anchors line 1: DS: digest must not be quoted$/],
    ];
    for (const [text, re] of cases) {
      let err: unknown;
      try {
        parseTrustAnchors(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(DimeError);
      expect((err as DimeError).code, text).toBe('BAD_INPUT');
      expect((err as DimeError).message, text).toMatch(re);
    }
  });
});

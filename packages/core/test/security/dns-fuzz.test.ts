/**
 * Hostile input for the DNS codec (profile §4): DNS messages (mutated real DNSSEC answers,
 * compression loops and forward pointers, huge section counts, truncated RRs, bad RDATA of every
 * DNSSEC type), the zone-file reader (TXT lines with escapes, parentheses, directives), the
 * authoritative answerer (hostile queries to the zone server) and RRSIG verification over whatever
 * decodes. Each returns a value or throws DimeError.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  WorkBudget,
  answerFromZones,
  decodeMessage,
  decodeRdata,
  encodeQuery,
  formatRecord,
  generateZoneKey,
  parseZoneFile,
  signZone,
  verifyRrset,
  type AuthoritativeZone,
  type ResourceRecord,
} from '@dime/core';
import { FUZZ_HEAP_CEILING_MB, FUZZ_SEED, Rng, check, concat, fcParams, heapUsed, mutateBytesDeep, mutateTextDeep, runs } from './harness.js';

const POK = 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc';
const ZONE_TEXT = [
  '$TTL 300',
  '@ SOA ns hostmaster 2026120301 3600 600 86400 300',
  '@ NS ns',
  'ns A 127.0.0.1',
  'ns AAAA ::1',
  '@ MX 10 mx',
  'mx A 127.0.0.2',
  `_dx TXT "ver=1 pok=${POK}" " pol=strict dx=dx.example.test"`,
  'dx A 127.0.0.3',
  '*.wild TXT "wildcard"',
  'alias CNAME dx',
  'sub NS ns.sub',
  'ns.sub A 127.0.0.4',
].join('\n');

const NOW = new Date('2026-12-03T00:00:00Z');
const INCEPTION = new Date('2026-11-01T00:00:00Z');
const EXPIRATION = new Date('2027-01-01T00:00:00Z');

function signedZone(nsec: 'nsec' | 'nsec3'): AuthoritativeZone {
  const records = parseZoneFile(ZONE_TEXT, { origin: 'example.test.' });
  const keys = [generateZoneKey(13, 257), generateZoneKey(13, 256)];
  return {
    origin: 'example.test.',
    records: signZone(records, { origin: 'example.test.', keys, inception: INCEPTION, expiration: EXPIRATION, nsec, nsec3: { iterations: 0 } }),
  };
}

const zones = [signedZone('nsec'), signedZone('nsec3')];
const QUESTIONS: [string, string][] = [
  ['_dx.example.test.', 'TXT'],
  ['example.test.', 'DNSKEY'],
  ['example.test.', 'SOA'],
  ['nope.example.test.', 'A'],
  ['a.wild.example.test.', 'TXT'],
  ['alias.example.test.', 'A'],
  ['x.sub.example.test.', 'A'],
  ['ns.example.test.', 'MX'],
];

/** Real responses from the authoritative answerer: positive, NXDOMAIN, NODATA, wildcard, referral. */
const responses: Uint8Array[] = [];
zones.forEach((zone, z) =>
  QUESTIONS.forEach(([name, type], i) => responses.push(answerFromZones([zone], encodeQuery({ id: 1000 + z * 100 + i, name, type, recursionDesired: false }))))
);

/** Everything a consumer does with a decoded message: format, decode RDATA, check RRSIGs. */
function consume(message: ReturnType<typeof decodeMessage>): void {
  const all = [...message.answers, ...message.authorities, ...message.additionals];
  for (const rr of all) {
    check('formatRecord', formatRecord, rr);
    check('decodeRdata', (r: ResourceRecord) => decodeRdata(r.type, r.rdata), rr);
  }
  const dnskeys = zones.flatMap((z) => z.records.filter((r) => r.type === 'DNSKEY'));
  const rrsigs = all.filter((r) => r.type === 'RRSIG');
  const byType = new Map<string, ResourceRecord[]>();
  for (const rr of all) if (rr.type !== 'RRSIG') byType.set(`${rr.name.toLowerCase()}|${rr.type}`, [...(byType.get(`${rr.name.toLowerCase()}|${rr.type}`) ?? []), rr]);
  const budget = new WorkBudget();
  for (const rrset of byType.values()) {
    try {
      check('verifyRrset', (s: ResourceRecord[]) => verifyRrset(s, rrsigs, dnskeys, { now: NOW, budget }), rrset);
    } catch (error) {
      // The budget's own stop signal is what the validator turns into "bogus"; anything else fails.
      if (!(error instanceof Error && error.message.includes('threw WorkLimitError'))) throw error;
    }
  }
}

function header(id: number, flags: number, qd: number, an: number, ns: number, ar: number): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  [id, flags, qd, an, ns, ar].forEach((x, i) => v.setUint16(i * 2, x));
  return b;
}

describe('DNS message decoder under mutation', () => {
  it('real responses decode and their RRSIGs verify (the mutations start from valid messages)', () => {
    const first = decodeMessage(responses[0]!);
    expect(first.answers.map((r) => r.type).sort()).toEqual(['RRSIG', 'TXT']);
    const dnskeys = zones[0]!.records.filter((r) => r.type === 'DNSKEY');
    const txt = first.answers.filter((r) => r.type === 'TXT');
    const verdict = verifyRrset(txt, first.answers, dnskeys, { now: NOW, budget: new WorkBudget() });
    expect(verdict.status).toBe('secure');
    for (const r of responses) expect(() => decodeMessage(r)).not.toThrow();
  });

  it('mutated responses decode or throw DimeError; decoded ones survive formatting and RRSIG checks', () => {
    const rng = new Rng(FUZZ_SEED + 20);
    const before = heapUsed();
    let decoded = 0;
    const total = runs(1500);
    for (let i = 0; i < total; i++) {
      const base = responses[i % responses.length]!;
      const input = mutateBytesDeep(rng, base, [4, 5, 6, 7, 8, 9, 10, 11], 3);
      const outcome = check('decodeMessage', decodeMessage, input);
      if (outcome.ok) {
        decoded++;
        consume(outcome.value as ReturnType<typeof decodeMessage>);
      } else expect(outcome.error.code).toBe('BAD_INPUT');
    }
    expect(decoded).toBeGreaterThan(total / 50);
    expect((heapUsed() - before) / 2 ** 20).toBeLessThan(FUZZ_HEAP_CEILING_MB);
  });

  it('compression loops, self pointers and forward pointers are BAD_INPUT', () => {
    const q = (name: Uint8Array) => concat(header(1, 0x8100, 1, 0, 0, 0), name, new Uint8Array([0, 16, 0, 1]));
    const cases = [
      new Uint8Array([0xc0, 12]), // points at itself
      new Uint8Array([1, 0x61, 0xc0, 12]), // a label then back to itself
      new Uint8Array([0xc0, 14, 0xc0, 12]), // two pointers pointing at each other
      new Uint8Array([0xc0, 200]), // past the end
      new Uint8Array([0xc0, 20, 0, 0, 0, 0, 0, 0, 1, 0x61, 0]), // forward pointer
      new Uint8Array([0x80, 0]), // reserved label type 10
      new Uint8Array([0x40, 0]), // extended label type 01
      new Uint8Array([63, ...new Uint8Array(10)]), // label longer than the data
    ];
    for (const name of cases) {
      const outcome = check('decodeMessage', decodeMessage, q(name));
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error.code).toBe('BAD_INPUT');
    }
  });

  it('a chain of 1000 backward pointers decodes fast or is rejected; names over 255 bytes are rejected', () => {
    // Each name is one label plus a pointer to the previous name: a deep but legal-looking chain.
    const parts: number[] = [];
    const body: Uint8Array[] = [];
    let offset = 12;
    let previous = -1;
    for (let i = 0; i < 1000; i++) {
      const bytes = previous < 0 ? [1, 0x61, 0] : [1, 0x61, 0xc0 | (previous >> 8), previous & 0xff];
      parts.push(offset);
      previous = offset;
      offset += bytes.length + 4;
      body.push(new Uint8Array([...bytes, 0, 16, 0, 1]));
    }
    const message = concat(header(1, 0x8100, 1000, 0, 0, 0), ...body);
    const outcome = check('decodeMessage', decodeMessage, message);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/255|long|name/i);
  });

  it('huge section counts with little data are rejected without allocating per count', () => {
    for (const counts of [[65535, 0, 0, 0], [0, 65535, 0, 0], [1, 65535, 65535, 65535], [0, 0, 0, 65535]] as const) {
      const message = concat(header(7, 0x8180, ...counts), new Uint8Array([0, 0, 16, 0, 1]));
      const outcome = check('decodeMessage', decodeMessage, message);
      expect(outcome.ok).toBe(false);
    }
  });

  it('a message of 65535 empty-name TXT RRs (largest legal TCP message) decodes within the call limit', () => {
    const rr = new Uint8Array([0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0]);
    const count = Math.floor((65535 - 12) / rr.length);
    const message = concat(header(7, 0x8180, 0, count, 0, 0), ...Array.from({ length: count }, () => rr));
    const outcome = check('decodeMessage', decodeMessage, message);
    if (outcome.ok) expect((outcome.value as ReturnType<typeof decodeMessage>).answers).toHaveLength(count);
  });

  it('truncated RRs of every DNSSEC type are BAD_INPUT', () => {
    for (const response of responses.slice(0, 4)) {
      for (let cut = 12; cut < response.length; cut += 7) {
        const outcome = check('decodeMessage', decodeMessage, response.subarray(0, cut));
        expect(outcome.ok).toBe(false);
      }
    }
  });

  it('random RDATA for every type decodes or throws DimeError', () => {
    const types = [1, 2, 5, 6, 15, 16, 28, 33, 43, 46, 47, 48, 50, 51, 99, 257, 41];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.uint8Array({ maxLength: 300 }), (type, rdata) => {
        const rr = concat(new Uint8Array([0, type >> 8, type & 0xff, 0, 1, 0, 0, 0, 60, rdata.length >> 8, rdata.length & 0xff]), rdata);
        const outcome = check('decodeMessage', decodeMessage, concat(header(9, 0x8180, 0, 1, 0, 0), rr));
        if (outcome.ok) consume(outcome.value as ReturnType<typeof decodeMessage>);
      }),
      fcParams(2000)
    );
  });

  it('hostile queries to the authoritative answerer get an answer or FORMERR, never an exception', () => {
    const rng = new Rng(FUZZ_SEED + 21);
    const queries = QUESTIONS.map(([name, type], i) => encodeQuery({ id: i, name, type }));
    for (let i = 0; i < runs(1500); i++) {
      const input = mutateBytesDeep(rng, queries[i % queries.length]!, [4, 5, 6, 7, 10, 11], 3);
      const outcome = check('answerFromZones', (b: Uint8Array) => answerFromZones(zones, b), input);
      if (outcome.ok) expect(() => decodeMessage(outcome.value as Uint8Array)).not.toThrow();
    }
  });
});

describe('zone-file reader under mutation', () => {
  const TXT_LINES = [
    `_dx.example.test. 3600 IN TXT "ver=1 pok=${POK}" " tls=AAAA"`,
    `_dx 300 TXT ( "ver=1"\n "pok=${POK}" ) ; split over lines`,
    '_dx TXT "with \\"quotes\\" and \\\\ and \\065\\066 and ;semicolon"',
    '_dx TXT unquoted\\ word "" "\\255\\000"',
    `$ORIGIN example.test.\n$TTL 1h\n_dx IN TXT "v" \n@ IN SOA ns h 1 2 3 4 5`,
  ];

  it('mutated TXT lines and small zones parse or throw DimeError', () => {
    const rng = new Rng(FUZZ_SEED + 22);
    for (let i = 0; i < runs(1500); i++) {
      const text = mutateTextDeep(rng, TXT_LINES[i % TXT_LINES.length]!, 3);
      const outcome = check('parseZoneFile', (t: string) => parseZoneFile(t, { origin: 'example.test.', defaultTtl: 60 }), text);
      if (outcome.ok) for (const rr of outcome.value as ResourceRecord[]) check('formatRecord', formatRecord, rr);
    }
  });

  it('mutated signed zones (RRSIG, NSEC, NSEC3, DNSKEY lines) parse or throw DimeError', () => {
    const rng = new Rng(FUZZ_SEED + 23);
    const text = zones.flatMap((z) => z.records.map(formatRecord)).join('\n');
    const lines = text.split('\n');
    for (let i = 0; i < runs(1500); i++) {
      const line = lines[i % lines.length]!;
      check('parseZoneFile', (t: string) => parseZoneFile(t, { origin: 'example.test.' }), mutateTextDeep(rng, line, 2));
    }
  });

  it('arbitrary text never crashes the zone-file reader', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        check('parseZoneFile', (t: string) => parseZoneFile(t, { origin: 'example.test.' }), text);
      }),
      fcParams(1000)
    );
  });

  it('unbalanced parentheses and an unterminated quote at the end of a big file are rejected quickly', () => {
    const big = `${'a TXT "x"\n'.repeat(20000)}b TXT ( "open`;
    const outcome = check('parseZoneFile', (t: string) => parseZoneFile(t, { origin: 'example.test.' }), big);
    expect(outcome.ok).toBe(false);
  });
});


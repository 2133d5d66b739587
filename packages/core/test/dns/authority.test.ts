import { describe, expect, it } from 'vitest';
import { DimeError } from '@dime/core/errors';
import { answerFromZones, decodeMessage, encodeMessage, encodeQuery, formatRecord, parseZoneFile, type AuthoritativeZone } from '@dime/core/dns';
import { generateZoneKey, signZone } from '@dime/core/dnssec';

const key = generateZoneKey(13, 257);
const sign = (origin: string, text: string) =>
  signZone(parseZoneFile(text, { origin }), { origin, keys: [key], inception: new Date('2026-01-01Z'), expiration: new Date('2027-01-01Z') });

const zones: AuthoritativeZone[] = [
  {
    origin: 'test.',
    records: sign('test.', '$TTL 60\n@ SOA ns hm 1 60 60 60 60\n@ NS ns\nns A 127.0.0.2\nex NS ns.ex\nns.ex A 127.0.0.3\nex DS 1 13 2 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF\n'),
  },
  {
    origin: 'ex.test.',
    records: sign('ex.test.', `$TTL 60\n@ SOA ns hm 1 60 60 60 60\n@ NS ns\nns A 127.0.0.3\nalias CNAME www\nwww A 192.0.2.1\nbig TXT ${Array.from({ length: 12 }, (_, i) => `"${String(i).padStart(3, '0')}${'x'.repeat(200)}"`).join(' ')}\n`),
  },
];

const ask = (name: string, type: string, opts: { dnssecOk?: boolean; udpSize?: number } = {}, udp = false) =>
  decodeMessage(answerFromZones(zones, encodeQuery({ id: 99, name, type, dnssecOk: opts.dnssecOk ?? true, ...(opts.udpSize ? { udpSize: opts.udpSize } : {}) }), { udp }));

describe('answerFromZones', () => {
  it('refers to a delegated child with NS, DS and glue (AA clear)', () => {
    // only the parent is served here
    const m = decodeMessage(answerFromZones([zones[0]!], encodeQuery({ id: 5, name: 'www.ex.test', type: 'A' })));
    expect(m.id).toBe(5);
    expect(m.flags.aa).toBe(false);
    expect(m.answers).toEqual([]);
    expect(m.authorities.map((r) => r.type)).toEqual(['NS', 'DS', 'RRSIG']);
    expect(m.additionals.map(formatRecord)).toEqual(['ns.ex.test. 60 IN A 127.0.0.3']);
  });

  it('answers a DS query for a child apex from the parent', () => {
    const m = ask('ex.test', 'DS');
    expect(m.flags.aa).toBe(true);
    expect(m.answers.map((r) => r.type)).toEqual(['DS', 'RRSIG']);
  });

  it('follows a CNAME inside the served zones; no DNSSEC records without DO', () => {
    const m = ask('alias.ex.test', 'A', { dnssecOk: false });
    expect(m.answers.map(formatRecord)).toEqual(['alias.ex.test. 60 IN CNAME www.ex.test.', 'www.ex.test. 60 IN A 192.0.2.1']);
    const nx = ask('nope.ex.test', 'A', { dnssecOk: false });
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authorities.map((r) => r.type)).toEqual(['SOA']);
  });

  it('truncates over UDP at the EDNS size, or 512 without EDNS; TCP gets everything', () => {
    const udp = ask('big.ex.test', 'TXT', { udpSize: 1232 }, true);
    expect(udp.flags.tc).toBe(true);
    expect(udp.answers).toEqual([]);
    const tcp = ask('big.ex.test', 'TXT', {}, false);
    expect(tcp.flags.tc).toBe(false);
    expect(tcp.answers.map((r) => r.type)).toEqual(['TXT', 'RRSIG']);
    const noEdns = encodeMessage({ id: 1, flags: { rd: true }, question: [{ name: 'www.ex.test.', type: 'A', class: 'IN' }] });
    const small = decodeMessage(answerFromZones(zones, noEdns, { udp: true }));
    expect(small.flags.tc).toBe(false);
    expect(small.edns).toBeUndefined();
    expect(small.answers.map((r) => r.type)).toEqual(['A']);
  });

  it('REFUSED outside its zones, NOTIMP for other opcodes and AXFR, FORMERR for junk', () => {
    expect(ask('example.com', 'A').rcode).toBe('REFUSED');
    expect(ask('ex.test', 'AXFR').rcode).toBe('NOTIMP');
    const notify = encodeMessage({ id: 3, flags: { opcode: 4 }, question: [{ name: 'ex.test.', type: 'SOA', class: 'IN' }] });
    expect(decodeMessage(answerFromZones(zones, notify)).rcode).toBe('NOTIMP');
    const junk = Uint8Array.from([0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0]);
    const formerr = decodeMessage(answerFromZones(zones, junk));
    expect([formerr.id, formerr.rcode, formerr.flags.qr]).toEqual([0x1234, 'FORMERR', true]);
    expect(() => answerFromZones(zones, new Uint8Array(4))).toThrow(DimeError);
  });
});

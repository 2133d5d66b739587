/** Review of issue 4: a DNAME answer (RFC 6672 §5.3.3): the DNAME is validated, the synthesised CNAME checked. */
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeResponse, formatRecord, type DnsTransport, type ResourceRecord } from '@dime/core/dns';
import { validateLookup } from '@dime/core/dnssec';
import { buildWorld, NOW } from './world.js';

const nameWire = (n: string) => Uint8Array.from([...n.split('.').filter(Boolean).flatMap((l) => [l.length, ...Buffer.from(l)]), 0]);

/** What a recursive resolver returns for a name below d.example.test: the signed DNAME and an unsigned synthesised CNAME. */
function dnameWorld(cnameTarget: (qname: string) => string = (n) => n.replace(/d\.example\.test\.$/, 'example.test.'), tamper = false) {
  const w = buildWorld({
    exampleRecords: (rrs) => [...rrs, { name: 'd.example.test.', type: 'DNAME', class: 'IN', ttl: 300, rdata: nameWire('example.test') }],
    exampleSigned: (rrs) => tamper ? rrs.map((r) => r.type === 'DNAME' ? { ...r, rdata: nameWire('evil.test') } : r) : rrs,
  });
  const transport: DnsTransport = {
    async query(q) {
      const n = q.name.toLowerCase();
      if (!n.endsWith('.d.example.test.')) return w.transport.query(q);
      const m = decodeMessage(await w.transport.query({ name: 'd.example.test.', type: 'DNAME' }));
      const cname: ResourceRecord = { name: q.name, type: 'CNAME', class: 'IN', ttl: 300, rdata: nameWire(cnameTarget(n)) };
      return encodeResponse({ ...m, question: [{ name: q.name, type: q.type, class: 'IN' }], answers: [...m.answers, cname], authorities: [] });
    },
  };
  return { w, opts: { transport, anchors: w.anchors, now: NOW } };
}

describe('DNAME', () => {
  it('a signed DNAME with its synthesised (unsigned) CNAME is secure', async () => {
    const { w, opts } = dnameWorld();
    const r = await validateLookup('www.d.example.test', 'A', opts);
    expect(r.status).toBe('secure');
    expect(r.reason).toBe(`RRSIG A www.example.test by example.test/${w.zskTag('example.test.')} verified (via CNAME www.example.test)`);
    expect(r.records.map(formatRecord)).toEqual([
      'd.example.test. 300 IN DNAME example.test.',
      'www.d.example.test. 300 IN CNAME www.example.test.',
      'www.example.test. 300 IN A 192.0.2.10',
    ]);
  });

  it('a CNAME that is not the DNAME synthesis is bogus', async () => {
    const { opts } = dnameWorld(() => 'www.evil.test.');
    const r = await validateLookup('www.d.example.test', 'A', opts);
    expect([r.status, r.reason]).toEqual(['bogus', 'CNAME www.d.example.test -> www.evil.test is not the synthesis of DNAME d.example.test -> example.test']);
  });

  it('a DNAME whose signature fails is bogus', async () => {
    const { w, opts } = dnameWorld((n) => n.replace(/d\.example\.test\.$/, 'evil.test.'), true);
    const r = await validateLookup('www.d.example.test', 'A', opts);
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`RRSIG DNAME d.example.test by example.test/${w.zskTag('example.test.')} does not verify`);
  });
});

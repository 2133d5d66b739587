import { describe, expect, it } from 'vitest';
import { DimeError } from '@dime/core/errors';
import { createZoneTransport, decodeMessage, encodeResponse, formatRecord, parseZoneFile, type ResourceRecord, type DnsTransport } from '@dime/core/dns';
import { encodeDs, decodeDs, decodeRrsig, encodeRrsig, utf8Encode, encodeTxt } from '@dime/core';
import { signRrset, validateLookup, MAX_NSEC3_ITERATIONS } from '@dime/core/dnssec';
import { buildWorld, filteringTransport, manglingTransport, NOW, EXPIRATION, INCEPTION } from './world.js';

const isDnssecProof = (rr: ResourceRecord) => rr.type === 'NSEC' || rr.type === 'NSEC3';

for (const variant of [
  { label: 'ECDSA P-256 + NSEC', spec: { algorithm: 13, nsec: 'nsec' as const } },
  { label: 'RSASHA256 + NSEC3', spec: { algorithm: 8, nsec: 'nsec3' as const, nsec3: { iterations: 0 } } },
  { label: 'Ed25519 + NSEC3 with salt', spec: { algorithm: 15, nsec: 'nsec3' as const, nsec3: { iterations: 5, salt: Uint8Array.of(0xab, 0xcd) } } },
  { label: 'RSASHA512 + NSEC / ECDSA P-384 / Ed448', spec: { algorithm: 10, nsec: 'nsec' as const }, test: { algorithm: 14 }, root: { algorithm: 16 } },
]) {
  describe(`validateLookup, ${variant.label}`, () => {
    const world = buildWorld({ example: variant.spec, test: variant.test ?? variant.spec, root: variant.root ?? variant.spec });
    const opts = { transport: world.transport, anchors: world.anchors, now: NOW };
    const zsk = world.zskTag('example.test.');

    it('answer: secure, with the chain', async () => {
      const r = await validateLookup('_dx.example.test', 'TXT', opts);
      expect(r.status).toBe('secure');
      expect(r.reason).toBe(`RRSIG TXT _dx.example.test by example.test/${zsk} verified`);
      expect(r.records.length).toBe(1);
      expect(r.chain.map((c) => c.zone)).toEqual(['.', 'test.', 'example.test.']);
      expect(r.chain.every((c) => c.status === 'secure')).toBe(true);
    });

    it('mixed case, shuffled RRsets and compressed names validate the same', async () => {
      const r = await validateLookup('_DX.ExAmple.TEST.', 'txt', { ...opts, transport: manglingTransport(world.transport, 7) });
      expect(r.status).toBe('secure');
      const apex = await validateLookup('Example.Test', 'NS', { ...opts, transport: manglingTransport(world.transport, 3) });
      expect(apex.status).toBe('secure');
    });

    it('NXDOMAIN is proven', async () => {
      const r = await validateLookup('nope.example.test', 'A', opts);
      expect([r.status, r.rcode, r.records.length]).toEqual(['secure', 'NXDOMAIN', 0]);
      expect(r.reason).toBe(`NXDOMAIN nope.example.test proven by ${variant.spec.nsec === 'nsec' ? 'NSEC' : 'NSEC3'} from example.test`);
    });

    it('NODATA is proven, also at an empty non-terminal', async () => {
      const r = await validateLookup('_dx.example.test', 'AAAA', opts);
      expect([r.status, r.rcode, r.records.length]).toEqual(['secure', 'NOERROR', 0]);
      expect(r.reason).toMatch(/^NODATA AAAA _dx\.example\.test proven by NSEC3? from example\.test$/);
      const ent = await validateLookup('b.c.example.test', 'A', opts);
      expect([ent.status, ent.rcode]).toEqual(['secure', 'NOERROR']);
    });

    it('a wildcard answer is secure with its proof, bogus without', async () => {
      const r = await validateLookup('foo.wild.example.test', 'TXT', opts);
      expect(r.status).toBe('secure');
      expect(r.records.map(formatRecord)).toEqual(['foo.wild.example.test. 300 IN TXT "wildcard"']);
      expect(r.reason).toMatch(/wildcard expansion for foo\.wild\.example\.test proven by NSEC3? from example\.test/);
      const stripped = await validateLookup('foo.wild.example.test', 'TXT', { ...opts, transport: filteringTransport(world.transport, (rr, s, q) => q.type === 'TXT' && s === 'authority' && isDnssecProof(rr)) });
      expect(stripped.status).toBe('bogus');
      expect(stripped.reason).toMatch(/^wildcard answer for foo\.wild\.example\.test without proof/);
      const nodata = await validateLookup('foo.wild.example.test', 'A', opts);
      expect([nodata.status, nodata.rcode]).toEqual(['secure', 'NOERROR']);
    });

    it('a CNAME is validated link by link', async () => {
      const r = await validateLookup('alias.example.test', 'A', opts);
      expect(r.status).toBe('secure');
      expect(r.records.map(formatRecord)).toEqual(['alias.example.test. 300 IN CNAME www.example.test.', 'www.example.test. 300 IN A 192.0.2.10']);
    });

    it('an unsigned delegation is insecure, with its proof', async () => {
      const r = await validateLookup('_dx.unsigned.test', 'TXT', opts);
      expect(r.status).toBe('insecure');
      expect(r.records.map(formatRecord)).toEqual(['_dx.unsigned.test. 300 IN TXT "ver=1 unsigned"']);
      expect(r.reason).toMatch(/^delegation to unsigned\.test is unsigned \(NODATA DS unsigned\.test proven by NSEC3? from test\)$/);
      expect(r.chain.at(-1)).toMatchObject({ zone: 'unsigned.test.', status: 'insecure' });
    });

    it('a DS query is answered from the parent', async () => {
      const r = await validateLookup('example.test', 'DS', opts);
      expect(r.status).toBe('secure');
      expect(r.reason).toBe(`RRSIG DS example.test by test/${world.zskTag('test.')} verified`);
      const none = await validateLookup('unsigned.test', 'DS', opts);
      expect([none.status, none.rcode, none.records.length]).toEqual(['secure', 'NOERROR', 0]);
    });
  });
}

describe('validateLookup: broken zones', () => {
  const base = { now: NOW };

  it('tampered TXT → bogus naming the zone and key', async () => {
    const world = buildWorld({
      exampleSigned: (rrs) => rrs.map((r) => (r.type === 'TXT' && r.name === '_dx.example.test.' ? { ...r, rdata: encodeTxt([utf8Encode('ver=1 pok=forged')]) } : r)),
    });
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: world.anchors });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`RRSIG TXT _dx.example.test by example.test/${world.zskTag('example.test.')} does not verify`);
    expect(r.records).toEqual([]);
  });

  it('expired RRSIG → bogus with the expiry instant', async () => {
    const world = buildWorld({
      exampleSigned: (rrs, keys) => {
        const txt = rrs.filter((r) => r.type === 'TXT' && r.name === '_dx.example.test.');
        const old = signRrset(txt, keys.zsk, 'example.test.', new Date('2026-03-01T00:00:00Z'), new Date('2026-05-01T00:00:00Z'));
        return [...rrs.filter((r) => !(r.type === 'RRSIG' && r.name === '_dx.example.test.' && decodeRrsig(r.rdata).typeCovered === 'TXT')), old];
      },
    });
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: world.anchors });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`RRSIG TXT _dx.example.test by example.test/${world.zskTag('example.test.')} expired 2026-05-01T00:00:00Z`);
  });

  it('the whole hierarchy outside its window → bogus at the root', async () => {
    const world = buildWorld();
    const r = await validateLookup('_dx.example.test', 'TXT', { transport: world.transport, anchors: world.anchors, now: () => new Date('2025-12-01T00:00:00Z') });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`DNSKEY .: RRSIG DNSKEY . by ./${world.kskTag('.')} not valid before 2026-01-01T00:00:00Z`);
    expect(r.chain).toEqual([{ zone: '.', status: 'bogus', reason: r.reason }]);
  });

  it('DS pointing at no key → bogus', async () => {
    const world = buildWorld({
      exampleDs: (ds) => ds.map((d) => {
        const f = decodeDs(d.rdata);
        return { ...d, rdata: encodeDs({ ...f, keyTag: 4242, digest: new Uint8Array(32).fill(7) }) };
      }),
    });
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: world.anchors });
    expect(r.status).toBe('bogus');
    expect(r.reason).toMatch(new RegExp(`^no DNSKEY of example\\.test matches DS 4242 \\(DS 4242 from test/${world.zskTag('test.')}\\); keys present: `));
    expect(r.chain.at(-1)).toMatchObject({ zone: 'example.test.', status: 'bogus' });
  });

  it('missing RRSIG → bogus', async () => {
    const world = buildWorld({
      exampleSigned: (rrs) => rrs.filter((r) => !(r.type === 'RRSIG' && r.name === '_dx.example.test.' && decodeRrsig(r.rdata).typeCovered === 'TXT')),
    });
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: world.anchors });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe('missing RRSIG for TXT _dx.example.test by example.test');
  });

  it('a stripped NXDOMAIN proof → bogus', async () => {
    const world = buildWorld();
    const r = await validateLookup('nope.example.test', 'A', { ...base, transport: filteringTransport(world.transport, (rr, s) => s === 'authority' && isDnssecProof(rr)), anchors: world.anchors });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe('no NSEC or NSEC3 from example.test in the NXDOMAIN response');
  });

  it('a DS for an unsupported algorithm → insecure, not bogus', async () => {
    const world = buildWorld({ exampleDs: (ds) => ds.map((d) => ({ ...d, rdata: encodeDs({ ...decodeDs(d.rdata), algorithm: 253 }) })) });
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: world.anchors });
    expect(r.status).toBe('insecure');
    expect(r.reason).toMatch(/^example\.test: only unsupported algorithms or digest types \(DS \d+ alg 253 digest 2\)$/);
  });

  it('an unsupported DS digest type → insecure', async () => {
    const world = buildWorld({ exampleDs: (ds) => ds.map((d) => ({ ...d, rdata: encodeDs({ ...decodeDs(d.rdata), digestType: 3 }) })) });
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: world.anchors });
    expect(r.status).toBe('insecure');
  });

  it('NSEC3 opt-out over an unsigned delegation → insecure', async () => {
    const world = buildWorld({ test: { nsec: 'nsec3', nsec3: { optOut: true, iterations: 0 } } });
    const zone = world.zones.find((z) => z.origin === 'test.')!;
    expect(zone.records.some((r) => r.type === 'NSEC3' && (r.rdata[1]! & 1) === 1)).toBe(true);
    const r = await validateLookup('_dx.unsigned.test', 'TXT', { ...base, transport: world.transport, anchors: world.anchors });
    expect(r.status).toBe('insecure');
    expect(r.reason).toBe('no DS for unsigned.test: NSEC3 opt-out span in test (unsigned delegation)');
    const signed = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: world.anchors });
    expect(signed.status).toBe('secure');
  });

  it(`NSEC3 with ${MAX_NSEC3_ITERATIONS + 1} iterations → insecure (RFC 9276); ${MAX_NSEC3_ITERATIONS} still secure`, async () => {
    const high = buildWorld({ example: { nsec: 'nsec3', nsec3: { iterations: 151 } } });
    const r = await validateLookup('nope.example.test', 'A', { ...base, transport: high.transport, anchors: high.anchors });
    expect([r.status, r.rcode]).toEqual(['insecure', 'NXDOMAIN']);
    expect(r.reason).toBe('NSEC3 in example.test uses 151 iterations, more than 150 (RFC 9276): treated as insecure');
    const ok = buildWorld({ example: { nsec: 'nsec3', nsec3: { iterations: 150 } } });
    const s = await validateLookup('nope.example.test', 'A', { ...base, transport: ok.transport, anchors: ok.anchors });
    expect(s.status).toBe('secure');
  });

  it('a forged NXDOMAIN (proof from a zone that does not cover the name) → bogus', async () => {
    const world = buildWorld();
    // www exists; answer NXDOMAIN with the proof for "nope" instead
    const transport: DnsTransport = {
      async query(q) {
        if (q.type === 'A' && q.name.startsWith('www')) {
          const real = decodeMessage(await world.transport.query({ name: 'nope.example.test.', type: 'A' }));
          return encodeResponse({ ...real, question: [{ name: q.name, type: 'A', class: 'IN' }] });
        }
        return world.transport.query(q);
      },
    };
    const r = await validateLookup('www.example.test', 'A', { ...base, transport, anchors: world.anchors });
    expect(r.status).toBe('bogus');
    expect(r.reason).toMatch(/^(no NSEC from example\.test covers www\.example\.test|NSEC from example\.test shows that www\.example\.test exists)/);
  });

  it('no trust anchor for the name → insecure', async () => {
    const world = buildWorld();
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: [{ name: 'other.', type: 'DS', rdata: world.anchors[0]!.rdata }] });
    expect(r.status).toBe('insecure');
    expect(r.reason).toBe('no trust anchor covers _dx.example.test');
  });

  it('a private DNSKEY anchor for example.test works without the parents', async () => {
    const world = buildWorld();
    const ksk = world.zones.find((z) => z.origin === 'example.test.')!.records.find((r) => r.type === 'DNSKEY' && r.rdata[1] === 1)!;
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport: world.transport, anchors: [{ name: 'example.test.', type: 'DNSKEY', rdata: ksk.rdata }] });
    expect(r.status).toBe('secure');
    expect(r.chain.map((c) => c.zone)).toEqual(['example.test.']);
    expect(r.chain[0]!.reason).toBe(`DNSKEY example.test signed by example.test/${world.kskTag('example.test.')}, which matches trust anchor DNSKEY ${world.kskTag('example.test.')}`);
  });

  it('the DS of a zone answered by the child itself (one authoritative for all, BIND style) → bogus with the reason', async () => {
    const world = buildWorld();
    const childOnly = createZoneTransport(world.zones.filter((z) => z.origin !== 'test.').concat([{ origin: 'test.', records: world.zones[1]!.records.filter((r) => r.type !== 'DS' && !(r.type === 'RRSIG' && decodeRrsig(r.rdata).typeCovered === 'DS')) }]));
    // Emulate BIND: a DS query for example.test. is answered from example.test. (NODATA with its SOA).
    const transport: DnsTransport = {
      async query(q) {
        if (q.type === 'DS' && /^example\.test\.?$/i.test(q.name)) {
          const m = decodeMessage(await world.transport.query({ name: 'example.test.', type: 'AAAA' }));
          return encodeResponse({ ...m, question: [{ name: q.name, type: 'DS', class: 'IN' }] });
        }
        return childOnly.query(q);
      },
    };
    const r = await validateLookup('_dx.example.test', 'TXT', { ...base, transport, anchors: world.anchors });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe('the DS query for example.test was answered by example.test itself, not by its parent test');
  });
});

describe('validateLookup: transport failures are indeterminate', () => {
  const world = buildWorld();
  const run = (transport: DnsTransport) => validateLookup('_dx.example.test', 'TXT', { transport, anchors: world.anchors, now: NOW });

  it('network error', async () => {
    const r = await run({ query: async () => { throw new DimeError('NETWORK', 'timeout after 2000 ms (127.0.0.1:53)'); } });
    expect([r.status, r.rcode]).toEqual(['indeterminate', 'SERVFAIL']);
    expect(r.reason).toBe('no answer for DNSKEY .: timeout after 2000 ms (127.0.0.1:53)');
  });

  it('garbage, a mismatched question, SERVFAIL', async () => {
    const garbage = await run({ query: async () => Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) });
    expect(garbage.status).toBe('indeterminate');
    expect(garbage.reason).toMatch(/^garbage response for DNSKEY \.: /);
    const mismatch = await run({ query: async () => world.transport.query({ name: 'test.', type: 'SOA' }) });
    expect(mismatch.status).toBe('indeterminate');
    expect(mismatch.reason).toBe('response does not match the question DNSKEY .');
    const servfail = await run({ query: async (q) => encodeResponse({ id: 1, rcode: 'SERVFAIL', question: [{ name: q.name, type: q.type, class: 'IN' }] }) });
    expect(servfail.reason).toBe('resolver answered SERVFAIL for DNSKEY .');
  });
});

describe('zones from the zone-file reader validate too', () => {
  it('a zone text signed by our signer', async () => {
    const records = parseZoneFile('$ORIGIN Lab.Test.\n$TTL 60\n@ SOA ns hm 1 60 60 60 60\n@ NS ns\nns A 127.0.0.1\n_dx TXT "ver=1"\n');
    const { signZone, generateZoneKey, dnskeyRdataOf } = await import('@dime/core/dnssec');
    const ksk = generateZoneKey(15, 257);
    const signed = signZone(records, { origin: 'lab.test.', keys: [ksk], inception: INCEPTION, expiration: EXPIRATION });
    const r = await validateLookup('_dx.lab.test', 'TXT', { transport: createZoneTransport([{ origin: 'lab.test.', records: signed }]), anchors: [{ name: 'lab.test.', type: 'DNSKEY', rdata: dnskeyRdataOf(ksk) }], now: NOW });
    expect(r.status).toBe('secure');
    expect(r.records[0]!.name).toBe('_dx.Lab.Test.');
  });
});

describe('validateLookup: RRSIG details', () => {
  it('an RRset signed only with an unsupported algorithm in a secure zone is bogus', async () => {
    const world = buildWorld({
      exampleSigned: (rrs) => rrs.map((r) => {
        if (r.type !== 'RRSIG' || r.name !== '_dx.example.test.' || decodeRrsig(r.rdata).typeCovered !== 'TXT') return r;
        return { ...r, rdata: encodeRrsig({ ...decodeRrsig(r.rdata), algorithm: 253 }) };
      }),
    });
    const r = await validateLookup('_dx.example.test', 'TXT', { transport: world.transport, anchors: world.anchors, now: NOW });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`RRSIG TXT _dx.example.test by example.test/${world.zskTag('example.test.')} uses unsupported algorithm 253`);
  });

  it('caps the TTL at the time left before expiration (RFC 4035 §5.3.3)', async () => {
    const world = buildWorld();
    const r = await validateLookup('_dx.example.test', 'TXT', { transport: world.transport, anchors: world.anchors, now: () => new Date(EXPIRATION.getTime() - 100_000) });
    expect(r.status).toBe('secure');
    expect(r.records[0]!.ttl).toBe(100);
  });

  it('a CNAME from a secure zone into an unsigned one is insecure', async () => {
    const world = buildWorld({
      exampleRecords: (rrs) => [...rrs, ...parseZoneFile('out.example.test. 300 IN CNAME _dx.unsigned.test.\n')],
    });
    const r = await validateLookup('out.example.test', 'TXT', { transport: world.transport, anchors: world.anchors, now: NOW });
    expect(r.status).toBe('insecure');
    expect(r.records.map((x) => x.type)).toEqual(['CNAME', 'TXT']);
    expect(r.reason).toMatch(/^delegation to unsigned\.test is unsigned .* \(via CNAME _dx\.unsigned\.test\)$/);
  });
});

describe('validateLookup: a DS from a wildcard', () => {
  it('cannot make a zone cut', async () => {
    const world = buildWorld({ exampleRecords: (rrs) => [...rrs, ...parseZoneFile('*.dsw.example.test. 300 IN DS 1 13 2 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF\n')] });
    const r = await validateLookup('x.dsw.example.test', 'A', { transport: world.transport, anchors: world.anchors, now: NOW });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe('DS x.dsw.example.test is a wildcard expansion');
  });
});

describe('validateLookup: several algorithms (RFC 6840 §5.11)', () => {
  it('a zone signed with ECDSA and Ed25519 validates through either; one broken algorithm does not make it bogus', async () => {
    const { signZone, generateZoneKey, dnskeyRdataOf, dsFromDnskey } = await import('@dime/core/dnssec');
    const keys = [generateZoneKey(13, 257), generateZoneKey(13, 256), generateZoneKey(15, 257), generateZoneKey(15, 256)];
    const records = parseZoneFile('$ORIGIN multi.test.\n$TTL 60\n@ SOA ns hm 1 60 60 60 60\n@ NS ns\nns A 127.0.0.1\n_dx TXT "ver=1"\n');
    const signed = signZone(records, { origin: 'multi.test.', keys, inception: INCEPTION, expiration: EXPIRATION });
    // break every ECDSA signature over the TXT: the Ed25519 one still validates it
    const broken = signed.map((r) => {
      if (r.type !== 'RRSIG') return r;
      const f = decodeRrsig(r.rdata);
      if (f.algorithm !== 13 || f.typeCovered !== 'TXT') return r;
      const sig = f.signature.slice();
      sig[0]! ^= 0xff;
      return { ...r, rdata: encodeRrsig({ ...f, signature: sig }) };
    });
    for (const anchorKey of [keys[0]!, keys[2]!]) {
      const anchors = [{ name: 'multi.test.', type: 'DS' as const, rdata: dsFromDnskey('multi.test.', dnskeyRdataOf(anchorKey), 2) }];
      const r = await validateLookup('_dx.multi.test', 'TXT', { transport: createZoneTransport([{ origin: 'multi.test.', records: broken }]), anchors, now: NOW });
      expect(r.status).toBe('secure');
      expect(r.reason).toMatch(/^RRSIG TXT _dx\.multi\.test by multi\.test\/\d+ verified$/);
    }
  });
});

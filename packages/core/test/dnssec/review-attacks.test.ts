/**
 * Review of issue 4: hostile and odd inputs against the RRSIG checks and the chain, each with the
 * status and one-line reason a DNS engineer expects (RFC 4035 §5, RFC 4034, RFC 5702, RFC 6840).
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { decodeDs, decodeMessage, decodeRrsig, encodeDnskey, encodeDs, encodeResponse, encodeRrsig, formatRecord, decodeDnskey, type DnsTransport, type ResourceRecord } from '@dime/core/dns';
import { encodeTxt, utf8Encode } from '@dime/core';
import {
  WorkBudget,
  dnskeyPublicKey,
  dnskeyRdataOf,
  generateZoneKey,
  keyTag,
  signData,
  signRrset,
  signedData,
  validateLookup,
  verifyRrset,
  MAX_RRSIGS_PER_RRSET,
  MAX_ZONE_DEPTH,
  MAX_CNAME_CHAIN,
  DEFAULT_LIMITS,
  type ZoneKey,
} from '@dime/core/dnssec';
import { buildWorld, filteringTransport, NOW } from './world.js';

const T0 = Date.UTC(2026, 5, 1) / 1000;
const now = new Date(T0 * 1000);
const txt = (name: string, text: string, ttl = 300): ResourceRecord => ({ name, type: 'TXT', class: 'IN', ttl, rdata: encodeTxt([utf8Encode(text)]) });
const keyRecord = (owner: string, rdata: Uint8Array): ResourceRecord => ({ name: owner, type: 'DNSKEY', class: 'IN', ttl: 300, rdata });

/** An RRSIG with chosen fields, correctly signed over the chosen fields. */
function rrsigWith(rrset: ResourceRecord[], key: ZoneKey, signer: string, over: Partial<{ labels: number; inception: number; expiration: number; originalTtl: number; cls: string; typeCovered: string; algorithm: number }> = {}): ResourceRecord {
  const base = decodeRrsig(signRrset(rrset, key, signer, T0 - 86400, T0 + 86400).rdata);
  const f = { ...base, ...(over.labels !== undefined ? { labels: over.labels } : {}), ...(over.inception !== undefined ? { inception: over.inception >>> 0 } : {}), ...(over.expiration !== undefined ? { expiration: over.expiration >>> 0 } : {}), ...(over.originalTtl !== undefined ? { originalTtl: over.originalTtl } : {}), ...(over.typeCovered ? { typeCovered: over.typeCovered } : {}), ...(over.algorithm ? { algorithm: over.algorithm } : {}) };
  f.signature = signData(key.algorithm, key.privateKey, signedData(f, rrset));
  return { name: rrset[0]!.name, type: 'RRSIG', class: over.cls ?? 'IN', ttl: 300, rdata: encodeRrsig(f) };
}

const key13 = generateZoneKey(13, 256);
const keys13 = [keyRecord('ex.test.', dnskeyRdataOf(key13))];
const check = (rrset: ResourceRecord[], sigs: ResourceRecord[], keys = keys13, at = now) => verifyRrset(rrset, sigs, keys, { now: at, budget: new WorkBudget(), signer: 'ex.test.' });
const tag13 = keyTag(dnskeyRdataOf(key13));

describe('per-RRSIG checks (RFC 4035 §5.3.1)', () => {
  const set = [txt('a.ex.test.', 'x')];

  it('labels greater than the owner\'s labels → bogus', () => {
    const r = check(set, [rrsigWith(set, key13, 'ex.test.', { labels: 4 })]);
    expect([r.status, r.reason]).toEqual(['bogus', `RRSIG TXT a.ex.test by ex.test/${tag13} has labels 4, more than the owner's 3`]);
  });

  it('a signer that is not an ancestor of the owner → bogus', () => {
    const other = [keyRecord('other.test.', dnskeyRdataOf(key13))];
    const r = verifyRrset(set, [rrsigWith(set, key13, 'other.test.')], other, { now, budget: new WorkBudget() });
    expect([r.status, r.reason]).toEqual(['bogus', `RRSIG TXT a.ex.test by other.test/${tag13} is signed by other.test, which is not the owner's zone`]);
  });

  it('an RRSIG of another class → bogus', () => {
    const r = check(set, [rrsigWith(set, key13, 'ex.test.', { cls: 'CH' })]);
    expect([r.status, r.reason]).toEqual(['bogus', `RRSIG TXT a.ex.test by ex.test/${tag13} has class CH`]);
  });

  it('DNSKEY with protocol 2, without the zone bit, or with REVOKE is never used', () => {
    const d = decodeDnskey(dnskeyRdataOf(key13));
    for (const bad of [{ ...d, protocol: 2 }, { ...d, flags: 0 }, { ...d, flags: 256 | 128 }]) {
      const rdata = encodeDnskey(bad);
      const k = { ...key13, flags: bad.flags };
      // sign with a key tag computed over the altered RDATA so only the flag/protocol check can refuse it
      const sig = rrsigWith(set, k, 'ex.test.');
      const f = decodeRrsig(sig.rdata);
      const f2 = { ...f, keyTag: keyTag(rdata) };
      f2.signature = signData(13, key13.privateKey, signedData(f2, set));
      const r = check(set, [{ ...sig, rdata: encodeRrsig(f2) }], [keyRecord('ex.test.', rdata)]);
      expect([r.status, r.reason]).toEqual(['bogus', `RRSIG TXT a.ex.test by ex.test/${keyTag(rdata)} has no matching DNSKEY`]);
    }
  });

  it('validity window: 1 s after expiration and 1 s before inception → bogus; the edges themselves are valid', () => {
    const sig = rrsigWith(set, key13, 'ex.test.', { inception: T0 - 10, expiration: T0 + 10 });
    expect(check(set, [sig], keys13, new Date((T0 + 10) * 1000)).status).toBe('secure');
    expect(check(set, [sig], keys13, new Date((T0 - 10) * 1000)).status).toBe('secure');
    expect(check(set, [sig], keys13, new Date((T0 + 11) * 1000)).reason).toBe(`RRSIG TXT a.ex.test by ex.test/${tag13} expired 2026-06-01T00:00:10Z`);
    expect(check(set, [sig], keys13, new Date((T0 - 11) * 1000)).reason).toBe(`RRSIG TXT a.ex.test by ex.test/${tag13} not valid before 2026-05-31T23:59:50Z`);
  });

  it('validity window across the 2106 wrap: inception > expiration numerically is still a valid window (RFC 1982)', () => {
    const wrap = 2 ** 32; // 2106-02-07T06:28:16Z
    const sig = rrsigWith(set, key13, 'ex.test.', { inception: wrap - 100, expiration: 100 });
    expect(decodeRrsig(sig.rdata).inception).toBeGreaterThan(decodeRrsig(sig.rdata).expiration);
    expect(check(set, [sig], keys13, new Date((wrap + 50) * 1000)).status).toBe('secure');
    expect(check(set, [sig], keys13, new Date((wrap - 50) * 1000)).status).toBe('secure');
    expect(check(set, [sig], keys13, new Date((wrap + 101) * 1000)).reason).toBe(`RRSIG TXT a.ex.test by ex.test/${tag13} expired 2106-02-07T06:29:56Z`);
    expect(check(set, [sig], keys13, new Date((wrap - 101) * 1000)).reason).toBe(`RRSIG TXT a.ex.test by ex.test/${tag13} not valid before 2106-02-07T06:26:36Z`);
  });

  it('an original TTL lower than the RR TTL validates, and the TTL is capped to it (RFC 4035 §5.3.3)', () => {
    const big = [txt('a.ex.test.', 'x', 86400)];
    const r = check(big, [rrsigWith(big, key13, 'ex.test.', { originalTtl: 60 })]);
    expect([r.status, r.ttl]).toEqual(['secure', 60]);
  });

  it('a duplicated record in the RRset is removed before the signed data (RFC 4034 §6.3)', () => {
    const sig = rrsigWith(set, key13, 'ex.test.');
    expect(check([set[0]!, set[0]!], [sig]).status).toBe('secure');
  });

  it('an ECDSA signature of the wrong length → bogus', () => {
    const sig = rrsigWith(set, key13, 'ex.test.');
    const f = decodeRrsig(sig.rdata);
    const r = check(set, [{ ...sig, rdata: encodeRrsig({ ...f, signature: f.signature.subarray(0, 63) }) }]);
    expect([r.status, r.reason]).toEqual(['bogus', `RRSIG TXT a.ex.test by ex.test/${tag13} does not verify`]);
  });

  it('key tag collision: two keys with the same tag, only the second verifies → secure', () => {
    const real = dnskeyRdataOf(key13);
    const decoy = real.slice();
    decoy[6]! += 1;
    decoy[8]! -= 1;
    expect(keyTag(decoy)).toBe(keyTag(real));
    const r = check(set, [rrsigWith(set, key13, 'ex.test.')], [keyRecord('ex.test.', decoy), keyRecord('ex.test.', real)]);
    expect(r.status).toBe('secure');
  });

  it('names with an escaped dot inside a label and a \\000 octet validate', () => {
    for (const owner of ['a\\.b.ex.test.', '\\000.ex.test.', 'A\\.B\\000c.Ex.Test.']) {
      const s = [txt(owner, 'x')];
      const sig = rrsigWith(s, key13, 'ex.test.');
      expect(decodeRrsig(sig.rdata).labels).toBe(3);
      expect(check(s, [sig]).status).toBe('secure');
    }
  });

  it('a 512-bit RSASHA256 key is used, as RFC 5702 §2 allows (512 to 4096 bits)', () => {
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 512, publicExponent: 65537 }).privateKey;
    const k: ZoneKey = { algorithm: 8, flags: 256, privateKey };
    const s = [txt('a.ex.test.', 'x')];
    expect(check(s, [rrsigWith(s, k, 'ex.test.')], [keyRecord('ex.test.', dnskeyRdataOf(k))]).status).toBe('secure');
  });

  it('Ed448 signs and verifies; RSA with exponent 3 at 1024 and 4096 bits verifies', () => {
    const ed448 = generateZoneKey(16, 256);
    const s = [txt('a.ex.test.', 'x')];
    expect(check(s, [rrsigWith(s, ed448, 'ex.test.')], [keyRecord('ex.test.', dnskeyRdataOf(ed448))]).status).toBe('secure');
    for (const bits of [1024, 4096]) {
      const privateKey = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 3 }).privateKey;
      const k: ZoneKey = { algorithm: 8, flags: 256, privateKey };
      expect(dnskeyPublicKey(8, privateKey)[0]).toBe(1);
      expect(check(s, [rrsigWith(s, k, 'ex.test.')], [keyRecord('ex.test.', dnskeyRdataOf(k))]).status).toBe('secure');
    }
  });
});

describe('chain checks', () => {
  const opts = (transport: DnsTransport, w: ReturnType<typeof buildWorld>) => ({ transport, anchors: w.anchors, now: NOW });

  it('a DS with only digest type 3 (GOST, unsupported) → insecure', async () => {
    const w = buildWorld({ exampleDs: (ds) => ds.map((r) => ({ ...r, rdata: encodeDs({ ...decodeDs(r.rdata), digestType: 3 }) })) });
    const r = await validateLookup('_dx.example.test', 'TXT', opts(w.transport, w));
    expect(r.status).toBe('insecure');
    expect(r.reason).toBe(`example.test: only unsupported algorithms or digest types (DS ${w.kskTag('example.test.')} alg 13 digest 3)`);
  });

  it('a DS with digest type 2 and a wrong digest → bogus, naming the zone and key', async () => {
    const w = buildWorld({ exampleDs: (ds) => ds.map((r) => { const d = decodeDs(r.rdata); const digest = d.digest.slice(); digest[0] ^= 1; return { ...r, rdata: encodeDs({ ...d, digest }) }; }) });
    const r = await validateLookup('_dx.example.test', 'TXT', opts(w.transport, w));
    expect(r.status).toBe('bogus');
    expect(r.reason).toMatch(new RegExp(`^no DNSKEY of example\\.test matches DS ${w.kskTag('example.test.')} \\(DS ${w.kskTag('example.test.')} from test/\\d+\\); keys present: `));
  });

  it('a referral without DS and without NSEC → bogus, not insecure', async () => {
    const w = buildWorld();
    const t = filteringTransport(w.transport, (rr, s, q) => q.type === 'DS' && q.name.startsWith('unsigned') && s === 'authority' && (rr.type === 'NSEC' || rr.type === 'NSEC3' || rr.type === 'RRSIG'));
    const r = await validateLookup('_dx.unsigned.test', 'TXT', opts(t, w));
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe('no DS for unsigned.test and no proof: no NSEC or NSEC3 from test in the NODATA response');
  });

  it('a delegation whose NSEC has the DS bit but the DS is withheld → bogus', async () => {
    const w = buildWorld();
    // Serve the NSEC of example.test (types NS DS RRSIG NSEC) as if it were a NODATA answer to the DS query.
    const t: DnsTransport = {
      async query(q) {
        if (q.type !== 'DS' || q.name.toLowerCase() !== 'example.test.') return w.transport.query(q);
        const m = decodeMessage(await w.transport.query(q));
        const parent = w.zones.find((z) => z.origin === 'test.')!.records;
        const proof = parent.filter((r) => r.name === 'example.test.' && (r.type === 'NSEC' || (r.type === 'RRSIG' && decodeRrsig(r.rdata).typeCovered === 'NSEC')));
        expect(proof).toHaveLength(2);
        return encodeResponse({ ...m, answers: [], authorities: proof });
      },
    };
    const r = await validateLookup('_dx.example.test', 'TXT', opts(t, w));
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe('no DS for example.test and no proof: NSEC at example.test lists DS; NODATA not proven');
  });

  it('an extra unsigned record slipped into the answer RRset → bogus; an unrelated extra RR is ignored', async () => {
    const w = buildWorld();
    const inject = (rr: ResourceRecord): DnsTransport => ({
      async query(q) {
        const m = decodeMessage(await w.transport.query(q));
        if (q.type !== 'TXT') return encodeResponse(m);
        return encodeResponse({ ...m, answers: [...m.answers, rr] });
      },
    });
    const same = await validateLookup('_dx.example.test', 'TXT', opts(inject(txt('_dx.example.test.', 'ver=1 pok=evil')), w));
    expect(same.status).toBe('bogus');
    expect(same.reason).toMatch(/^RRSIG TXT _dx\.example\.test by example\.test\/\d+ does not verify$/);
    const other = await validateLookup('_dx.example.test', 'TXT', opts(inject(txt('evil.example.test.', 'x')), w));
    expect(other.status).toBe('secure');
    expect(other.records.map(formatRecord)).toEqual(['_dx.example.test. 300 IN TXT "ver=1 pok=VGhpcyBpcyBub3QgYSByZWFsIGtleSwgb25seSBhIHRlc3Q" "pol=strict"']);
  });

  it(`exactly ${MAX_RRSIGS_PER_RRSET} RRSIGs (the real one last) are all tried → secure`, async () => {
    const w = buildWorld({
      exampleSigned: (rrs) => {
        const sig = rrs.find((r) => r.type === 'RRSIG' && r.name === '_dx.example.test.' && decodeRrsig(r.rdata).typeCovered === 'TXT')!;
        const f = decodeRrsig(sig.rdata);
        const junk = Array.from({ length: MAX_RRSIGS_PER_RRSET - 1 }, (_, i) => { const s = f.signature.slice(); s[5] = (s[5]! + i + 1) & 0xff; return { ...sig, rdata: encodeRrsig({ ...f, signature: s }) }; });
        return [...rrs.filter((r) => r !== sig), ...junk, sig];
      },
    });
    const r = await validateLookup('_dx.example.test', 'TXT', opts(w.transport, w));
    expect(r.status).toBe('secure');
  });

  it(`a 34-label name (ip6.arpa-shaped) validates: the depth limit counts zone cuts (${MAX_ZONE_DEPTH}), not labels`, async () => {
    const name = 'b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.example.test.';
    const ptr = Uint8Array.from([3, 0x77, 0x77, 0x77, 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]);
    for (const nsec of ['nsec', 'nsec3'] as const) {
      const w = buildWorld({ example: { nsec }, exampleRecords: (rrs) => [...rrs, { name, type: 'PTR', class: 'IN', ttl: 300, rdata: ptr }] });
      const r = await validateLookup(name, 'PTR', opts(w.transport, w));
      expect([r.status, r.reason]).toEqual(['secure', `RRSIG PTR ${name.slice(0, -1)} by example.test/${w.zskTag('example.test.')} verified`]);
      expect(r.chain.map((c) => c.zone)).toEqual(['.', 'test.', 'example.test.']);
    }
    // the cut limit itself: root → test → example.test is two cuts
    const w = buildWorld();
    const two = await validateLookup('_dx.example.test', 'TXT', { ...opts(w.transport, w), limits: { zoneDepth: 2 } });
    expect(two.status).toBe('secure');
    const one = await validateLookup('_dx.example.test', 'TXT', { ...opts(w.transport, w), limits: { zoneDepth: 1 } });
    expect([one.status, one.reason]).toEqual(['bogus', 'work limit: more than 1 zone cuts below the trust anchor in one lookup']);
  });
});

describe('work limits at their values', () => {
  const nameRdata = (n: string) => Uint8Array.from([...n.split('.').filter(Boolean).flatMap((l) => [l.length, ...Buffer.from(l)]), 0]);
  const chain = (links: number): ResourceRecord[] => Array.from({ length: links }, (_, i) => ({ name: `c${i}.example.test.`, type: 'CNAME', class: 'IN', ttl: 300, rdata: nameRdata(i + 1 === links ? 'www.example.test' : `c${i + 1}.example.test`) }));

  it(`a CNAME chain of exactly ${MAX_CNAME_CHAIN} links is followed; ${MAX_CNAME_CHAIN + 1} is bogus`, async () => {
    for (const [links, status] of [[MAX_CNAME_CHAIN, 'secure'], [MAX_CNAME_CHAIN + 1, 'bogus']] as const) {
      const w = buildWorld({ exampleRecords: (rrs) => [...rrs, ...chain(links)] });
      const r = await validateLookup('c0.example.test', 'A', { transport: w.transport, anchors: w.anchors, now: NOW });
      expect(r.status).toBe(status);
      if (status === 'secure') expect(r.records).toHaveLength(links + 1);
      else expect(r.reason).toBe(`CNAME chain longer than ${MAX_CNAME_CHAIN} links`);
    }
  });

  it('the NSEC3 hash budget stops a proof at its value, one more lets it through', async () => {
    const w = buildWorld({ example: { nsec: 'nsec3', nsec3: { iterations: 10 } } });
    const o = { transport: w.transport, anchors: w.anchors, now: NOW };
    let needed = 0;
    for (let n = 1; n < 40 && needed === 0; n++) {
      if ((await validateLookup('a.b.nope.example.test', 'A', { ...o, limits: { nsec3HashesPerLookup: n } })).status === 'secure') needed = n;
    }
    expect(needed).toBeGreaterThan(1);
    const r = await validateLookup('a.b.nope.example.test', 'A', { ...o, limits: { nsec3HashesPerLookup: needed - 1 } });
    expect([r.status, r.reason]).toEqual(['bogus', `work limit: more than ${needed - 1} NSEC3 hashes in one lookup`]);
    expect(DEFAULT_LIMITS).toEqual({ keysPerRrsig: 4, rrsigsPerRrset: 8, validationsPerLookup: 64, nsec3Iterations: 150, nsec3HashesPerLookup: 512, cnameChain: 8, queriesPerLookup: 96, zoneDepth: 32 });
  });
});

describe('wildcard proofs', () => {
  it('a wildcard answer with an NSEC that covers the wildcard but not the name → bogus', async () => {
    const w = buildWorld();
    // replace the proof by the NSEC ns1 → *.wild, which reaches the wildcard but does not cover foo.wild
    const t: DnsTransport = {
      async query(q) {
        const m = decodeMessage(await w.transport.query(q));
        if (q.type !== 'TXT' || !q.name.toLowerCase().startsWith('foo.wild')) return encodeResponse(m);
        const nsec = decodeMessage(await w.transport.query({ name: 'ns1.example.test.', type: 'NSEC' }));
        expect(nsec.answers.map((r) => r.type).sort()).toEqual(['NSEC', 'RRSIG']);
        expect(formatRecord(nsec.answers.find((r) => r.type === 'NSEC')!)).toMatch(/^ns1\.example\.test\. \d+ IN NSEC \*\.wild\.example\.test\. /);
        return encodeResponse({ ...m, authorities: nsec.answers });
      },
    };
    const r = await validateLookup('foo.wild.example.test', 'TXT', { transport: t, anchors: w.anchors, now: NOW });
    expect([r.status, r.reason]).toEqual(['bogus', 'wildcard answer for foo.wild.example.test without an NSEC covering it']);
  });
});

describe('a question in mixed case', () => {
  it('reports the zones of the chain in canonical (lower) case', async () => {
    const w = buildWorld();
    const r = await validateLookup('_DX.ExAmPlE.TeSt', 'AAAA', { transport: w.transport, anchors: w.anchors, now: NOW });
    expect(r.status).toBe('secure');
    expect(r.chain.map((c) => c.zone)).toEqual(['.', 'test.', 'example.test.']);
    expect(r.chain[2]!.reason).toBe(`DNSKEY example.test signed by example.test/${w.kskTag('example.test.')}, which matches DS ${w.kskTag('example.test.')} from test/${w.zskTag('test.')}`);
    expect(r.reason).toBe('NODATA AAAA _DX.ExAmPlE.TeSt proven by NSEC from example.test');
  });
});

describe('denial proofs from a wildcard expansion', () => {
  it('the NSEC of *.wild replayed under an existing name cannot prove NODATA there → bogus', async () => {
    const w = buildWorld({ exampleRecords: (rrs) => [...rrs, { name: 'b.wild.example.test.', type: 'A', class: 'IN', ttl: 300, rdata: Uint8Array.of(192, 0, 2, 5) }] });
    const honest = await validateLookup('b.wild.example.test', 'A', { transport: w.transport, anchors: w.anchors, now: NOW });
    expect(honest.records.map(formatRecord)).toEqual(['b.wild.example.test. 300 IN A 192.0.2.5']);
    const t: DnsTransport = {
      async query(q) {
        if (q.type !== 'A' || q.name.toLowerCase() !== 'b.wild.example.test.') return w.transport.query(q);
        const m = decodeMessage(await w.transport.query(q));
        const wild = decodeMessage(await w.transport.query({ name: '*.wild.example.test.', type: 'NSEC' })).answers;
        expect(wild.map((r) => r.type).sort()).toEqual(['NSEC', 'RRSIG']);
        return encodeResponse({ ...m, answers: [], authorities: wild.map((r) => ({ ...r, name: 'b.wild.example.test.' })) });
      },
    };
    const r = await validateLookup('b.wild.example.test', 'A', { transport: t, anchors: w.anchors, now: NOW });
    expect([r.status, r.reason]).toEqual(['bogus', 'NSEC b.wild.example.test is a wildcard expansion; it proves nothing']);
  });
});

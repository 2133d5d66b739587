/**
 * Review of issue 4: NSEC3 opt-out (RFC 5155 §8.4–§8.8, §9.2) and the wildcard closest-encloser check
 * (RFC 4035 §5.3.4), offline with our signer.
 */
import { describe, expect, it } from 'vitest';
import { decodeNsec3, decodeRrsig, encodeNsec3, parseZoneFile, type ResourceRecord } from '@dime/core/dns';
import { WorkBudget, generateZoneKey, nsec3Hash, proveDenial, proveWildcardExpansion, signRrset, signZone, validateLookup } from '@dime/core/dnssec';
import { base32hexEncode } from '@dime/core/dns';
import { buildWorld, NOW } from './world.js';

describe('NSEC3 opt-out in the validator', () => {
  const optOut = buildWorld({ example: { nsec: 'nsec3', nsec3: { optOut: true } }, test: { nsec: 'nsec3', nsec3: { optOut: true } } });
  const plain = buildWorld({ example: { nsec: 'nsec3' }, test: { nsec: 'nsec3' } });
  const opts = (w: typeof optOut) => ({ transport: w.transport, anchors: w.anchors, now: NOW });

  it('a wildcard answer whose next closer lies in an opt-out span is insecure, not secure', async () => {
    const r = await validateLookup('foo.wild.example.test', 'TXT', opts(optOut));
    expect(r.status).toBe('insecure');
    expect(r.reason).toBe('wildcard answer for foo.wild.example.test: next closer foo.wild.example.test lies in an NSEC3 opt-out span of example.test');
    expect(r.records).toHaveLength(1);
    const deeper = await validateLookup('a.b.wild.example.test', 'TXT', opts(optOut));
    expect(deeper.status).toBe('insecure');
    expect(deeper.reason).toMatch(/next closer b\.wild\.example\.test lies in an NSEC3 opt-out span/);
  });

  it('without opt-out the same wildcard answer is secure', async () => {
    const r = await validateLookup('foo.wild.example.test', 'TXT', opts(plain));
    expect(r.status).toBe('secure');
  });

  it('a wildcard NODATA whose next closer lies in an opt-out span is insecure; without opt-out secure', async () => {
    const r = await validateLookup('foo.wild.example.test', 'A', opts(optOut));
    expect([r.status, r.rcode, r.reason]).toEqual(['insecure', 'NOERROR', 'NODATA A foo.wild.example.test (wildcard): next closer foo.wild.example.test lies in an NSEC3 opt-out span of example.test']);
    const p = await validateLookup('foo.wild.example.test', 'A', opts(plain));
    expect([p.status, p.reason]).toEqual(['secure', 'NODATA A foo.wild.example.test (wildcard *.wild.example.test) proven by NSEC3 from example.test']);
  });

  it('NXDOMAIN through an opt-out span is insecure (an unsigned delegation may hide there); without opt-out secure', async () => {
    const r = await validateLookup('nope.example.test', 'A', opts(optOut));
    expect([r.status, r.rcode, r.reason]).toEqual(['insecure', 'NXDOMAIN', 'NXDOMAIN nope.example.test lies in an NSEC3 opt-out span of example.test']);
    expect((await validateLookup('nope.example.test', 'A', opts(plain))).status).toBe('secure');
  });

  it('NODATA at a name with its own NSEC3 stays secure in an opt-out zone', async () => {
    const r = await validateLookup('_dx.example.test', 'AAAA', opts(optOut));
    expect([r.status, r.rcode, r.reason]).toEqual(['secure', 'NOERROR', 'NODATA AAAA _dx.example.test proven by NSEC3 from example.test']);
  });

  it('the DS proof through an opt-out span makes an insecure delegation', async () => {
    const r = await validateLookup('_dx.unsigned.test', 'TXT', opts(optOut));
    expect(r.status).toBe('insecure');
    expect(r.reason).toBe('no DS for unsigned.test: NSEC3 opt-out span in test (unsigned delegation)');
    expect(r.chain.map((c) => [c.zone, c.status])).toEqual([['.', 'secure'], ['test.', 'secure'], ['unsigned.test.', 'insecure']]);
  });
});

describe('NODATA at an empty non-terminal left out of an opt-out chain (RFC 5155 §7.1)', () => {
  const key = generateZoneKey(13, 257);
  const inception = new Date('2026-01-01Z');
  const expiration = new Date('2027-01-01Z');
  const text = '$ORIGIN ex.test.\n$TTL 60\n@ SOA ns hm 1 60 60 60 60\n@ NS ns\nns A 127.0.0.1\nx.y NS ns.x.y\nns.x.y A 127.0.0.2\n';

  function chainWithoutEnt(optOut: boolean): ResourceRecord[] {
    const signed = signZone(parseZoneFile(text), { origin: 'ex.test.', keys: [key], inception, expiration, nsec: 'nsec3', nsec3: { optOut } });
    const entLabel = base32hexEncode(nsec3Hash('y.ex.test.', new Uint8Array(0), 0)).toLowerCase();
    const all = signed.filter((r) => r.type === 'NSEC3');
    const ent = all.find((r) => r.name.startsWith(`${entLabel}.`));
    // With opt-out our signer (like BIND with -A) already leaves it out; without, drop it and link
    // its predecessor past it, as a zone that wrongly omits it would look.
    if (!ent) return all.flatMap((r) => [r, signRrset([r], key, 'ex.test.', inception, expiration)]);
    const entNext = decodeNsec3(ent.rdata).nextHashed;
    const rest = all.filter((r) => r !== ent).map((r) => {
      const f = decodeNsec3(r.rdata);
      return Buffer.from(f.nextHashed).equals(Buffer.from(nsec3Hash('y.ex.test.', new Uint8Array(0), 0))) ? { ...r, rdata: encodeNsec3({ ...f, nextHashed: entNext }) } : r;
    });
    return rest.flatMap((r) => [r, signRrset([r], key, 'ex.test.', inception, expiration)]);
  }

  it('is insecure with opt-out (nothing is proven) and bogus without it', () => {
    const keys = signZone(parseZoneFile(text), { origin: 'ex.test.', keys: [key], inception, expiration }).filter((r) => r.type === 'DNSKEY');
    const ctx = { now: new Date('2026-06-01Z'), budget: new WorkBudget(), zone: 'ex.test.', keys };
    expect(proveDenial('nodata', 'y.ex.test.', 'A', chainWithoutEnt(true), ctx)).toEqual({ status: 'insecure', reason: 'NODATA A y.ex.test lies in an NSEC3 opt-out span of ex.test' });
    expect(proveDenial('nodata', 'y.ex.test.', 'A', chainWithoutEnt(false), ctx).status).toBe('bogus');
  });
});

describe('wildcard expansion with NSEC: the closest encloser must be the wildcard parent (RFC 4035 §5.3.4)', () => {
  const key = generateZoneKey(13, 257);
  const inception = new Date('2026-01-01Z');
  const expiration = new Date('2027-01-01Z');
  const text = '$ORIGIN ex.test.\n$TTL 60\n@ SOA ns hm 1 60 60 60 60\n@ NS ns\nns A 127.0.0.1\n*.wild TXT "w"\nb.wild TXT "b"\nz.b.wild TXT "z"\n';
  const records = signZone(parseZoneFile(text), { origin: 'ex.test.', keys: [key], inception, expiration, nsec: 'nsec' });
  const ctx = { now: new Date('2026-06-01Z'), budget: new WorkBudget(), zone: 'ex.test.', keys: records.filter((r) => r.type === 'DNSKEY') };
  const nsecAt = (owner: string) => {
    const rr = records.find((r) => r.type === 'NSEC' && r.name === owner)!;
    return [rr, ...records.filter((s) => s.type === 'RRSIG' && s.name === owner && decodeRrsig(s.rdata).typeCovered === 'NSEC')];
  };

  it('an expansion of *.wild.ex.test for a name below the existing b.wild.ex.test is bogus', () => {
    // b.wild → z.b.wild covers a.b.wild, but shows b.wild exists: *.wild cannot apply below it.
    const r = proveWildcardExpansion('a.b.wild.ex.test.', 3, nsecAt('b.wild.ex.test.'), ctx);
    expect(r).toEqual({ status: 'bogus', reason: 'wildcard answer for a.b.wild.ex.test: the NSEC from ex.test shows closest encloser b.wild.ex.test, not the wildcard\'s parent' });
  });

  it('a genuine expansion stays secure', () => {
    // *.wild → b.wild covers a.wild (closest encloser wild.ex.test, 3 labels).
    expect(proveWildcardExpansion('a.wild.ex.test.', 3, nsecAt('*.wild.ex.test.'), ctx)).toEqual({ status: 'secure', reason: 'wildcard expansion for a.wild.ex.test proven by NSEC from ex.test' });
  });
});

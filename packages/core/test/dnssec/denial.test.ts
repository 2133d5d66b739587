import { describe, expect, it } from 'vitest';
import { decodeRrsig, encodeNsec3, decodeNsec3, parseZoneFile, type ResourceRecord } from '@dime/core/dns';
import { WorkBudget, generateZoneKey, proveDenial, signRrset, signZone } from '@dime/core/dnssec';

const INCEPTION = new Date('2026-01-01Z');
const EXPIRATION = new Date('2027-01-01Z');
const now = new Date('2026-06-01Z');
const key = generateZoneKey(13, 257);
const TEXT = '$ORIGIN ex.test.\n$TTL 60\n@ SOA ns hm 1 60 60 60 60\n@ NS ns\nns A 127.0.0.1\nsub NS ns.sub\nns.sub A 127.0.0.2\nwww A 192.0.2.1\n';

function zone(nsec: 'nsec' | 'nsec3') {
  const records = signZone(parseZoneFile(TEXT), { origin: 'ex.test.', keys: [key], inception: INCEPTION, expiration: EXPIRATION, nsec });
  const keys = records.filter((r) => r.type === 'DNSKEY');
  const ctx = { now, budget: new WorkBudget(), zone: 'ex.test.', keys };
  const withSig = (rr: ResourceRecord) => [rr, ...records.filter((s) => s.type === 'RRSIG' && s.name === rr.name && decodeRrsig(s.rdata).typeCovered === rr.type)];
  return { records, ctx, withSig };
}

describe('proveDenial', () => {
  it('a delegation NSEC does not deny names below the cut (RFC 6840 §4.1)', () => {
    const { records, ctx, withSig } = zone('nsec');
    const atSub = records.find((r) => r.type === 'NSEC' && r.name === 'sub.ex.test.')!;
    const r = proveDenial('nxdomain', 'www.sub.ex.test.', 'A', withSig(atSub), ctx);
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe('no NSEC from ex.test covers www.sub.ex.test; NXDOMAIN not proven');
    // it does prove that sub has no DS: an insecure delegation
    const ds = proveDenial('nodata', 'sub.ex.test.', 'DS', withSig(atSub), ctx);
    expect(ds).toMatchObject({ status: 'secure', insecureDelegation: true });
    // and not that sub has no A
    expect(proveDenial('nodata', 'sub.ex.test.', 'A', withSig(atSub), ctx).reason).toBe('NSEC at sub.ex.test is from the parent side of a delegation; it cannot deny A');
  });

  it('an NSEC listing the type does not prove NODATA', () => {
    const { records, ctx, withSig } = zone('nsec');
    const atWww = records.find((r) => r.type === 'NSEC' && r.name === 'www.ex.test.')!;
    expect(proveDenial('nodata', 'www.ex.test.', 'A', withSig(atWww), ctx).reason).toBe('NSEC at www.ex.test lists A; NODATA not proven');
  });

  it('NSEC3 with an unknown hash algorithm is ignored, leaving the proof insecure', () => {
    const { records, ctx } = zone('nsec3');
    const altered = records.filter((r) => r.type === 'NSEC3').map((r) => {
      const f = decodeNsec3(r.rdata);
      const rr = { ...r, rdata: encodeNsec3({ ...f, hashAlgorithm: 2 }) };
      return [rr, signRrset([rr], key, 'ex.test.', INCEPTION, EXPIRATION)];
    }).flat();
    const r = proveDenial('nxdomain', 'nope.ex.test.', 'A', altered, ctx);
    expect(r).toEqual({ status: 'insecure', reason: 'NSEC3 in ex.test uses an unknown hash algorithm or flags' });
  });

  it('proof records with a bad signature make the proof bogus', () => {
    const { records, ctx } = zone('nsec');
    const nsec = records.filter((r) => r.type === 'NSEC');
    const sigs = records.filter((r) => r.type === 'RRSIG' && decodeRrsig(r.rdata).typeCovered === 'NSEC');
    const other = generateZoneKey(13, 257);
    const forged = nsec.map((r) => signRrset([r], other, 'ex.test.', INCEPTION, EXPIRATION));
    const r = proveDenial('nxdomain', 'nope.ex.test.', 'A', [...nsec, ...forged], ctx);
    expect(r.status).toBe('bogus');
    expect(r.reason).toMatch(/^RRSIG NSEC \S+ by ex\.test\/\d+ has no matching DNSKEY$/);
    expect(proveDenial('nxdomain', 'nope.ex.test.', 'A', [...nsec, ...sigs], ctx).status).toBe('secure');
  });
});

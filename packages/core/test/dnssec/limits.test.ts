/** Each work limit is hit by a crafted zone (KeyTrap-style colliding keys and signature floods). */
import { describe, expect, it } from 'vitest';
import { decodeDnskey, decodeRrsig, encodeDnskey, encodeRrsig, type ResourceRecord } from '@dime/core/dns';
import {
  MAX_CNAME_CHAIN,
  MAX_KEYS_PER_RRSIG,
  MAX_QUERIES_PER_LOOKUP,
  MAX_RRSIGS_PER_RRSET,
  MAX_VALIDATIONS_PER_LOOKUP,
  keyTag,
  dnskeyRdataOf,
  validateLookup,
  WorkBudget,
  WorkLimitError,
} from '@dime/core/dnssec';
import { buildWorld, NOW } from './world.js';

/** DNSKEYs with the same key tag as `rdata` (RFC 4034 App. B sums 16-bit words: +1 and -1 on two high bytes keep it). */
function collidingKeys(rdata: Uint8Array, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const copy = rdata.slice();
    const a = 4 + 2 * (i + 1);
    const b = a + 2;
    if (copy[a]! === 255 || copy[b]! === 0) throw new Error('pick other bytes');
    copy[a]! += 1;
    copy[b]! -= 1;
    out.push(copy);
  }
  return out;
}

const dnskey = (rdata: Uint8Array): ResourceRecord => ({ name: 'example.test.', type: 'DNSKEY', class: 'IN', ttl: 300, rdata });

function junkSignatures(rrsig: ResourceRecord, count: number): ResourceRecord[] {
  const f = decodeRrsig(rrsig.rdata);
  return Array.from({ length: count }, (_, i) => {
    const sig = f.signature.slice();
    sig[5] = (sig[5]! + i + 1) & 0xff;
    return { ...rrsig, rdata: encodeRrsig({ ...f, signature: sig }) };
  });
}

describe('work limits', () => {
  it('the limits have the documented values', () => {
    expect([MAX_KEYS_PER_RRSIG, MAX_RRSIGS_PER_RRSET, MAX_VALIDATIONS_PER_LOOKUP, MAX_CNAME_CHAIN, MAX_QUERIES_PER_LOOKUP]).toEqual([4, 8, 64, 8, 96]);
  });

  it(`${MAX_KEYS_PER_RRSIG + 1} colliding keys inside a validly signed DNSKEY RRset → work limit`, async () => {
    // The forged keys sit inside the records before signing, so the DNSKEY RRset itself verifies.
    const zskRdata = dnskeyRdataOf(buildWorld().keys['example.test.']!.zsk);
    const world2 = buildWorld({ exampleRecords: (rrs) => [...rrs, ...collidingKeys(zskRdata, MAX_KEYS_PER_RRSIG).map(dnskey)] });
    const r = await validateLookup('_dx.example.test', 'TXT', { transport: world2.transport, anchors: world2.anchors, now: NOW });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`work limit: ${MAX_KEYS_PER_RRSIG + 1} DNSKEYs of example.test share key tag ${keyTag(zskRdata)} (max ${MAX_KEYS_PER_RRSIG} tried)`);
    // exactly the limit is fine: the real key is among the candidates
    const ok = buildWorld({ exampleRecords: (rrs) => [...rrs, ...collidingKeys(zskRdata, MAX_KEYS_PER_RRSIG - 1).map(dnskey)] });
    const s = await validateLookup('_dx.example.test', 'TXT', { transport: ok.transport, anchors: ok.anchors, now: NOW });
    expect(s.status).toBe('secure');
  });

  it(`more than ${MAX_RRSIGS_PER_RRSET} RRSIGs over one RRset → work limit`, async () => {
    const world = buildWorld({
      exampleSigned: (rrs) => {
        const sig = rrs.find((r) => r.type === 'RRSIG' && r.name === '_dx.example.test.' && decodeRrsig(r.rdata).typeCovered === 'TXT')!;
        return [...rrs, ...junkSignatures(sig, MAX_RRSIGS_PER_RRSET)];
      },
    });
    const r = await validateLookup('_dx.example.test', 'TXT', { transport: world.transport, anchors: world.anchors, now: NOW });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`work limit: ${MAX_RRSIGS_PER_RRSET + 1} RRSIGs over TXT _dx.example.test (max ${MAX_RRSIGS_PER_RRSET} tried)`);
  });

  it(`more than ${MAX_VALIDATIONS_PER_LOOKUP} signature validations in one lookup → work limit`, async () => {
    // 4 keys share the ZSK's tag (the per-RRSIG limit) and each RRset of a CNAME chain carries 7 junk
    // RRSIGs before its real one: about 29 verifications per link, so the third link crosses 64.
    const zskRdata = dnskeyRdataOf(buildWorld().keys['example.test.']!.zsk);
    const world = buildWorld({
      exampleRecords: (rrs) => [
        ...rrs,
        ...collidingKeys(zskRdata, MAX_KEYS_PER_RRSIG - 1).map(dnskey),
        { name: 'c1.example.test.', type: 'CNAME', class: 'IN', ttl: 300, rdata: Uint8Array.from([2, 0x63, 0x32, 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]) },
        { name: 'c2.example.test.', type: 'CNAME', class: 'IN', ttl: 300, rdata: Uint8Array.from([3, 0x5f, 0x64, 0x78, 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]) },
      ],
      exampleSigned: (rrs) => {
        const isTarget = (r: ResourceRecord) => r.type === 'RRSIG' && ['c1.example.test.', 'c2.example.test.', '_dx.example.test.'].includes(r.name) && ['CNAME', 'TXT'].includes(decodeRrsig(r.rdata).typeCovered);
        const real = rrs.filter(isTarget);
        return [...rrs.filter((r) => !isTarget(r)), ...real.flatMap((sig) => [...junkSignatures(sig, 7), sig])];
      },
    });
    const r = await validateLookup('c1.example.test', 'TXT', { transport: world.transport, anchors: world.anchors, now: NOW });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`work limit: more than ${MAX_VALIDATIONS_PER_LOOKUP} signature validations in one lookup`);
    // with a larger budget the same chain validates, which shows the limit (not the data) stopped it
    const big = await validateLookup('c1.example.test', 'TXT', { transport: world.transport, anchors: world.anchors, now: NOW, limits: { validationsPerLookup: 1000 } });
    expect(big.status).toBe('secure');
    expect(big.records.length).toBe(3);
  });

  it(`a CNAME chain longer than ${MAX_CNAME_CHAIN} → bogus; a loop → bogus`, async () => {
    const target = (n: number) => Uint8Array.from([`l${n}`.length, ...Buffer.from(`l${n}`), 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]);
    const chain = Array.from({ length: MAX_CNAME_CHAIN + 2 }, (_, i) => ({ name: `l${i}.example.test.`, type: 'CNAME', class: 'IN', ttl: 300, rdata: target(i + 1) }));
    const world = buildWorld({ exampleRecords: (rrs) => [...rrs, ...chain, { name: 'loop.example.test.', type: 'CNAME', class: 'IN', ttl: 300, rdata: Uint8Array.from([4, ...Buffer.from('loop'), 7, ...Buffer.from('example'), 4, ...Buffer.from('test'), 0]) }] });
    const r = await validateLookup('l0.example.test', 'A', { transport: world.transport, anchors: world.anchors, now: NOW });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe(`CNAME chain longer than ${MAX_CNAME_CHAIN} links`);
    const loop = await validateLookup('loop.example.test', 'A', { transport: world.transport, anchors: world.anchors, now: NOW });
    expect(loop.status).toBe('bogus');
    expect(loop.reason).toBe('CNAME loop at loop.example.test');
  });

  it('the query budget stops a lookup', async () => {
    const world = buildWorld();
    const r = await validateLookup('_dx.example.test', 'TXT', { transport: world.transport, anchors: world.anchors, now: NOW, limits: { queriesPerLookup: 3 } });
    expect(r.status).toBe('bogus');
    expect(r.reason).toBe('work limit: more than 3 queries in one lookup');
    expect(world.transport.queries.length).toBe(3);
  });

  it('WorkBudget counts and throws at its limits', () => {
    const b = new WorkBudget();
    for (let i = 0; i < MAX_VALIDATIONS_PER_LOOKUP; i++) b.spendValidation();
    expect(() => b.spendValidation()).toThrow(WorkLimitError);
    const h = new WorkBudget({ ...b.limits, nsec3HashesPerLookup: 2 });
    h.spendNsec3Hash();
    h.spendNsec3Hash();
    expect(() => h.spendNsec3Hash()).toThrow('work limit: more than 2 NSEC3 hashes in one lookup');
  });
});

// keep the helper honest
describe('collidingKeys', () => {
  it('keeps algorithm and flags', () => {
    const zsk = dnskeyRdataOf(buildWorld().keys['example.test.']!.zsk);
    for (const k of collidingKeys(zsk, 3)) {
      expect(decodeDnskey(k).flags).toBe(256);
      expect(keyTag(k)).toBe(keyTag(zsk));
      expect(encodeDnskey(decodeDnskey(k))).toEqual(k);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { formatRecord } from '@dime/core/dns';
import { validateLookup } from '@dime/core/dnssec';
import { buildWorld, manglingTransport, NOW } from './world.js';

describe('validateLookup on a hierarchy signed by our signer', () => {
  const world = buildWorld();
  const opts = { transport: world.transport, anchors: world.anchors, now: NOW };

  it('validates _dx.example.test TXT from the root down', async () => {
    const r = await validateLookup('_dx.example.test', 'TXT', opts);
    expect(r.status).toBe('secure');
    expect(r.rcode).toBe('NOERROR');
    expect(r.name).toBe('_dx.example.test.');
    expect(r.records.map(formatRecord)).toEqual(['_dx.example.test. 300 IN TXT "ver=1 pok=VGhpcyBpcyBub3QgYSByZWFsIGtleSwgb25seSBhIHRlc3Q" "pol=strict"']);
    expect(r.reason).toBe(`RRSIG TXT _dx.example.test by example.test/${world.zskTag('example.test.')} verified`);
    expect(r.chain.map((c) => [c.zone, c.status])).toEqual([['.', 'secure'], ['test.', 'secure'], ['example.test.', 'secure']]);
    expect(r.chain[2]!.reason).toBe(`DNSKEY example.test signed by example.test/${world.kskTag('example.test.')}, which matches DS ${world.kskTag('example.test.')} from test/${world.zskTag('test.')}`);
  });
});

/** Property: presentation → zone-file reader → the same wire bytes, for names with any octets. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hexEncode } from '@dime/core/bytes';
import {
  decodeMessage,
  encodeDnskey,
  encodeDs,
  encodeNsec3,
  encodeResponse,
  encodeTxt,
  formatRecord,
  labelsToName,
  labelsToWire,
  nameToLabels,
  parseZoneFile,
  type ResourceRecord,
} from '@dime/core/dns';

const label = fc.uint8Array({ minLength: 1, maxLength: 20 });
const name = fc.array(label, { minLength: 0, maxLength: 5 }).map((ls) => labelsToName(ls));
const typesList = fc.subarray(['A', 'NS', 'SOA', 'MX', 'TXT', 'AAAA', 'RRSIG', 'NSEC', 'DNSKEY', 'TYPE1234'], { minLength: 0 });

const rdataFor = fc.oneof(
  fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => ['A', b] as const),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => ['AAAA', b] as const),
  fc.array(fc.uint8Array({ maxLength: 255 }), { minLength: 1, maxLength: 4 }).map((s) => ['TXT', encodeTxt(s)] as const),
  fc.tuple(fc.integer({ min: 0, max: 65535 }), name).map(([p, n]) => ['MX', Uint8Array.from([p >> 8, p & 0xff, ...labelsToWire(nameToLabels(n))])] as const),
  fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ minLength: 1, maxLength: 48 }))
    .map(([keyTag, algorithm, digest]) => ['DS', encodeDs({ keyTag, algorithm, digestType: 2, digest })] as const),
  fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.uint8Array({ minLength: 1, maxLength: 64 }))
    .map(([flags, publicKey]) => ['DNSKEY', encodeDnskey({ flags, protocol: 3, algorithm: 13, publicKey })] as const),
  fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ minLength: 20, maxLength: 20 }), typesList)
    .map(([iterations, salt, nextHashed, types]) => ['NSEC3', encodeNsec3({ hashAlgorithm: 1, flags: 1, iterations, salt, nextHashed, types })] as const),
  fc.uint8Array({ maxLength: 40 }).map((b) => ['TYPE65280', b] as const)
);

describe('presentation round trip', () => {
  it('formatRecord then parseZoneFile gives the same owner and RDATA bytes', () => {
    fc.assert(
      fc.property(name, rdataFor, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (owner, [type, rdata], ttl) => {
        const rr: ResourceRecord = { name: owner, type, class: 'IN', ttl, rdata };
        const line = formatRecord(rr);
        const [back] = parseZoneFile(line + '\n');
        expect(back!.name).toBe(owner);
        expect(back!.ttl).toBe(ttl);
        expect(hexEncode(back!.rdata)).toBe(hexEncode(rdata));
        const [wire] = decodeMessage(encodeResponse({ id: 1, answers: [rr] })).answers;
        expect(hexEncode(wire!.rdata)).toBe(hexEncode(rdata));
        expect(wire!.name).toBe(owner);
      }),
      { numRuns: 400, seed: 4 }
    );
  });
});

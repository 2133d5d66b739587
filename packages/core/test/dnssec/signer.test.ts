import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNsec3, decodeRrsig, formatRecord, parseZoneFile, type ResourceRecord } from '@dime/core/dns';
import { WorkBudget, dnskeyRdataOf, generateZoneKey, keyTag, nsec3HashLabel, signZone, verifyRrset, type ZoneKey } from '@dime/core/dnssec';
import { hexDecode } from '@dime/core/bytes';

const ZONE = `$ORIGIN Signed.Test.
$TTL 300
@ SOA ns1 hostmaster 1 3600 600 86400 120
@ NS ns1
ns1 A 127.0.0.1
_dx TXT "ver=1"
*.wild TXT "w"
deep.ent.x A 192.0.2.1
child NS ns.child
ns.child A 127.0.0.9
secure NS ns.secure
secure DS 12345 13 2 0000000000000000000000000000000000000000000000000000000000000000
`;
const INCEPTION = new Date('2026-01-01T00:00:00Z');
const EXPIRATION = new Date('2027-01-01T00:00:00Z');
const NOW = new Date('2026-06-01T00:00:00Z');

function rrsets(records: ResourceRecord[]): ResourceRecord[][] {
  const map = new Map<string, ResourceRecord[]>();
  for (const r of records) {
    if (r.type === 'RRSIG') continue;
    const k = `${r.name.toLowerCase()}|${r.type}`;
    map.set(k, [...(map.get(k) ?? []), r]);
  }
  return [...map.values()];
}

function checkAllSignatures(signed: ResourceRecord[], origin: string): { signed: number; unsigned: string[] } {
  const keys = signed.filter((r) => r.type === 'DNSKEY');
  const sigs = signed.filter((r) => r.type === 'RRSIG');
  let count = 0;
  const unsigned: string[] = [];
  for (const set of rrsets(signed)) {
    const v = verifyRrset(set, sigs, keys, { now: NOW, budget: new WorkBudget({ ...new WorkBudget().limits, validationsPerLookup: 10_000 }), signer: origin });
    if (v.status === 'secure') count++;
    else unsigned.push(`${set[0]!.name} ${set[0]!.type}: ${v.reason}`);
  }
  return { signed: count, unsigned };
}

const tmp = mkdtempSync(join(tmpdir(), 'dime-signer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function haveTool(tool: string): boolean {
  const ok = spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
  if (!ok && process.env.DIME_REQUIRE_BIND === '1') throw new Error(`DIME_REQUIRE_BIND=1 but ${tool} is missing`);
  if (!ok) console.warn(`skipping ${tool} cross-check: not installed`);
  return ok;
}

const keysFor = (alg: number): ZoneKey[] => [generateZoneKey(alg, 257, 1024), generateZoneKey(alg, 256, 1024)];

describe('signZone', () => {
  const records = parseZoneFile(ZONE);

  it('NSEC: every authoritative RRset signed, delegations and glue left alone, a closed NSEC chain', () => {
    const keys = keysFor(13);
    const signed = signZone(records, { origin: 'signed.test.', keys, inception: INCEPTION, expiration: EXPIRATION });
    const { unsigned } = checkAllSignatures(signed, 'signed.test.');
    expect(unsigned.sort()).toEqual([
      'child.Signed.Test. NS: missing RRSIG for NS child.Signed.Test by signed.test',
      'ns.child.Signed.Test. A: missing RRSIG for A ns.child.Signed.Test by signed.test',
      'secure.Signed.Test. NS: missing RRSIG for NS secure.Signed.Test by signed.test',
    ]);
    const nsec = signed.filter((r) => r.type === 'NSEC').map(formatRecord);
    expect(nsec).toEqual([
      'Signed.Test. 120 IN NSEC _dx.Signed.Test. NS SOA RRSIG NSEC DNSKEY',
      '_dx.Signed.Test. 120 IN NSEC child.Signed.Test. TXT RRSIG NSEC',
      'child.Signed.Test. 120 IN NSEC ns1.Signed.Test. NS RRSIG NSEC',
      'ns1.Signed.Test. 120 IN NSEC secure.Signed.Test. A RRSIG NSEC',
      'secure.Signed.Test. 120 IN NSEC *.wild.Signed.Test. NS DS RRSIG NSEC',
      '*.wild.Signed.Test. 120 IN NSEC deep.ent.x.Signed.Test. TXT RRSIG NSEC',
      'deep.ent.x.Signed.Test. 120 IN NSEC Signed.Test. A RRSIG NSEC',
    ]);
    const dnskeySigs = signed.filter((r) => r.type === 'RRSIG' && decodeRrsig(r.rdata).typeCovered === 'DNSKEY').map((r) => decodeRrsig(r.rdata).keyTag);
    expect(dnskeySigs).toEqual([keyTag(dnskeyRdataOf(keys[0]!))]);
    const wild = signed.find((r) => r.type === 'RRSIG' && r.name === '*.wild.Signed.Test.')!;
    expect(decodeRrsig(wild.rdata).labels).toBe(3);
  });

  it('NSEC3 with opt-out: hashed chain with empty non-terminals, unsigned delegation left out, NSEC3PARAM', () => {
    const salt = hexDecode('aabbccdd');
    const signed = signZone(records, { origin: 'signed.test.', keys: keysFor(15), inception: INCEPTION, expiration: EXPIRATION, nsec: 'nsec3', nsec3: { iterations: 3, salt, optOut: true } });
    expect(checkAllSignatures(signed, 'signed.test.').unsigned.length).toBe(3);
    const owners = signed.filter((r) => r.type === 'NSEC3').map((r) => r.name.split('.')[0]!);
    const expected = ['signed.test.', '_dx.signed.test.', 'ns1.signed.test.', 'secure.signed.test.', '*.wild.signed.test.', 'wild.signed.test.', 'deep.ent.x.signed.test.', 'ent.x.signed.test.', 'x.signed.test.']
      .map((n) => nsec3HashLabel(n, salt, 3)).sort();
    expect(owners.map((o) => o.toLowerCase())).toEqual(expected);
    expect(owners).not.toContain(nsec3HashLabel('child.signed.test.', salt, 3));
    for (const r of signed.filter((x) => x.type === 'NSEC3')) expect(decodeNsec3(r.rdata).flags).toBe(1);
    expect(signed.filter((r) => r.type === 'NSEC3PARAM').map(formatRecord)).toEqual(['Signed.Test. 0 IN NSEC3PARAM 1 0 3 AABBCCDD']);
  });

  it('RFC 5155 Appendix A hash: H(example) with salt aabbccdd, 12 iterations', () => {
    expect(nsec3HashLabel('example.', hexDecode('aabbccdd'), 12)).toBe('0p9mhaveqvm6t7vbl5lop2u3t2rp3tom');
    expect(nsec3HashLabel('a.example.', hexDecode('aabbccdd'), 12)).toBe('35mthgpgcu1qg68fab165klnsnk3dpvl');
  });

  for (const [alg, nsec] of [[8, 'nsec'], [10, 'nsec3'], [13, 'nsec3'], [14, 'nsec'], [15, 'nsec'], [16, 'nsec3']] as const) {
    it(`algorithm ${alg} with ${nsec} passes ldns-verify-zone and dnssec-verify`, () => {
      const signed = signZone(records.filter((r) => !r.name.startsWith('secure')), { origin: 'signed.test.', keys: keysFor(alg), inception: INCEPTION, expiration: EXPIRATION, nsec });
      const file = join(tmp, `signed-${alg}-${nsec}.zone`);
      writeFileSync(file, signed.map(formatRecord).join('\n') + '\n');
      if (haveTool('ldns-verify-zone')) {
        const r = spawnSync('ldns-verify-zone', ['-t', '20260601000000', file], { encoding: 'utf8', timeout: 30_000 });
        expect(`${r.stdout}${r.stderr}`, 'ldns-verify-zone').toMatch(/Zone is verified and complete/);
        expect(r.status).toBe(0);
      }
      if (haveTool('dnssec-verify')) {
        const r = spawnSync('dnssec-verify', ['-q', '-o', 'signed.test', file], { encoding: 'utf8', timeout: 30_000 });
        expect(`${r.stdout}${r.stderr}`, 'dnssec-verify').not.toMatch(/fatal|error/i);
        expect(r.status).toBe(0);
      }
    });
  }
});

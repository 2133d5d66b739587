/**
 * Zones signed by BIND's dnssec-signzone, read back with our zone-file reader, served by
 * answerFromZones and validated by our validator (no network: the in-memory zone transport).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createZoneTransport, parseZoneFile } from '@dime/core/dns';
import { parseTrustAnchors, validateLookup } from '@dime/core/dnssec';

const HAVE_BIND = spawnSync('sh', ['-c', 'command -v dnssec-signzone && command -v dnssec-keygen']).status === 0;
if (!HAVE_BIND && process.env.DIME_REQUIRE_BIND === '1') throw new Error('DIME_REQUIRE_BIND=1 but dnssec-signzone is missing');
if (!HAVE_BIND) console.warn('skipping BIND-signed zone tests: dnssec-signzone not installed');

const ZONE = `$TTL 300
@ SOA ns1 hostmaster 1 3600 600 86400 300
@ NS ns1
ns1 A 127.0.0.1
_dx TXT "ver=1 pok=VGhpcyBpcyBub3QgYSByZWFsIGtleSwgb25seSBhIHRlc3Q" "pol=strict"
*.wild TXT "wildcard"
Mixed.Case A 192.0.2.7
`;

const tmp = mkdtempSync(join(tmpdir(), 'dime-bind-signed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function bindSign(origin: string, algorithm: string, extra: string[]): { records: ReturnType<typeof parseZoneFile>; ds: string } {
  const dir = mkdtempSync(join(tmp, 'z-'));
  writeFileSync(join(dir, 'zone'), ZONE);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  };
  const bits = algorithm.startsWith('RSA') ? ['-b', '1024'] : [];
  run('dnssec-keygen', ['-q', '-K', dir, '-a', algorithm, ...bits, '-f', 'KSK', '-n', 'ZONE', origin]);
  run('dnssec-keygen', ['-q', '-K', dir, '-a', algorithm, ...bits, '-n', 'ZONE', origin]);
  run('dnssec-signzone', ['-S', '-K', dir, '-o', origin, '-e', '+2592000', ...extra, '-f', join(dir, 'signed'), join(dir, 'zone')]);
  return { records: parseZoneFile(readFileSync(join(dir, 'signed'), 'utf8')), ds: readFileSync(join(dir, `dsset-${origin}.`), 'utf8') };
}

describe.skipIf(!HAVE_BIND).each([
  { algorithm: 'RSASHA256', nsec: 'NSEC3', extra: ['-3', '-', '-H', '0'] },
  { algorithm: 'ECDSAP256SHA256', nsec: 'NSEC', extra: [] },
  { algorithm: 'ED25519', nsec: 'NSEC', extra: [] },
  { algorithm: 'ECDSAP384SHA384', nsec: 'NSEC3 with salt', extra: ['-3', 'abcdef', '-H', '2'] },
  { algorithm: 'RSASHA512', nsec: 'NSEC', extra: [] },
  { algorithm: 'ED448', nsec: 'NSEC3', extra: ['-3', '-', '-H', '0'] },
  // validate-only legacy algorithms (RFC 8624): 5 and 7
  { algorithm: 'RSASHA1', nsec: 'NSEC', extra: [] },
  { algorithm: 'NSEC3RSASHA1', nsec: 'NSEC3', extra: ['-3', '-', '-H', '0'] },
])('a zone signed by dnssec-signzone ($algorithm, $nsec)', ({ algorithm, extra }) => {
  const origin = 'bind.test';
  const { records, ds } = HAVE_BIND ? bindSign(origin, algorithm, extra) : { records: [], ds: '' };
  const opts = () => ({ transport: createZoneTransport([{ origin: `${origin}.`, records }]), anchors: parseTrustAnchors(ds) });

  it('validates the _dx TXT, an NXDOMAIN, a NODATA and a wildcard answer', async () => {
    const txt = await validateLookup(`_dx.${origin}`, 'TXT', opts());
    expect(txt.status).toBe('secure');
    expect(txt.chain.map((c) => [c.zone, c.status])).toEqual([['bind.test.', 'secure']]);
    const nx = await validateLookup(`nope.${origin}`, 'TXT', opts());
    expect([nx.status, nx.rcode]).toEqual(['secure', 'NXDOMAIN']);
    const nodata = await validateLookup(`_dx.${origin}`, 'A', opts());
    expect([nodata.status, nodata.rcode, nodata.records.length]).toEqual(['secure', 'NOERROR', 0]);
    const wild = await validateLookup(`foo.wild.${origin}`, 'TXT', opts());
    expect(wild.status).toBe('secure');
    expect(wild.reason).toMatch(/wildcard expansion for foo\.wild\.bind\.test proven by NSEC3? from bind\.test/);
    const mixed = await validateLookup(`mixed.case.${origin}`, 'A', opts());
    expect(mixed.status).toBe('secure');
  });

  it('a tampered TXT is bogus', async () => {
    const tampered = records.map((r) => (r.type === 'TXT' && r.name.startsWith('_dx') ? { ...r, rdata: Uint8Array.from([5, ...Buffer.from('ver=2')]) } : r));
    const r = await validateLookup(`_dx.${origin}`, 'TXT', { transport: createZoneTransport([{ origin: `${origin}.`, records: tampered }]), anchors: parseTrustAnchors(ds) });
    expect(r.status).toBe('bogus');
    expect(r.reason).toMatch(/^RRSIG TXT _dx\.bind\.test by bind\.test\/\d+ does not verify$/);
  });
});

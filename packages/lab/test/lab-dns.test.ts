/**
 * The lab's own DNS, checked in-process by @dime/core's validator and, when BIND's tools are on the
 * machine, by `delv` (an independent validator) with the anchor the lab wrote.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStubTransport, decodeMessage, decodeRrsig, type DnsTransport } from '@dime/core/dns';
import { parseTrustAnchors, validateLookup } from '@dime/core/dnssec';
import { EXPIRED_WINDOW, labZoneText, startLabDns, type LabDns } from '../src/index.js';

const DX_LINE = '_dx.example.test. 3600 IN TXT "ver=1 pok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA dx=dx.example.test"';

describe('lab zone text', () => {
  it('delegates . → test. → example.test. with glue and carries the record and the DX address', () => {
    const content = { dxZoneLine: DX_LINE, serverAddress: () => '127.0.0.1' };
    expect(labZoneText('.', content)).toBe(
      [
        '; the root zone of the DIME lab',
        '$TTL 300',
        '. 300 IN SOA ns.root. hostmaster.root. 1 3600 600 86400 300',
        '. 300 IN NS ns.root.',
        'ns.root. 300 IN A 127.0.0.1',
        'test. 300 IN NS ns.test.',
        'ns.test. 300 IN A 127.0.0.1',
        '',
      ].join('\n')
    );
    const child = labZoneText('example.test.', content);
    expect(child).toContain(`${DX_LINE}\ndx.example.test. 300 IN A 127.0.0.1\n`);
    expect(child).not.toMatch(/ NS ns\.(test|root)\./);
  });
});

describe('lab DNS server', () => {
  let dir: string;
  let dns: LabDns;
  let transport: DnsTransport;
  let anchors: ReturnType<typeof parseTrustAnchors>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lab-dns-test-'));
    dns = await startLabDns({ dir, dxZoneLine: DX_LINE });
    transport = createStubTransport({ server: dns.resolver, timeoutMs: 2000, retries: 1 });
    anchors = parseTrustAnchors(readFileSync(dns.trustAnchorFile, 'utf8'));
  });
  afterAll(async () => {
    await dns?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the root KSK as one DS line', () => {
    expect(readFileSync(dns.trustAnchorFile, 'utf8')).toMatch(/^\. 300 IN DS \d+ 13 2 [0-9A-F]{64}\n$/);
    expect(anchors).toHaveLength(1);
  });

  it('serves _dx.example.test TXT secure through the whole chain', async () => {
    const result = await validateLookup('_dx.example.test.', 'TXT', { transport, anchors });
    expect(result.status, result.reason).toBe('secure');
    expect(result.chain.map((c) => [c.zone, c.status])).toEqual([
      ['.', 'secure'],
      ['test.', 'secure'],
      ['example.test.', 'secure'],
    ]);
  });

  it('proves NXDOMAIN with NSEC and serves the DX address', async () => {
    const nx = await validateLookup('nope.example.test.', 'A', { transport, anchors });
    expect([nx.status, nx.rcode, nx.records.length]).toEqual(['secure', 'NXDOMAIN', 0]);
    const a = await validateLookup('dx.example.test.', 'A', { transport, anchors });
    expect(a.status).toBe('secure');
  });

  it('answers a DS query from the parent zone', async () => {
    const response = decodeMessage(await transport.query({ name: 'example.test.', type: 'DS' }));
    const sigs = response.answers.filter((rr) => rr.type === 'RRSIG');
    expect(response.answers.filter((rr) => rr.type === 'DS')).toHaveLength(1);
    expect(sigs.map((rr) => decodeRrsig(rr.rdata).signerName)).toEqual(['test.']);
  });

  it('is fully validated by delv', async (ctx) => {
    if (spawnSync('sh', ['-c', 'command -v delv']).status !== 0) {
      console.warn('skipping the delv cross-check: delv is not installed');
      ctx.skip();
    }
    const [, tag, alg, digestType, digest] = /IN DS (\d+) (\d+) (\d+) ([0-9A-F]+)/.exec(readFileSync(dns.trustAnchorFile, 'utf8'))!;
    const anchorFile = join(dir, 'anchor.conf');
    writeFileSync(anchorFile, `trust-anchors { . static-ds ${tag} ${alg} ${digestType} "${digest}"; };\n`);
    const [host, port] = dns.resolver.split(':');
    // Asynchronous: the server answering delv runs in this process.
    const out = await promisify(execFile)('delv', ['-a', anchorFile, '-p', port!, `@${host}`, '+cd', '_dx.example.test', 'TXT'], { encoding: 'utf8', timeout: 20_000 });
    expect(`${out.stdout}${out.stderr}`).toContain('; fully validated');
  });

  it('re-signs with expired signatures (bogus, naming the expiry) and back', async () => {
    await dns.resign('example.test.', { window: EXPIRED_WINDOW });
    const bogus = await validateLookup('_dx.example.test.', 'TXT', { transport, anchors });
    expect(bogus.status).toBe('bogus');
    expect(bogus.reason).toMatch(/expired 2020-02-01T00:00:00Z/);
    await dns.resign('example.test.');
    const ok = await validateLookup('_dx.example.test.', 'TXT', { transport, anchors });
    expect(ok.status).toBe('secure');
  });
});

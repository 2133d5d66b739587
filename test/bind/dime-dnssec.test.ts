/**
 * `dime lookup` and `dime record` (the built bin) against real BIND laid out as the Internet is, in
 * every variant: healthy answers, proven NXDOMAIN and NODATA, wildcards with and without their proof,
 * an insecure delegation, and four broken zones whose reasons must name the failing zone and key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStubTransport, decodeMessage } from '@dime/core/dns';
import { skipWithoutBind } from './support.js';
import { ALL_AUTHORITATIVE_ADDRESSES, BIND_VARIANTS, VARIANTS, pokFor, startBindWorld, type BindWorld } from './world.js';
import { ensureDimeBuilt, runDime, type DimeRun } from './run-dime.js';
import { scrambleResponse, startDnsProxy, stripDenialProofsFor, type DnsProxy } from './dns-proxy.js';

const skip = skipWithoutBind('dime against BIND', ALL_AUTHORITATIVE_ADDRESSES);

const SECURE_CHAIN = ['.', 'test.', 'example.test.'];
/** Eight 200-byte TXT RRs: about 1.7 kB, more than the 1232 bytes a UDP answer may carry. */
const BIG_TXT = Array.from({ length: 8 }, (_, i) => `big TXT "${String(i).repeat(200)}"`);

/** A presentation line with any TTL (the resolver's cache counts TTLs down, capped at 30 s). */
function ttlFree(line: string): unknown {
  const [owner, rest] = line.split(' * ');
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return expect.stringMatching(new RegExp(`^${escape(owner!)} (30|[12]?[0-9]) ${escape(rest!)}$`));
}

describe.skipIf(skip).each(BIND_VARIANTS)('dime against BIND, %s', (variant) => {
  let world: BindWorld;
  let proxy: DnsProxy;
  let scrambler: DnsProxy;
  const spec = VARIANTS[variant];

  beforeAll(async () => {
    [world] = await Promise.all([startBindWorld({ variant, extraRecords: BIG_TXT }), ensureDimeBuilt()]);
    // Strips the NSEC/NSEC3 proofs from the answers to two TXT questions only, as an on-path attacker would.
    proxy = await startDnsProxy(world.resolver, stripDenialProofsFor(['bar.wild.example.test.', 'gone.example.test.'], 'TXT'));
    scrambler = await startDnsProxy(world.resolver, scrambleResponse);
  });
  afterAll(async () => {
    await proxy?.close();
    await scrambler?.close();
    await world?.stop();
  });

  const dime = (...args: string[]): Promise<DimeRun> => runDime([...args, '--resolver', world.resolver, '--trust-anchor', world.trustAnchorFile, '--timeout', '2000']);
  const lookup = async (name: string, type: string, ...extra: string[]): Promise<DimeRun> => {
    const run = await dime('lookup', name, type, '--json', ...extra);
    expect(run.json, `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toBeDefined();
    return run;
  };
  const zoneOf = (zone: string) => world.zones[zone]!;

  describe('dime lookup', () => {
    it('validates the _dx TXT from the root anchor down', async () => {
      const run = await lookup('_dx.example.test', 'TXT');
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(Object.keys(run.json)).toEqual(['name', 'type', 'status', 'rcode', 'reason', 'records', 'chain']);
      expect(run.json).toMatchObject({ name: '_dx.example.test.', type: 'TXT', status: 'secure', rcode: 'NOERROR' });
      expect(run.json.records).toEqual([ttlFree(`_dx.example.test. * IN TXT "${zoneOf('example.test.').dxText}"`)]);
      expect(run.json.chain.map((l: { zone: string }) => l.zone)).toEqual(SECURE_CHAIN);
      expect(run.json.chain.map((l: { status: string }) => l.status)).toEqual(['secure', 'secure', 'secure']);
      expect(typeof run.json.reason).toBe('string');
      expect(run.json.reason).not.toMatch(/\n/);
    });

    it('validates names asked in mixed case, and owners written in mixed case', async () => {
      const asked = await lookup('_DX.Example.TEST', 'txt');
      expect(asked.json).toMatchObject({ status: 'secure', rcode: 'NOERROR', type: 'TXT' });
      expect(asked.json.records).toHaveLength(1);
      const owner = await lookup('mixed.example.test', 'TXT');
      expect(owner.json).toMatchObject({ status: 'secure', rcode: 'NOERROR' });
      // BIND answers with the owner as the zone spells it: the signature covers the lower-cased form.
      expect(owner.json.records).toEqual([ttlFree('MiXeD.example.test. * IN TXT "case is preserved"')]);
    });

    it('proves an NXDOMAIN', async () => {
      const run = await lookup('nope.example.test', 'TXT');
      expect(run.code).toBe(0);
      expect(run.json).toMatchObject({ status: 'secure', rcode: 'NXDOMAIN', records: [] });
      expect(run.json.reason).toMatch(spec.nsec3 ? /NSEC3/ : /NSEC/);
    });

    it('proves a NODATA', async () => {
      const run = await lookup('www.example.test', 'TXT');
      expect(run.code).toBe(0);
      expect(run.json).toMatchObject({ status: 'secure', rcode: 'NOERROR', records: [] });
      const a = await lookup('www.example.test', 'A');
      expect(a.json).toMatchObject({ status: 'secure', rcode: 'NOERROR', records: [ttlFree('www.example.test. * IN A 192.0.2.10')] });
    });

    it('validates a wildcard-expanded answer with its proof', async () => {
      const run = await lookup('foo.wild.example.test', 'TXT');
      expect(run.code).toBe(0);
      expect(run.json).toMatchObject({ status: 'secure', rcode: 'NOERROR', records: [ttlFree('foo.wild.example.test. * IN TXT "wildcard answer"')] });
    });

    it('calls the same wildcard answer bogus when the proof is stripped on the way', async () => {
      const run = await runDime(['lookup', 'bar.wild.example.test', 'TXT', '--json', '--resolver', proxy.resolver, '--trust-anchor', world.trustAnchorFile]);
      expect(run.code).toBe(1);
      expect(run.json).toMatchObject({ status: 'bogus', error: { code: 'DNSSEC_BOGUS' } });
      expect(run.json.reason).toMatch(/wildcard/i);
      expect(run.stderr).toBe(`dime: error: bogus: ${run.json.reason}\n`);
    });

    it('calls an NXDOMAIN without its proof bogus', async () => {
      const run = await runDime(['lookup', 'gone.example.test', 'TXT', '--json', '--resolver', proxy.resolver, '--trust-anchor', world.trustAnchorFile]);
      expect(run.code).toBe(1);
      expect(run.json).toMatchObject({ status: 'bogus', rcode: 'NXDOMAIN' });
    });

    it('proves the delegation to unsigned.test insecure', async () => {
      const run = await lookup('_dx.unsigned.test', 'TXT');
      expect(run.code).toBe(0);
      expect(run.json).toMatchObject({ status: 'insecure', rcode: 'NOERROR' });
      expect(run.json.records).toHaveLength(1);
      const chain = run.json.chain as Array<{ zone: string; status: string }>;
      expect(chain.slice(0, 2)).toMatchObject([
        { zone: '.', status: 'secure' },
        { zone: 'test.', status: 'secure' },
      ]);
      expect(chain[chain.length - 1]).toMatchObject({ zone: 'unsigned.test.', status: 'insecure' });
      expect(run.json.reason).toContain('unsigned.test');
    });

    it('finds the expired RRSIG, naming zone, key and date (the wording of profile §4)', async () => {
      const zone = zoneOf('expired.test.');
      const run = await lookup('_dx.expired.test', 'TXT');
      expect(run.code).toBe(1);
      expect(run.json).toMatchObject({ status: 'bogus', error: { code: 'DNSSEC_BOGUS' } });
      expect(run.json.reason).toBe(`RRSIG TXT _dx.expired.test by expired.test/${zone.zsk} expired 2020-02-01T00:00:00Z`);
      expect(run.stderr).toBe(`dime: error: bogus: ${run.json.reason}\n`);
    });

    it('finds the tampered TXT, naming zone and key', async () => {
      const zone = zoneOf('tampered.test.');
      const run = await lookup('_dx.tampered.test', 'TXT');
      expect(run.code).toBe(1);
      expect(run.json.status).toBe('bogus');
      expect(run.json.reason).toContain(`tampered.test/${zone.zsk}`);
    });

    it('finds the DS that points at no key, naming zone and tag', async () => {
      const zone = zoneOf('nokey.test.');
      const run = await lookup('_dx.nokey.test', 'TXT');
      expect(run.code).toBe(1);
      expect(run.json.status).toBe('bogus');
      expect(run.json.reason).toContain('nokey.test');
      expect(run.json.reason).toContain(String(zone.ghostDsTag));
      const chain = run.json.chain as Array<{ zone: string; status: string }>;
      expect(chain[chain.length - 1]).toMatchObject({ zone: 'nokey.test.', status: 'bogus' });
    });

    it('finds the missing RRSIG, naming the zone', async () => {
      const run = await lookup('_dx.norrsig.test', 'TXT');
      expect(run.code).toBe(1);
      expect(run.json.status).toBe('bogus');
      expect(run.json.reason).toContain('norrsig.test');
      expect(run.json.reason).toMatch(/RRSIG/);
    });

    it('really scrambles: the scrambler changes case and order on the wire', async () => {
      const direct = decodeMessage(await createStubTransport({ server: world.resolver }).query({ name: 'example.test', type: 'DNSKEY' }));
      const scrambled = decodeMessage(await createStubTransport({ server: scrambler.resolver }).query({ name: 'example.test', type: 'DNSKEY' }));
      expect(scrambled.question[0]!.name).toBe('ExAmPlE.tEsT.');
      expect(scrambled.answers.map((rr) => rr.name)).toEqual(direct.answers.map(() => 'ExAmPlE.tEsT.'));
      expect(scrambled.answers.map((rr) => rr.type)).toEqual(direct.answers.map((rr) => rr.type).reverse());
    });

    it.each([
      ['_dx.example.test', 'TXT', 'secure', 'NOERROR', 1],
      ['foo.wild.example.test', 'TXT', 'secure', 'NOERROR', 1],
      ['nope.example.test', 'TXT', 'secure', 'NXDOMAIN', 0],
      ['www.example.test', 'TXT', 'secure', 'NOERROR', 0],
      ['example.test', 'DNSKEY', 'secure', 'NOERROR', 2],
      ['_dx.unsigned.test', 'TXT', 'insecure', 'NOERROR', 1],
    ])('validates %s %s the same with case flipped, RRs reversed and names recompressed', async (name, type, status, rcode, count) => {
      const run = await runDime(['lookup', name, type, '--json', '--resolver', scrambler.resolver, '--trust-anchor', world.trustAnchorFile]);
      expect(run.json, run.stderr).toMatchObject({ status, rcode });
      expect(run.json.records).toHaveLength(count);
      expect(run.code).toBe(0);
    });

    it('takes an answer too big for UDP over TCP from the resolver', async () => {
      const run = await dime('lookup', 'big.example.test', 'TXT', '--json', '-vv');
      expect(run.code).toBe(0);
      expect(run.json).toMatchObject({ status: 'secure', rcode: 'NOERROR' });
      expect(run.json.records).toHaveLength(8);
      expect(run.stderr).toContain('dime: truncated UDP answer for big.example.test. TXT; retrying over TCP\n');
    });

    it('prints a delv-like human layout', async () => {
      const run = await dime('lookup', '_dx.example.test', 'TXT');
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^; secure \(NOERROR\): .+/);
      expect(lines[1]).toEqual(ttlFree(`_dx.example.test. * IN TXT "${zoneOf('example.test.').dxText}"`));
      expect(lines[2]).toBe('; chain:');
      expect(lines.slice(3).map((l) => l.split(/\s+/).slice(1, 3))).toEqual(SECURE_CHAIN.map((z) => [z, 'secure']));
    });
  });

  describe('dime record', () => {
    it('prints the record of example.test with its status, in the contract keys', async () => {
      const run = await dime('record', 'example.test', '--json');
      expect(run.code).toBe(0);
      expect(Object.keys(run.json)).toEqual([
        'domain', 'source', 'dnssec', 'version', 'pok', 'tls', 'policy', 'subdomain', 'dx', 'syndicates', 'expiry', 'reason', 'chain',
      ]);
      expect(run.json).toMatchObject({
        domain: 'example.test',
        source: 'dns',
        dnssec: 'secure',
        version: 1,
        pok: [pokFor('example.test')],
        tls: [],
        policy: 'experimental',
        subdomain: 'strict',
        dx: ['dx.example.test'],
        syndicates: [],
        expiry: null,
      });
      expect(run.json.chain.map((l: { zone: string }) => l.zone)).toEqual(SECURE_CHAIN);
    });

    it('shows a human summary', async () => {
      const run = await dime('record', 'alice@example.test');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('_dx.example.test: DIME record, DNSSEC secure');
      expect(run.stdout).toContain(`  pok         ${pokFor('example.test')}`);
      expect(run.stdout).toContain('  dx          dx.example.test');
    });

    it('accepts an insecure record, unless --require-dnssec', async () => {
      const run = await dime('record', 'unsigned.test', '--json');
      expect(run.code).toBe(0);
      expect(run.json).toMatchObject({ domain: 'unsigned.test', dnssec: 'insecure', pok: [pokFor('unsigned.test')] });
      const strict = await dime('record', 'unsigned.test', '--json', '--require-dnssec');
      expect(strict.code).toBe(1);
      expect(strict.json).toMatchObject({ dnssec: 'insecure', pok: [pokFor('unsigned.test')], error: { code: 'DNSSEC_INSECURE' } });
      expect(strict.stderr).toMatch(/^dime: error: insecure: .+ \(--require-dnssec\)\n$/);
    });

    it.each([
      ['tampered.test.', (z: { zsk?: number }) => `tampered.test/${z.zsk}`],
      ['expired.test.', (z: { zsk?: number }) => `expired.test/${z.zsk}`],
      ['nokey.test.', (z: { ghostDsTag?: number }) => String(z.ghostDsTag)],
      ['norrsig.test.', () => 'norrsig.test'],
    ])('refuses the record of %s as bogus', async (zoneName, needle) => {
      const domain = zoneName.replace(/\.$/, '');
      const run = await dime('record', domain, '--json');
      expect(run.code).toBe(1);
      expect(run.json).toMatchObject({ domain, dnssec: 'bogus', version: null, pok: null, error: { code: 'DNSSEC_BOGUS' } });
      expect(run.json.reason).toContain(needle(zoneOf(zoneName)));
      expect(run.stderr).toMatch(/^dime: error: bogus: .+\n$/);
    });

    it('reports a provably absent record (NXDOMAIN) as exit 1', async () => {
      const run = await dime('record', 'www.example.test', '--json');
      expect(run.code).toBe(1);
      expect(run.json).toMatchObject({ domain: 'www.example.test', dnssec: 'secure', pok: null, error: { code: 'NO_RECORD' } });
      expect(run.json.error.message).toBe('no DIME record at _dx.www.example.test: the name does not exist (secure, NXDOMAIN)');
    });
  });
});

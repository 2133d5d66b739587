/**
 * `dime record` and `dime lookup` in-process (`main(argv, output, options)`), against zones signed by
 * our signer and served by our zone server on loopback: exact JSON, human layout, exit codes,
 * usage and input errors, the record rules, and the injectable clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { startZoneServer, type ZoneServer } from '@dime/core/dns';
import { main } from '../src/cli.js';
import type { MainOptions } from '../src/context.js';
import { buildOwnSignedHierarchy, type OwnSignedHierarchy } from '../../../test/bind/own-signer.js';
import { pokFor, quoteTxt } from '../../../test/bind/world.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json?: any;
}

let dir: string;
let world: OwnSignedHierarchy;
let server: ZoneServer;
let anchors: { dsFile: string; bindFile: string };

const POK = pokFor('example.test');
const TLS = ['a', 'b', 'c'].map((seed) => createHash('sha512').update(seed).digest('base64').replace(/=+$/, ''));
const LONG_RECORD = `ver=1 pok=${POK} ${TLS.map((t) => `tls=${t}`).join(' ')} dx=dx.example.test`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dime-cli-'));
  world = buildOwnSignedHierarchy({
    algorithm: 13,
    nsec: 'nsec',
    expiration: new Date('2031-01-01T00:00:00Z'),
    inception: new Date('2025-01-01T00:00:00Z'),
    extraRecords: [
      '_dx.bad TXT "ver=1 pok=tooshort"',
      `_dx.two TXT "ver=1 pok=${POK}"`,
      `_dx.two TXT "pok=${POK} pol=strict"`,
      '_dx.spf TXT "v=spf1 -all"',
      '_dx.notxt A 192.0.2.1',
      // 321 characters: two character-strings, joined with no separator (profile §3)
      `_dx.long TXT ${quoteTxt(LONG_RECORD)}`,
      `_dx.full TXT "ver=1 pok=${POK} pol=strict sub=relaxed dx=a.example.test dx=b.example.test syn=s.example exp=30 color=blue"`,
    ],
  });
  anchors = world.writeAnchors(dir);
  server = await startZoneServer({ zones: world.zones });
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function dime(argv: string[], options: MainOptions = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) }, options);
  const run: Run = { code, stdout, stderr };
  if (stdout.trim().startsWith('{')) run.json = JSON.parse(stdout);
  return run;
}

const net = (): string[] => ['--resolver', server.address, '--trust-anchor', anchors.dsFile];

describe('dime lookup', () => {
  it('prints the contract JSON for a secure answer', async () => {
    const run = await dime(['lookup', '_dx.example.test', 'TXT', '--json', ...net()]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const { reason, chain, ...rest } = run.json;
    expect(rest).toEqual({
      name: '_dx.example.test.',
      type: 'TXT',
      status: 'secure',
      rcode: 'NOERROR',
      records: [`_dx.example.test. 300 IN TXT "ver=1 pok=${POK} dx=dx.example.test"`],
    });
    expect(Object.keys(run.json)).toEqual(['name', 'type', 'status', 'rcode', 'reason', 'records', 'chain']);
    expect(reason).toEqual(expect.any(String));
    expect(chain).toEqual([
      { zone: '.', status: 'secure', reason: expect.any(String) },
      { zone: 'test.', status: 'secure', reason: expect.any(String) },
      { zone: 'example.test.', status: 'secure', reason: expect.any(String) },
    ]);
  });

  it('defaults the type to A and prints the delv-like layout', async () => {
    const run = await dime(['lookup', 'www.example.test', ...net()]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^; secure \(NOERROR\): \S.*$/);
    expect(lines[1]).toBe('www.example.test. 300 IN A 192.0.2.10');
    expect(lines[2]).toBe('; chain:');
    expect(lines.slice(3, 6).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      [';', '.', 'secure'],
      [';', 'test.', 'secure'],
      [';', 'example.test.', 'secure'],
    ]);
    expect(lines[6]).toBe('');
    expect(lines).toHaveLength(7);
  });

  it('accepts BIND trust-anchors files as well', async () => {
    const run = await dime(['lookup', 'nope.example.test', 'txt', '--json', '--resolver', server.address, '--trust-anchor', anchors.bindFile]);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ type: 'TXT', status: 'secure', rcode: 'NXDOMAIN', records: [] });
  });

  it('is bogus (exit 1) under an anchor for another key', async () => {
    const other = buildOwnSignedHierarchy({ algorithm: 13, nsec: 'nsec' }).writeAnchors(mkdtempSync(join(dir, 'other-')));
    const run = await dime(['lookup', '_dx.example.test', 'TXT', '--json', '--resolver', server.address, '--trust-anchor', other.dsFile]);
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ status: 'bogus', error: { code: 'DNSSEC_BOGUS' } });
    expect(run.json.chain[0]).toMatchObject({ zone: '.', status: 'bogus' });
    expect(run.stderr).toBe(`dime: error: bogus: ${run.json.reason}\n`);
  });

  it('judges signatures by the injected clock: after the window they are expired', async () => {
    const run = await dime(['lookup', '_dx.example.test', 'TXT', '--json', ...net()], { now: new Date('2032-06-01T00:00:00Z') });
    expect(run.code).toBe(1);
    expect(run.json.status).toBe('bogus');
    expect(run.json.reason).toContain('2031-01-01T00:00:00Z');
  });

  it('passes an insecure answer, and fails it (exit 1) under --require-dnssec', async () => {
    const ok = await dime(['lookup', '_dx.unsigned.test', 'TXT', '--json', ...net()]);
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ status: 'insecure', records: [expect.stringContaining('_dx.unsigned.test. 300 IN TXT')] });
    expect(ok.json.error).toBeUndefined();
    const strict = await dime(['lookup', '_dx.unsigned.test', 'TXT', '--json', '--require-dnssec', ...net()]);
    expect(strict.code).toBe(1);
    expect(strict.json).toMatchObject({ status: 'insecure', error: { code: 'DNSSEC_INSECURE' } });
    expect(strict.stderr).toBe(`dime: error: insecure: ${strict.json.reason} (--require-dnssec)\n`);
  });

  it('logs the resolver with -v and every query with -vv', async () => {
    const one = await dime(['lookup', '_dx.example.test', 'TXT', '-v', ...net()]);
    expect(one.stderr).toBe(`dime: resolver ${server.address}, 1 trust anchor\n`);
    const two = await dime(['lookup', '_dx.example.test', 'TXT', '-vv', ...net()]);
    expect(two.stderr).toContain(`dime: query . DNSKEY to ${server.address} over UDP (attempt 1)\n`);
    expect(two.stderr).toMatch(/dime: answer for _dx\.example\.test\. TXT: \d+ bytes, NOERROR\n/);
  });

  it('talks to an IPv6 resolver written [::1]:PORT', async () => {
    const v6 = await startZoneServer({ zones: world.zones, host: '::1' });
    try {
      const run = await dime(['lookup', '_dx.example.test', 'TXT', '--json', '--resolver', v6.address, '--trust-anchor', anchors.dsFile]);
      expect(v6.address).toBe(`[::1]:${v6.port}`);
      expect(run.code).toBe(0);
      expect(run.json.status).toBe('secure');
    } finally {
      await v6.close();
    }
  });

  it('asks the first nameserver of resolv.conf without --resolver', async () => {
    const conf = join(dir, 'resolv.conf');
    writeFileSync(conf, '# test\nsearch example\nnameserver 127.0.0.1\nnameserver 192.0.2.1\n');
    const run = await dime(['lookup', 'example.test', 'SOA', '-v', '--timeout', '200', '--trust-anchor', anchors.dsFile], { resolvConf: conf });
    expect(run.stderr.split('\n')[0]).toBe('dime: resolver 127.0.0.1:53 (from resolv.conf), 1 trust anchor');
  });

  it.each([
    [['lookup', 'example.test', 'NOTATYPE'], 'type "NOTATYPE": not a DNS type mnemonic or TYPEnnn'],
    [['lookup', 'example.test', 'AXFR'], 'type AXFR: a meta type, not an RRset that can be validated'],
    [['lookup', 'a..b'], 'name "a..b": empty label in "a..b"'],
    [['lookup', 'example.test', '--timeout', '0'], '--timeout 0: expected milliseconds from 1 to 600000'],
    [['lookup', 'example.test', '--resolver', '127.0.0.1:99999'], 'resolver "127.0.0.1:99999": port "99999" is not a number from 1 to 65535'],
    [['record', '.'], 'domain: the root has no DIME record'],
  ])('usage error %j exits 2 before any query', async (argv, message) => {
    const run = await dime([...argv, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.json.error.code).toBe('USAGE');
  });

  it('exits 3 for a missing or unreadable trust anchor file', async () => {
    const missing = await dime(['lookup', 'example.test', '--trust-anchor', join(dir, 'none.key'), '--resolver', server.address, '--json']);
    expect(missing.code).toBe(3);
    expect(missing.json.error).toEqual({ code: 'BAD_INPUT', message: `trust anchor file ${join(dir, 'none.key')}: cannot read (ENOENT)` });
    const junk = join(dir, 'junk.key');
    writeFileSync(junk, 'this is not an anchor\n');
    const bad = await dime(['lookup', 'example.test', '--trust-anchor', junk, '--resolver', server.address]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(new RegExp(`^dime: error: trust anchor file ${junk.replace(/[/.]/g, '\\$&')}: .+\\n$`));
  });
});

describe('dime record', () => {
  it('prints the record object plus reason and chain', async () => {
    const run = await dime(['record', 'example.test', '--json', ...net()]);
    expect(run.code).toBe(0);
    expect(run.json).toEqual({
      domain: 'example.test',
      source: 'dns',
      dnssec: 'secure',
      version: 1,
      pok: [POK],
      tls: [],
      policy: 'experimental',
      subdomain: 'strict',
      dx: ['dx.example.test'],
      syndicates: [],
      expiry: null,
      reason: expect.any(String),
      chain: [
        { zone: '.', status: 'secure', reason: expect.any(String) },
        { zone: 'test.', status: 'secure', reason: expect.any(String) },
        { zone: 'example.test.', status: 'secure', reason: expect.any(String) },
      ],
    });
  });

  it('shows every field, and with -v the ignored ones and the TXT as received', async () => {
    const run = await dime(['record', 'full.example.test', '-v', ...net()]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 12)).toEqual([
      '_dx.full.example.test: DIME record, DNSSEC secure',
      '  version     1',
      `  pok         ${POK}`,
      '  tls         -',
      '  policy      strict',
      '  subdomain   relaxed',
      '  dx          a.example.test',
      '              b.example.test',
      '  syndicates  s.example',
      '  expiry      30 days',
      '  (ignored)   color=blue',
      `; _dx.full.example.test. 300 IN TXT "ver=1 pok=${POK} pol=strict sub=relaxed dx=a.example.test dx=b.example.test syn=s.example exp=30 color=blue"`,
    ]);
    expect(lines[12]).toMatch(/^; secure \(NOERROR\): /);
  });

  it('joins a record split over several character-strings', async () => {
    expect(LONG_RECORD.length).toBeGreaterThan(255);
    const run = await dime(['record', 'long.example.test', '--json', ...net()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ pok: [POK], tls: TLS, dx: ['dx.example.test'] });
  });

  it('takes the domain of user@domain, and a trailing dot names the same domain', async () => {
    for (const argument of ['alice@example.test', 'example.test.', 'EXAMPLE.test']) {
      const run = await dime(['record', argument, '--json', ...net()]);
      expect(run.code).toBe(0);
      expect(run.json.domain.toLowerCase()).toBe('example.test');
      expect(run.json.pok).toEqual([POK]);
    }
  });

  it('says NO_RECORD for a name that exists without TXT records', async () => {
    const run = await dime(['record', 'notxt.example.test', '--json', ...net()]);
    expect(run.code).toBe(1);
    expect(run.json.error).toEqual({ code: 'NO_RECORD', message: 'no DIME record at _dx.notxt.example.test: the name has no TXT records (secure, NOERROR)' });
  });

  it.each([
    ['bad.example.test', 'RECORD_INVALID', /^_dx\.bad\.example\.test: pok: 8 characters, expected 43/],
    ['two.example.test', 'RECORD_INVALID', /^_dx\.two\.example\.test: ambiguous DIME record$/],
    ['spf.example.test', 'NO_RECORD', /^_dx\.spf\.example\.test: no DIME record$/],
    ['www.example.test', 'NO_RECORD', /^no DIME record at _dx\.www\.example\.test: the name does not exist \(secure, NXDOMAIN\)$/],
  ])('%s: exit 1, %s', async (domain, code, message) => {
    const run = await dime(['record', domain, '--json', ...net()]);
    expect(run.code).toBe(1);
    expect(run.json.error.code).toBe(code);
    expect(run.json.error.message).toMatch(message);
    expect(run.json).toMatchObject({ dnssec: 'secure', version: null, pok: null, tls: null });
    expect(run.stderr).toBe(`dime: error: ${run.json.error.message}\n`);
  });

  it('is insecure below an unsigned delegation, and fails only under --require-dnssec', async () => {
    const ok = await dime(['record', 'unsigned.test', ...net()]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toBe('_dx.unsigned.test: DIME record, DNSSEC insecure');
    const strict = await dime(['record', 'unsigned.test', '--require-dnssec', '--json', ...net()]);
    expect(strict.code).toBe(1);
    expect(strict.json.error.code).toBe('DNSSEC_INSECURE');
    expect(strict.json.pok).toEqual([pokFor('unsigned.test')]);
  });
});

describe('dime itself', () => {
  it('prints help and version with exit 0, and help on no arguments with exit 2', async () => {
    const help = await dime(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('lookup [options] <name> [type]');
    expect(help.stdout).toContain('record [options] <domain>');
    const version = await dime(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const none = await dime([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: dime');
  });
});

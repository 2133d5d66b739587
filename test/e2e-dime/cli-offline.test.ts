/**
 * `dime <name>` driven in-process through `main(argv)`: flags, usage errors, the JSON objects of the
 * contract key for key, human output, `-o`, the wire log — against the offline world of
 * packages/core/test/resolve (signed in-memory DNS, a real DX on loopback).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRecord } from '@dime/core/dns';
import { decodeSignetObject, fingerprints } from '@dime/core/signet';
import { main } from '../../packages/dime/src/cli.js';
import { certificates, dnsWorld, identities, pin, recordText, startDx, type Dx } from '../../packages/core/test/resolve/world.js';

let dx: Dx;
let dir: string;
let anchorFile: string;
let caFile: string;
const ids = identities();

beforeAll(async () => {
  dx = await startDx(certificates().good);
  dir = mkdtempSync(join(tmpdir(), 'dime-cli-'));
  anchorFile = join(dir, 'anchor.ds');
  const { anchors } = dnsWorld();
  writeFileSync(anchorFile, `${anchors.map((a) => formatRecord({ name: a.name, type: a.type, class: 'IN', ttl: 3600, rdata: a.rdata })).join('\n')}\n`);
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certificates().good.certPem);
});
afterAll(async () => {
  await dx?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
  json?: any;
}

async function dime(args: string[], world = dnsWorld({ example: recordText({ tls: [pin(certificates().good.der)] }) })): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(
    ['--trust-anchor', anchorFile, '-p', String(dx.port), ...args],
    { out: (t) => (out += t), err: (t) => (err += t) },
    { transport: world.transport }
  );
  const run: Run = { code, out, err };
  if (args.includes('--json')) run.json = JSON.parse(out);
  return run;
}

describe('dime <name> in-process', () => {
  it('--json for a user signet: the contract object, key for key', async () => {
    const run = await dime(['--json', '-f', ids.aliceRotated.fps.ssr, 'alice@example.test']);
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    expect(Object.keys(run.json)).toEqual(['name', 'verified', 'record', 'dx', 'org', 'signet', 'error']);
    expect(run.json).toEqual({
      name: 'alice@example.test',
      verified: true,
      record: {
        domain: 'example.test',
        source: 'dns',
        dnssec: 'secure',
        version: 1,
        pok: [recordText().split(' ')[1]!.slice(4)],
        tls: [pin(certificates().good.der)],
        policy: 'experimental',
        subdomain: 'strict',
        dx: ['dx.example.test'],
        syndicates: [],
        expiry: null,
      },
      dx: { host: 'dx.example.test', port: dx.port, trust: 'dime-record' },
      org: { fingerprints: ids.org.fps },
      signet: { type: 'user', state: 'id', fingerprints: ids.aliceRotated.fps, armored: expect.stringMatching(/^-----BEGIN USER SIGNET-----\n/) },
      error: null,
    });
    expect(Object.keys(run.json.signet.fingerprints)).toEqual(['ssr', 'crypto', 'full', 'id']);
    expect(fingerprints(decodeSignetObject(run.json.signet.armored))).toEqual(ids.aliceRotated.fps);
  });

  it('human output: short, with the fingerprints', async () => {
    const run = await dime(['example.test']);
    expect(run.code).toBe(0);
    expect(run.out).toBe(
      [
        'example.test: org signet verified (state id)',
        '  record  _dx.example.test, DNSSEC secure',
        `  dx      dx.example.test:${dx.port}, certificate trusted by dime-record`,
        '  fingerprints',
        `    crypto ${ids.org.fps.crypto}`,
        `    full   ${ids.org.fps.full}`,
        `    id     ${ids.org.fps.id}`,
        '',
      ].join('\n')
    );
  });

  it('a failure: one stderr line, JSON with what was learnt and the error, exit 1', async () => {
    const run = await dime(['--json', 'mallory@example.test']);
    expect(run.code).toBe(1);
    expect(run.err).toBe('dime: error: user signet of mallory@example.test: state invalid against the org signet of example.test, expected at least crypto; failing: field 6 (crypto), field 253 (full), field 255 (id)\n');
    expect(run.json.verified).toBe(false);
    expect(run.json.dx.trust).toBe('dime-record');
    expect(run.json.org).toEqual({ fingerprints: ids.org.fps });
    expect(run.json.signet).toBeNull();
    expect(run.json.error.code).toBe('SIGNATURE_INVALID');
  });

  it('a bogus record: record object with dnssec bogus and null fields, DNSSEC_BOGUS, exit 1', async () => {
    const run = await dime(['--json', 'forged.test']);
    expect(run.code).toBe(1);
    expect(run.json.record).toEqual({ domain: 'forged.test', source: 'dns', dnssec: 'bogus', version: null, pok: null, tls: null, policy: null, subdomain: null, dx: null, syndicates: null, expiry: null });
    expect(run.json.dx).toBeNull();
    expect(run.json.error.code).toBe('DNSSEC_BOGUS');
  });

  it('-c: {name, current, requested, newest}; outdated prints the newest fingerprint and exits 1', async () => {
    const current = await dime(['--json', '-c', '-f', ids.aliceRotated.fps.id, 'alice@example.test']);
    expect(current.code).toBe(0);
    expect(current.json).toEqual({ name: 'alice@example.test', current: true, requested: ids.aliceRotated.fps.id, newest: ids.aliceRotated.fps.id, error: null });
    const old = await dime(['-c', '-f', ids.alice.fps.full, 'alice@example.test']);
    expect(old.code).toBe(1);
    expect(old.out).toBe(`alice@example.test: ${ids.alice.fps.full} is out of date\nnewest fingerprint: ${ids.aliceRotated.fps.full}\n`);
    expect(old.err).toBe(`dime: error: the signet ${ids.alice.fps.full} of alice@example.test is out of date; the newest fingerprint is ${ids.aliceRotated.fps.full}\n`);
    const oldJson = await dime(['--json', '--check', '--fingerprint', ids.alice.fps.full, 'alice@example.test']);
    expect(oldJson.json).toEqual({ name: 'alice@example.test', current: false, requested: ids.alice.fps.full, newest: ids.aliceRotated.fps.full, error: { code: 'OUTDATED', message: expect.stringMatching(/out of date/) } });
  });

  it('-H: {name, verified, chain:[{fingerprints, custody}]}', async () => {
    const run = await dime(['--json', '-H', '-f', ids.alice.fps.crypto, 'alice@example.test']);
    expect(run.code).toBe(0);
    expect(run.json).toEqual({
      name: 'alice@example.test',
      verified: true,
      chain: [
        { fingerprints: ids.alice.fps, custody: 'start' },
        { fingerprints: ids.aliceRotated.fps, custody: 'ok' },
      ],
      error: null,
    });
    const human = await dime(['-H', '-f', ids.alice.fps.crypto, '-e', ids.aliceRotated.fps.ssr, 'alice@example.test']);
    expect(human.out).toBe(
      `alice@example.test: chain of custody verified (2 signets, oldest first)\n   1. start    id       ${ids.alice.fps.full}\n   2. ok       id       ${ids.aliceRotated.fps.full}\n`
    );
  });

  it('-o writes the verified signet armored, refuses to replace without --force (exit 2)', async () => {
    const out = join(dir, 'alice.signet');
    const first = await dime(['-o', out, 'alice@example.test']);
    expect(first.code).toBe(0);
    expect(fingerprints(decodeSignetObject(readFileSync(out)))).toEqual(ids.aliceRotated.fps);
    expect(statSync(out).mode & 0o777).toBe(0o644);
    const again = await dime(['--json', '-o', out, 'alice@example.test']);
    expect(again.code).toBe(2);
    expect(again.json.error).toEqual({ code: 'EXISTS', message: `${out} exists; use --force to replace it` });
    const forced = await dime(['-o', out, '--force', '-f', ids.alice.fps.full, 'alice@example.test']);
    expect(forced.code).toBe(0);
    expect(fingerprints(decodeSignetObject(readFileSync(out)))).toEqual(ids.alice.fps);
  });

  it('-vvvvv logs the DMTP wire as C:/S: lines on stderr', async () => {
    const run = await dime(['-vvvvv', 'example.test']);
    expect(run.code).toBe(0);
    const wire = run.err.split('\n').filter((line) => /^[CS]: /.test(line));
    expect(wire[0]).toMatch(/^S: 220 <dx\.example\.test> DMTPv1 /);
    expect(wire).toContain('C: SGNT <example.test>');
    expect(wire.some((line) => /^S: 250 OK \[[A-Za-z0-9+/=]+\]$/.test(line))).toBe(true);
    expect(wire.slice(-2)).toEqual(['C: QUIT', expect.stringMatching(/^S: 221 /)]);
    expect(run.err).toMatch(/^dime: querying _dx\.example\.test TXT$/m);
  });

  it('-i record file (secure) and -0 (insecure), --ca, --require-dnssec, -d', async () => {
    const file = join(dir, 'record.txt');
    writeFileSync(file, `${recordText({ tls: [pin(certificates().good.der)] })}\n`);
    const secure = await dime(['--json', '-i', file, 'example.test'], dnsWorld({ example: 'ver=1 pok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }));
    expect([secure.code, secure.json.record.source, secure.json.record.dnssec, secure.json.dx.trust]).toEqual([0, 'file', 'secure', 'dime-record']);
    const insecure = await dime(['--json', '-i', file, '-0', 'example.test']);
    expect([insecure.code, insecure.json.record.dnssec, insecure.json.error.code]).toEqual([1, 'insecure', 'CERT_UNTRUSTED']);
    const pkix = await dime(['--json', '-i', file, '-0', '--ca', caFile, 'example.test']);
    expect([pkix.code, pkix.json.dx.trust]).toEqual([0, 'pkix']);
    const required = await dime(['--json', '--require-dnssec', '--ca', caFile, 'plain.test']);
    expect([required.code, required.json.error.code]).toEqual([1, 'DNSSEC_INSECURE']);
    const direct = await dime(['--json', '-d', 'DX.Example.Test.', 'alice@example.test']);
    expect([direct.code, direct.json.dx.host]).toEqual([0, 'dx.example.test']);
  });

  it('-i: an invalid record is RECORD_INVALID (exit 1), an unreadable file BAD_INPUT (exit 3)', async () => {
    const file = join(dir, 'bad-record.txt');
    writeFileSync(file, 'ver=1 pok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
    const invalid = await dime(['--json', '-i', file, 'example.test']);
    expect(invalid.code).toBe(1);
    expect(invalid.json.error).toEqual({ code: 'RECORD_INVALID', message: 'record file: pok: 42 characters, expected 43' });
    expect(invalid.json.record).toMatchObject({ domain: 'example.test', source: 'file', dnssec: 'secure', pok: null });
    expect(invalid.json.dx).toBeNull();
    const unreadable = await dime(['--json', '-i', join(dir, 'missing.txt'), 'example.test']);
    expect([unreadable.code, unreadable.json.error.code]).toEqual([3, 'BAD_INPUT']);
  });

  it('usage errors exit 2 before any packet; unreadable files exit 3', async () => {
    const cases: [string[], string][] = [
      [['-c', 'alice@example.test'], '-c/--check needs -f/--fingerprint (the fingerprint to check)'],
      [['-H', 'alice@example.test'], '-H/--history needs -f/--fingerprint (where the chain starts)'],
      [['-c', '-H', '-f', ids.alice.fps.id, 'alice@example.test'], '-c/--check and -H/--history cannot be combined'],
      [['-H', '-f', ids.org.fps.id, 'example.test'], '-H/--history: example.test is a domain; only user signets have a chain of custody'],
      [['-e', ids.alice.fps.id, 'alice@example.test'], '-e/--end is the end of a -H/--history chain; it needs -H'],
      [['-0', 'example.test'], '-0 applies to a record read with -i/--record-file; it needs -i'],
      [['-4', '-6', 'example.test'], '-4 and -6 cannot be combined'],
      [['-f', 'short', 'example.test'], 'fingerprint: 5 characters, expected 86 (base64), 88 (padded base64) or 128 (hex)'],
      [['not@an@address@'], 'name "not@an@address@": not a domain or a user@domain address'],
      [['-d', 'bad host', 'example.test'], '--dx "bad host": not a host name or an IP address'],
    ];
    for (const [args, message] of cases) {
      const run = await dime(['--json', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.json.error).toEqual({ code: 'USAGE', message });
      expect(run.err).toBe(`dime: error: ${message}\n`);
    }
    const port = await dime(['-p', '0', 'example.test']);
    expect(port.code).toBe(2);
    const missing = await dime(['--json', '--ca', join(dir, 'nope.pem'), 'example.test']);
    expect([missing.code, missing.json.error.code]).toEqual([3, 'BAD_INPUT']);
  });
});

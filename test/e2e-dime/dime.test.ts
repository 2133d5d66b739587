/**
 * `dime <name>` end to end (issue 5, "Must be true"): the built `dime` bin against real BIND (a
 * DNSSEC-signed hierarchy with a recursive resolver) and real `dmtpd serve` holding signets made by
 * the `signet` bin, with the record made by `genrec`. Skipped with a notice without BIND or root;
 * a failure under DIME_REQUIRE_BIND=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { DmtpServer } from '@dime/core/dmtp';
import { decodeSignetObject } from '@dime/core/signet';
import { skipWithoutBind } from '../bind/support.js';
import { ALL_AUTHORITATIVE_ADDRESSES } from '../bind/world.js';
import { ListStore } from '../../packages/core/test/resolve/world.js';
import { ensureBuilt, run, type BinRun } from './bins.js';
import { startDimeWorld, text, type DimeWorld } from './world.js';

const skip = skipWithoutBind('dime end-to-end tests (BIND + dmtpd)', ALL_AUTHORITATIVE_ADDRESSES);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const hex = (fp: string) => Buffer.from(fp, 'base64').toString('hex');

describe.skipIf(skip)('dime against BIND and dmtpd', () => {
  let world: DimeWorld;
  beforeAll(async () => {
    await ensureBuilt();
    world = await startDimeWorld();
  }, 300_000);
  afterAll(async () => {
    await world?.stop();
  });

  const dime = (args: string[], port = world.dx.port): Promise<BinRun> => run('dime', [...world.dnsArgs, '-p', String(port), '--timeout', '3000', ...args]);

  /** The one stderr line of a failure, and nothing else. */
  function expectFailure(result: BinRun, exit: number, code: string, message: string | RegExp): void {
    expect(result.code, result.stderr).toBe(exit);
    expect(result.json.verified ?? result.json.current).toBe(false);
    expect(result.json.error.code).toBe(code);
    if (typeof message === 'string') expect(result.json.error.message).toBe(message);
    else expect(result.json.error.message).toMatch(message);
    expect(result.stderr).toBe(`dime: error: ${result.json.error.message}\n`);
  }

  it('dime -f verifies the user signet by each of its four fingerprints (86, 88, 128-character forms)', async () => {
    const fps = world.fps.aliceRotated;
    for (const fp of [fps.ssr!, `${fps.crypto}==`, hex(fps.full), fps.id]) {
      const result = await dime(['--json', '-f', fp, 'alice@example.test']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.json).toMatchObject({
        name: 'alice@example.test',
        verified: true,
        record: { domain: 'example.test', source: 'dns', dnssec: 'secure', version: 1, dx: ['dx.example.test'] },
        dx: { host: 'dx.example.test', port: world.dx.port, trust: 'dime-record' },
        org: { fingerprints: world.fps.org },
        signet: { type: 'user', fingerprints: fps },
        error: null,
      });
      expect(result.json.record.tls).toHaveLength(1);
      expect(`ver=1 pok=${result.json.record.pok[0]} tls=${result.json.record.tls[0]}`).toBe(world.record.split(' ').slice(0, 3).join(' '));
      expect(['crypto', 'full', 'id']).toContain(result.json.signet.state);
    }
  });

  it('dime verifies the org signet, with and without its fingerprint; human output and -o', async () => {
    const plain = await dime(['--json', 'example.test']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.json.signet).toMatchObject({ type: 'org', fingerprints: world.fps.org });
    expect(plain.json.org.fingerprints).toEqual(world.fps.org);
    const byFp = await dime(['-f', world.fps.org.full, '-o', `${world.dir}/fetched.signet`, 'example.test']);
    expect(byFp.code, byFp.stderr).toBe(0);
    expect(byFp.stdout.split('\n')[0]).toMatch(/^example\.test: org signet verified \(state (crypto|full|id)\)$/);
    expect(byFp.stdout).toContain(`  dx      dx.example.test:${world.dx.port}, certificate trusted by dime-record\n`);
    expect(byFp.stdout).toContain(`    full   ${world.fps.org.full}\n`);
    expect(readFileSync(`${world.dir}/fetched.signet`)).toEqual(readFileSync(world.files.orgSignet));
  });

  it('fails with exit 1 and a clear reason for an unknown fingerprint', async () => {
    const result = await dime(['--json', '-f', world.fps.mallory.full, 'alice@example.test']);
    expectFailure(result, 1, 'NOT_FOUND', `SGNT <alice@example.test> [${world.fps.mallory.full}]: 127.0.0.1:${world.dx.port} answered 450 SIGNET NOT FOUND.`);
    expect(result.json.org.fingerprints).toEqual(world.fps.org);
  });

  it('fails with exit 1 for a DX certificate the record does not pin', async () => {
    const result = await dime(['--json', 'example.test'], world.otherDx.port);
    expectFailure(result, 1, 'CERT_UNTRUSTED', `no usable DX for example.test: dx.example.test:${world.otherDx.port}: certificate not pinned by the record (1 tls= value tried against 1 pok)`);
    expect(result.json.dx).toBeNull();
    expect(result.json.record.dnssec).toBe('secure');
  });

  it('fails with exit 1 for a record whose pok is not the org signet\'s', async () => {
    const result = await dime(['--json', 'badpok.test']);
    expectFailure(result, 1, 'SIGNATURE_INVALID', "org signet of badpok.test: its POK is not one of the record's pok= values (1 published)");
    expect(result.json.dx.trust).toBe('dime-record');
    expect(result.json.record.pok).toEqual([world.badPokRecord.split(' ')[1]!.slice(4)]);
  });

  it('fails with exit 1 for a user signet signed by another org (dmtpd refuses to publish it; a rogue DX serves it)', async () => {
    const refused = await run('dmtpd', ['publish', '--dir', `${world.dir}/dx`, world.files.mallorySignet]);
    expect(refused.code).not.toBe(0);
    const store = new ListStore()
      .add('example.test', decodeSignetObject(readFileSync(world.files.orgSignet)))
      .add('mallory@example.test', decodeSignetObject(readFileSync(world.files.mallorySignet)));
    const rogue = await DmtpServer.start({ hostname: 'dx.example.test', store, key: text(world.files.key), cert: text(world.files.cert), listen: { host: '127.0.0.1', port: 0 } });
    try {
      const result = await dime(['--json', 'mallory@example.test'], rogue.address!.port);
      expectFailure(result, 1, 'SIGNATURE_INVALID', /^user signet of mallory@example\.test: state invalid against the org signet of example\.test, expected at least crypto; failing: field 6 \(crypto\)/);
      expect(result.json.org.fingerprints).toEqual(world.fps.org);
    } finally {
      await rogue.close();
    }
  });

  it('fails with exit 1 for a bogus record, before connecting to any DX', async () => {
    const sessionsBefore = world.dx.log();
    for (const domain of ['tampered.test', 'expired.test', 'norrsig.test']) {
      const result = await dime(['--json', domain]);
      expectFailure(result, 1, 'DNSSEC_BOGUS', new RegExp(`^_dx\\.${domain.replace('.', '\\.')} TXT is bogus: `));
      expect(result.json.record).toMatchObject({ domain, source: 'dns', dnssec: 'bogus', pok: null });
      expect(result.json.dx).toBeNull();
    }
    expect(world.dx.log()).toBe(sessionsBefore);
  });

  it('a provably absent record is NO_RECORD; an unsigned one under --require-dnssec is DNSSEC_INSECURE (exit 1)', async () => {
    const absent = await dime(['--json', 'www.example.test']);
    expectFailure(absent, 1, 'NO_RECORD', 'no DIME record at _dx.www.example.test: the name does not exist (secure)');
    expect(absent.json.record).toMatchObject({ domain: 'www.example.test', dnssec: 'secure', pok: null });
    const insecure = await dime(['--json', '--require-dnssec', 'unsigned.test']);
    expectFailure(insecure, 1, 'DNSSEC_INSECURE', /^_dx\.unsigned\.test is insecure \(.+\) and --require-dnssec was given$/);
    expect(insecure.json.record).toMatchObject({ domain: 'unsigned.test', dnssec: 'insecure', dx: ['dx.unsigned.test'] });
    expect(insecure.json.dx).toBeNull();
  });

  it('exits 4 for a DX that is down', async () => {
    const port = await closedPort();
    const result = await dime(['--json', 'alice@example.test'], port);
    expectFailure(result, 4, 'NETWORK', `no usable DX for example.test: dx.example.test:${port}: connect to 127.0.0.1:${port} failed: connection refused`);
    expect(result.json.record.dnssec).toBe('secure');
  });

  it('a rotated user: -f <new fp> verifies, -H -f <old fp> verifies the custody chain, -c -f <old fp> says outdated', async () => {
    const { alice, aliceRotated } = world.fps;
    const current = await dime(['--json', '-f', aliceRotated.crypto, 'alice@example.test']);
    expect([current.code, current.json.signet.fingerprints]).toEqual([0, aliceRotated]);

    const history = await dime(['--json', '-H', '-f', alice.full, 'alice@example.test']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.json).toEqual({
      name: 'alice@example.test',
      verified: true,
      chain: [
        { fingerprints: alice, custody: 'start' },
        { fingerprints: aliceRotated, custody: 'ok' },
      ],
      error: null,
    });

    const outdated = await dime(['-c', '-f', alice.crypto, 'alice@example.test']);
    expect(outdated.code).toBe(1);
    expect(outdated.stdout).toBe(`alice@example.test: ${alice.crypto} is out of date\nnewest fingerprint: ${aliceRotated.full}\n`);
    expect(outdated.stderr).toBe(`dime: error: the signet ${alice.crypto} of alice@example.test is out of date; the newest fingerprint is ${aliceRotated.full}\n`);
    const outdatedJson = await dime(['--json', '-c', '-f', alice.crypto, 'alice@example.test']);
    expect(outdatedJson.json).toEqual({ name: 'alice@example.test', current: false, requested: alice.crypto, newest: aliceRotated.full, error: { code: 'OUTDATED', message: expect.any(String) } });

    const fresh = await dime(['--json', '-c', '-f', aliceRotated.ssr!, 'alice@example.test']);
    expect([fresh.code, fresh.json.current, fresh.json.newest]).toEqual([0, true, aliceRotated.ssr]);
  });

  it('--starttls completes the lookup through the --dual listener; -vvvvv logs the wire', async () => {
    const result = await dime(['--json', '--starttls', '-vvvvv', '-f', world.fps.aliceRotated.full, 'alice@example.test'], world.dx.dualPort);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.dx).toEqual({ host: 'dx.example.test', port: world.dx.dualPort, trust: 'dime-record' });
    expect(result.json.signet.fingerprints).toEqual(world.fps.aliceRotated);
    const wire = result.stderr.split('\n').filter((line) => /^[CS]: /.test(line));
    expect(wire[0]).toMatch(/^S: 220 .*\bESMTP DMTPv1\b/);
    expect(wire[1]).toBe('C: STARTTLS <dx.example.test> MODE=DMTPv1');
    expect(wire[2]).toMatch(/^S: 2\d\d /);
    expect(wire).toContain('C: SGNT <example.test>');
    expect(wire).toContain(`C: SGNT <alice@example.test> [${world.fps.aliceRotated.full}]`);
    expect(wire).toContain('C: QUIT');
  });
});

/**
 * Review of issue 5 (discovery and PKIX through real BIND): `dx=` hosts are tried in record order and
 * a host that is down moves on to the next one; without `dx=` the MX hosts are tried by preference;
 * with no `tls=` in the record, PKIX (`--ca`) passes for a certificate naming the DX host and fails,
 * exit 1, for one naming another host. Skipped with a notice without BIND or root; a failure under
 * DIME_REQUIRE_BIND=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipWithoutBind } from '../bind/support.js';
import { ALL_AUTHORITATIVE_ADDRESSES, quoteTxt, startBindWorld, type BindWorld } from '../bind/world.js';
import { ensureBuilt, mustRun, run, startDmtpd, type BinRun, type RunningDmtpd } from './bins.js';

const skip = skipWithoutBind('dime discovery review tests (BIND + dmtpd)', ALL_AUTHORITATIVE_ADDRESSES);

/** Nothing listens here: a connection is refused at once (all of 127/8 is loopback). */
const DOWN = '127.0.0.9';

describe.skipIf(skip)('dime discovery and PKIX against BIND (review)', () => {
  let dir: string;
  let bind: BindWorld | undefined;
  let dx: RunningDmtpd | undefined;
  let pok: string;
  let pin: string;
  let cert: string;

  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'dime-review-'));
    const signet = (...args: string[]) => mustRun('signet', args, dir);
    // One org key for four domains: every record publishes the same pok= (and tls=).
    for (const domain of ['example.test', 'mx.test', 'pkix.test', 'nopin.test']) {
      await signet('-g', domain, '-k', 'org.key', '-o', `${domain}.signet`);
    }
    await mustRun('dmtpd', ['init', '--domain', 'example.test', '--dx', 'dx.example.test', '--dir', 'dx'], dir);
    await mustRun('dmtpd', ['publish', '--dir', 'dx', 'example.test.signet', 'mx.test.signet', 'pkix.test.signet', 'nopin.test.signet'], dir);
    cert = join(dir, 'dx', 'tls', 'cert.pem');
    [, pok, pin] = (await mustRun('genrec', ['-k', 'org.key', '-c', cert], dir)).trim().split(' ').map((t) => t.replace(/^[a-z]+=/, ''));
    bind = await startBindWorld({
      zones: [
        { name: '.' },
        { name: 'test.' },
        {
          name: 'example.test.',
          records: [`_dx TXT ${quoteTxt(`ver=1 pok=${pok} tls=${pin} dx=down.example.test dx=dx.example.test`)}`, `down A ${DOWN}`, 'dx A 127.0.0.1'],
        },
        {
          name: 'mx.test.',
          // No dx=: MX by preference. 5 is down, 10 is the DX, 20 is down too.
          records: [`_dx TXT ${quoteTxt(`ver=1 pok=${pok} tls=${pin}`)}`, '@ MX 20 far', '@ MX 5 near', '@ MX 10 mid', `far A ${DOWN}`, `near A ${DOWN}`, 'mid A 127.0.0.1'],
        },
        { name: 'pkix.test.', records: [`_dx TXT ${quoteTxt(`ver=1 pok=${pok} dx=dx.example.test`)}`] },
        { name: 'nopin.test.', records: [`_dx TXT ${quoteTxt(`ver=1 pok=${pok} dx=dx.nopin.test`)}`, 'dx A 127.0.0.1'] },
      ],
    });
    dx = await startDmtpd(join(dir, 'dx'));
  }, 300_000);

  afterAll(async () => {
    await dx?.stop();
    await bind?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const dime = (args: string[]): Promise<BinRun> =>
    run('dime', ['--resolver', bind!.resolver, '--trust-anchor', bind!.trustAnchorFile, '-p', String(dx!.port), '--timeout', '3000', ...args]);

  it('dx= hosts in record order: the first is down, the second answers', async () => {
    const result = await dime(['-v', '--json', 'example.test']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.dx).toEqual({ host: 'dx.example.test', port: dx!.port, trust: 'dime-record' });
    expect(result.stderr).toContain(`dime: DX candidates: down.example.test:${dx!.port}, dx.example.test:${dx!.port}\n`);
    expect(result.stderr).toMatch(new RegExp(`DX down\\.example\\.test:${dx!.port} \\(${DOWN.replace(/\./g, '\\.')}\\) failed: .*connection refused`));
  });

  it('no dx=: MX hosts by preference (5, 10, 20), then the domain; the preference-10 host answers', async () => {
    const result = await dime(['-v', '--json', 'mx.test']);
    expect(result.code, result.stderr).toBe(0);
    const p = dx!.port;
    expect(result.stderr).toContain(`dime: DX candidates: near.mx.test:${p}, mid.mx.test:${p}, far.mx.test:${p}, mx.test:${p}\n`);
    expect(result.json.dx).toEqual({ host: 'mid.mx.test', port: p, trust: 'dime-record' });
  });

  it('no tls=: PKIX with --ca passes for a certificate naming the DX host (trust pkix)', async () => {
    const result = await dime(['--json', '--ca', cert, 'pkix.test']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.dx).toEqual({ host: 'dx.example.test', port: dx!.port, trust: 'pkix' });
  });

  it('no tls=: a certificate for another host name fails PKIX even with --ca (exit 1, CERT_UNTRUSTED)', async () => {
    const result = await dime(['--json', '--ca', cert, 'nopin.test']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.json.error.code).toBe('CERT_UNTRUSTED');
    expect(result.json.error.message).toBe(`no usable DX for nopin.test: dx.nopin.test:${dx!.port}: no tls= in the record and PKIX fails: certificate does not name dx.nopin.test`);
    expect(result.stderr).toBe(`dime: error: ${result.json.error.message}\n`);
  });

  it('no tls= and no --ca: a self-signed certificate fails PKIX (exit 1)', async () => {
    const result = await dime(['--json', 'pkix.test']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.json.error.code).toBe('CERT_UNTRUSTED');
    expect(result.json.error.message).toMatch(/^no usable DX for pkix\.test: dx\.example\.test:\d+: no tls= in the record and PKIX fails: certificate does not chain to a trusted root/);
  });
});

/** `dmtpd init|publish|serve` as subprocesses of the built bin (run `npx tsc -b` first). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DmtpClient } from '@dime/core/dmtp';
import { createSsr, generateKeys, signSsr } from '@dime/core/signet';
import { main } from '../src/cli.js';
import { ALICE, DOMAIN, DX_HOST, makeIdentities, tempDir, writeSignet, type Identities } from './helpers.js';

const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../bin/dmtpd.js');
const BUILT = existsSync(resolve(fileURLToPath(new URL('.', import.meta.url)), '../dist/cli.js'));
if (!BUILT) console.warn('dmtpd CLI tests need the build: run npx tsc -b');

function run(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let ids: Identities;
let dir: ReturnType<typeof tempDir>;
let files: { org: string; alice: string; alice2: string; rotatedNoCustody: string };

beforeAll(() => {
  ids = makeIdentities();
  dir = tempDir('dmtpd-cli-');
  files = {
    org: writeSignet(dir.path, 'example.test.signet', ids.org.signet),
    alice: writeSignet(dir.path, 'alice.signet', ids.alice.signet),
    alice2: writeSignet(dir.path, 'alice2.signet', ids.alice2.signet),
    rotatedNoCustody: writeSignet(dir.path, 'alice-nocustody.signet', signSsr(createSsr(generateKeys('user-keys')), ids.org.keys, ALICE)),
  };
});

afterAll(() => dir?.remove());

describe.skipIf(!BUILT)('dmtpd CLI (subprocess)', () => {
  it('init: store, self-signed RSA-2048 certificate for the DX host, key 0600; refuses a second init', () => {
    const result = run(['init', '--domain', DOMAIN, '--dx', DX_HOST, '--dir', 'dx'], dir.path);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^initialised dx for example\.test \(DX dx\.example\.test\)\n/);
    expect(existsSync(join(dir.path, 'dx/signets.db'))).toBe(true);
    expect(statSync(join(dir.path, 'dx/tls/key.pem')).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(readFileSync(join(dir.path, 'dx/tls/cert.pem')));
    expect(cert.checkHost(DX_HOST)).toBe(DX_HOST);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const again = run(['init', '--domain', DOMAIN, '--dx', DX_HOST, '--dir', 'dx', '--json'], dir.path);
    expect(again.status).toBe(2);
    expect(JSON.parse(again.stdout).error.code).toBe('EXISTS');
    expect(again.stderr).toBe('dmtpd: error: dx/signets.db exists; this directory is already a DX (choose another --dir)\n');
  });

  it('init --cert/--key reuses a certificate; --cert alone is a usage error', () => {
    const result = run(['init', '--domain', DOMAIN, '--dx', DX_HOST, '--dir', 'dx-given', '--cert', 'dx/tls/cert.pem', '--key', 'dx/tls/key.pem', '--json'], dir.path);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ domain: DOMAIN, dx: DX_HOST, selfSigned: false, error: null });
    expect(readFileSync(join(dir.path, 'dx-given/tls/cert.pem'), 'utf8')).toBe(readFileSync(join(dir.path, 'dx/tls/cert.pem'), 'utf8'));
    expect(run(['init', '--domain', DOMAIN, '--dx', DX_HOST, '--dir', 'dx-x', '--cert', 'dx/tls/cert.pem'], dir.path).status).toBe(2);
    expect(run(['init', '--domain', 'not a domain', '--dx', DX_HOST, '--dir', 'dx-y'], dir.path).status).toBe(2);
  });

  it('publish: order matters, custody is checked, bad files are exit 3', () => {
    const early = run(['publish', '--dir', 'dx-given', files.alice], dir.path);
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/no org signet for example\.test in the store; publish it first/);
    const ok = run(['publish', '--dir', 'dx', files.org, files.alice, files.alice2], dir.path);
    expect(ok.status).toBe(0);
    expect(ok.stdout.split('\n').filter(Boolean)).toEqual([
      `published org ${DOMAIN} full=${ids.org.fp.full} (${files.org})`,
      `published user ${ALICE} custody=start full=${ids.alice.fp.full} (${files.alice})`,
      `published user ${ALICE} custody=ok full=${ids.alice2.fp.full} (${files.alice2})`,
    ]);
    const strict = run(['publish', '--dir', 'dx', '--require-custody', '--json', files.rotatedNoCustody], dir.path);
    expect(strict.status).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ published: [], error: { code: 'CUSTODY' } });
    const bad = run(['publish', '--dir', 'dx', join(dir.path, 'missing.signet')], dir.path);
    expect(bad.status).toBe(3);
    expect(run(['publish', '--dir', 'nowhere', files.org], dir.path).status).toBe(3);
  });

  it('serve: prints the real addresses, serves, picks up new publications, stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--dir', 'dx', '--listen', '127.0.0.1:0', '--dual', '127.0.0.1:0', '--idle-timeout', '5000'], {
      cwd: dir.path,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!/^dual /m.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const match = /^listening 127\.0\.0\.1:(\d+)\ndual 127\.0\.0\.1:(\d+)\n$/.exec(stdout);
      expect(match, stdout + stderr).not.toBeNull();
      const [port, dualPort] = [Number(match![1]), Number(match![2])];
      const ca = readFileSync(join(dir.path, 'dx/tls/cert.pem'), 'utf8');
      const client = await DmtpClient.connect({ host: DX_HOST, address: '127.0.0.1', port, ca });
      expect((await client.getSignet(ALICE, ids.alice.fp.id)).fingerprints.full).toBe(ids.alice.fp.full);
      expect(await client.verifyFingerprint(ALICE, ids.alice.fp.full)).toEqual({ current: false, newest: ids.alice2.fp.full });
      await client.quit();
      // published while serving: served at once
      expect(run(['publish', '--dir', 'dx', files.rotatedNoCustody], dir.path).status).toBe(0);
      const dual = await DmtpClient.connect({ host: DX_HOST, address: '127.0.0.1', port: dualPort, ca, starttls: true });
      expect(await dual.verifyFingerprint(ALICE, ids.alice2.fp.full)).toMatchObject({ current: false });
      await dual.quit();
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const lines = stderr.split('\n').filter(Boolean);
      expect(lines[0]).toBe(`dmtpd: serving ${DOMAIN} as ${DX_HOST}`);
      expect(lines.filter((l) => l.startsWith('dmtpd: session '))).toHaveLength(2);
      expect(lines.some((l) => / listener=dual tls=TLSv1\.3 commands=3 violations=0 end=quit /.test(l))).toBe(true);
      expect(lines.slice(-2)).toEqual(['dmtpd: SIGTERM: closing', 'dmtpd: stopped']);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('serve: IPv6 addresses are printed in brackets', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--dir', 'dx', '--listen', '[::1]:0'], { cwd: dir.path, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('\n') && !stderr.includes('error') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await exited;
    if (/EADDRNOTAVAIL|EAFNOSUPPORT/.test(stderr)) {
      console.warn(`skipping IPv6: ${stderr.trim()}`);
      return;
    }
    expect(stdout).toMatch(/^listening \[::1\]:\d+\n$/);
    expect(code).toBe(0);
  });

  it('serve: bad flags are usage errors, a port in use is a network error', async () => {
    expect(run(['serve', '--dir', 'dx', '--listen', 'localhost'], dir.path)).toMatchObject({ status: 2, stderr: 'dmtpd: error: --listen "localhost": expected HOST:PORT (IPv6 as [::1]:26)\n' });
    expect(run(['serve', '--dir', 'dx', '--listen', '127.0.0.1:0', '--max-connections', '0'], dir.path).status).toBe(2);
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const result = run(['serve', '--dir', 'dx', '--listen', `127.0.0.1:${port}`], dir.path);
    blocker.close();
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/^dmtpd: error: cannot listen: .*EADDRINUSE/);
  });
});

describe('dmtpd main (in-process)', () => {
  it('no command and unknown commands are usage errors; --version and --help exit 0', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const output = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    expect(await main([], output)).toBe(2);
    expect(err.join('')).toBe('dmtpd: error: a command is required: init, publish or serve (see dmtpd --help)\n');
    expect(await main(['frobnicate'], output)).toBe(2);
    expect(await main(['--version'], output)).toBe(0);
    expect(out.join('')).toMatch(/^0\.1\.0\n/);
    expect(await main(['--help'], output)).toBe(0);
    expect(await main(['serve', '--help'], output)).toBe(0);
    expect(out.join('')).toMatch(/--max-connections <n>/);
  });
});

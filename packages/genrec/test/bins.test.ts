/**
 * The built bins together, as a user runs them (needs `npx tsc -b` first): `signet -g` makes an org
 * identity, `genrec -k` its record, `signet -v --record` accepts it; `genrec --check -` reads stdin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, sharedVectorsAvailable, vectorPath } from '../../core/test/helpers.js';

const GENREC = join(REPO_ROOT, 'packages/genrec/bin/genrec.js');
const SIGNET = join(REPO_ROOT, 'packages/signet/bin/signet.js');
const OTHER_CERT = join(REPO_ROOT, 'packages/genrec/test/fixtures/other-dx.pem');

interface Result {
  code: number | null;
  out: string;
  err: string;
}

const dir = mkdtempSync(join(tmpdir(), 'genrec-bins-'));

function run(bin: string, args: string[], input = ''): Result {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, input, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const genrec = (args: string[], input?: string) => run(GENREC, args, input);
const signet = (args: string[], input?: string) => run(SIGNET, args, input);

beforeAll(() => {
  for (const built of ['packages/genrec/dist/cli.js', 'packages/signet/dist/cli.js', 'packages/core/dist/record/index.js']) {
    if (!existsSync(join(REPO_ROOT, built))) throw new Error(`${built} is missing: run \`npx tsc -b\` before the bin tests`);
  }
  for (const domain of ['example.test', 'other.test']) {
    const made = signet(['-g', domain, '-k', `${domain}.key`, '-o', `${domain}.signet`]);
    if (made.code !== 0) throw new Error(`signet -g ${domain} failed: ${made.err}`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('genrec with signet (issue 3, must be true)', () => {
  it('the pok= of genrec -k K equals signet --pok-of K', () => {
    const pok = signet(['--pok-of', 'example.test.key']);
    expect(pok.code).toBe(0);
    expect(pok.out).toMatch(/^[A-Za-z0-9+/]{43}\n$/);
    const record = genrec(['-k', 'example.test.key']);
    expect(record).toEqual({ code: 0, out: `ver=1 pok=${pok.out.trim()} pol=experimental sub=strict\n`, err: '' });
  });

  it('signet -v ORG.signet --record "$(genrec -k K)" exits 0', () => {
    const record = genrec(['-k', 'example.test.key']).out.trim();
    const verified = signet(['-v', 'example.test.signet', '--record', record]);
    expect(verified.err).toBe('');
    expect(verified.code).toBe(0);
  });

  it('…and so does a full record with a tls=, several keys and every field', () => {
    const record = genrec(['-k', 'other.test.key', '-k', 'example.test.key', '-c', OTHER_CERT, '-d', 'dx.example.test', '-y', 'syn.example', '-e', '30', '-p', 'mixed']).out.trim();
    expect(signet(['-v', 'example.test.signet', '--record', record]).code).toBe(0);
    expect(signet(['-v', 'other.test.signet', '--record', record]).code).toBe(0);
  });

  it('control: the record of another org is not accepted (exit 1)', () => {
    const record = genrec(['-k', 'other.test.key']).out.trim();
    const verified = signet(['-v', 'example.test.signet', '--record', record]);
    expect(verified.code).toBe(1);
  });

  it('genrec --check - reads the record from stdin (a value or a zone line)', () => {
    const value = genrec(['-k', 'example.test.key', '-c', OTHER_CERT]).out;
    const fromValue = genrec(['--check', '-', '--cert', OTHER_CERT, '--json'], value);
    expect(fromValue.code).toBe(0);
    expect(JSON.parse(fromValue.out).certMatch).toBe(true);
    const zone = genrec(['-k', 'example.test.key', '-k', 'other.test.key', '-c', OTHER_CERT, '-c', OTHER_CERT, '--zone', 'example.test']).out;
    expect(zone.match(/" "/g)?.length).toBe(1); // over 255 bytes: two strings
    const fromZone = genrec(['--check', '-', '-c', OTHER_CERT, '--json'], zone);
    expect(fromZone.code).toBe(0);
    expect(JSON.parse(fromZone.out)).toMatchObject({ pok: [expect.any(String), expect.any(String)], certMatch: true });
  });

  it('exit codes and one-line diagnostics from the real process', () => {
    expect(genrec(['--bogus'])).toEqual({ code: 2, out: '', err: "genrec: error: unknown option '--bogus'\n" });
    expect(genrec(['-k', 'nope.key'])).toEqual({ code: 3, out: '', err: 'genrec: error: key file nope.key: cannot read (ENOENT)\n' });
    expect(genrec(['--check', 'ver=2 pok=x'])).toEqual({ code: 1, out: '', err: 'genrec: error: ver: "2", expected 1\n' });
    expect(genrec(['--check', '-'], 'ver=1\n')).toEqual({ code: 1, out: '', err: 'genrec: error: pok: missing, the record needs at least one\n' });
  });
});

describe.runIf(sharedVectorsAvailable())('genrec bin on magma sandbox material', () => {
  it('prints exactly the record of expected-record.zone', () => {
    const zone = readFileSync(vectorPath('record', 'expected-record.zone'), 'utf8');
    const expected = /"([^"]*)"/.exec(zone.split('\n').find((l) => l.startsWith('_dx.'))!)![1]!;
    const key = vectorPath('signet', 'magma-sandbox-dime.localhost.localdomain.key');
    const cert = vectorPath('record', 'magma-sandbox-tls.localhost.localdomain.pem');
    expect(genrec(['-k', key, '-c', cert])).toEqual({ code: 0, out: `${expected}\n`, err: '' });
    expect(genrec(['--check', expected, '-c', cert]).code).toBe(0);
    expect(genrec(['--check', expected, '-c', OTHER_CERT]).code).toBe(1);
    expect(signet(['--pok-of', key]).out).toBe(`${/pok=(\S+)/.exec(expected)![1]}\n`);
  });
});

/**
 * The built bin as a user runs it (`node packages/signet/bin/signet.js`, after `npx tsc -b`):
 * exit codes and stderr lines from a real process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './run.js';

const BIN = fileURLToPath(new URL('../bin/signet.js', import.meta.url));
const BUILT = existsSync(fileURLToPath(new URL('../dist/cli.js', import.meta.url)));

function signet(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/signet.js (subprocess)', () => {
  it('is built (run `npx tsc -b` first)', () => {
    expect(BUILT, 'packages/signet/dist/cli.js is missing: run `npx tsc -b`').toBe(true);
  });

  it.runIf(BUILT)('README quick start: -g example.test in an empty directory', () => {
    const dir = tempDir();
    const r = signet(dir, '-g', 'example.test');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('created keys file example.test.key');
    expect(statSync(`${dir}/example.test.key`).mode & 0o777).toBe(0o600);
    expect(signet(dir, '-v', 'example.test.signet').code).toBe(0);
    const again = signet(dir, '-g', 'example.test');
    expect(again).toEqual({ code: 2, out: '', err: 'signet: error: signet example.test.signet exists; use --force to replace it\n' });
  });

  it.runIf(BUILT)('exit 3 for a malformed file, 2 for usage, 1 for a failed check, one stderr line each', () => {
    const dir = tempDir();
    expect(signet(dir, '-g', 'example.test').code).toBe(0);
    expect(signet(dir, '-g', 'alice@example.test').code).toBe(0);
    expect(signet(dir, '-s', 'alice@example.test', '-r', 'alice-example.test.ssr', '-k', 'example.test.key').code).toBe(0);
    expect(signet(dir, '-g', 'other.test').code).toBe(0);

    const signetText = readFileSync(`${dir}/example.test.signet`, 'utf8');
    writeFileSync(`${dir}/no-crc.signet`, signetText.replace(/^=.{4}\n/m, ''));
    expect(signet(dir, '-d', 'no-crc.signet')).toEqual({ code: 3, out: '', err: 'signet: error: file no-crc.signet: armor: missing CRC-24 line (=XXXX)\n' });

    expect(signet(dir, '-v', 'alice-example.test.signet')).toEqual({
      code: 2,
      out: '',
      err: 'signet: error: a user signet is verified against its org signet: give --org ORGSIGNET\n',
    });
    const wrongOrg = signet(dir, '-v', 'alice-example.test.signet', '--org', 'other.test.signet', '--json');
    expect(wrongOrg.code).toBe(1);
    expect(JSON.parse(wrongOrg.out)).toMatchObject({ state: 'invalid', error: { code: 'SIGNATURE_INVALID' } });
    expect(wrongOrg.err).toBe('signet: error: signature does not verify: field 6 (crypto), field 253 (full), field 255 (id)\n');
    expect(signet(dir, '-v', 'alice-example.test.signet', '--org', 'example.test.signet').code).toBe(0);
  });
});

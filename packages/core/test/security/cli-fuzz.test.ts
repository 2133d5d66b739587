/**
 * Hostile files through the CLIs, in process (profile §6): `signet -d/-f/-v` and
 * `genrec --check-file`, fed mutated real inputs. Whatever the bytes, each run exits 0, 1 or 3 (2
 * only when the object is the wrong kind for the command, e.g. `-v` of a keys file; never 4 or a
 * crash), prints no stack trace, writes at most one stderr line `<bin>: error: …`, and
 * with `--json` prints exactly one JSON object carrying `error: {code, message}` on failure.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { armorSignetObject, base64EncodeUnpadded, createOrgSignet, createSsr, encodeKeys, keysFromMaterial, signSsr } from '@dime/core';
import { main as signetMain } from '../../../signet/src/cli.js';
import { main as genrecMain } from '../../../genrec/src/cli.js';
import { FUZZ_SEED, Rng, mutateBytesDeep, mutateTextDeep, runs } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'dime-cli-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const orgKeys = keysFromMaterial('org-keys', new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
const org = createOrgSignet(orgKeys, 'example.test', { name: 'Example' });
const user = signSsr(createSsr(keysFromMaterial('user-keys', new Uint8Array(32).fill(3), new Uint8Array(32).fill(4))), orgKeys, 'alice@example.test', {});
const orgPath = join(dir, 'org.signet');
writeFileSync(orgPath, armorSignetObject(org));

type Main = (argv: string[], output: { out(t: string): void; err(t: string): void }) => Promise<number>;

async function runCli(bin: string, main: Main, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function expectContract(bin: string, argv: string[], r: { code: number; out: string; err: string }, json: boolean): void {
  const where = `${bin} ${argv.join(' ')} → ${r.code}: ${r.err}`;
  expect([0, 1, 2, 3], where).toContain(r.code);
  if (r.code === 2) expect(r.err, where).toMatch(/keys file|SSR|org signet|user signet|--org/);
  expect(r.err, where).not.toMatch(/\n\s+at /); // no stack trace
  if (r.code !== 0 && !json) {
    const lines = r.err.split('\n').filter((l) => l !== '');
    expect(lines.length, where).toBeLessThanOrEqual(1);
    if (lines.length === 1) expect(lines[0], where).toMatch(new RegExp(`^${bin}: error: `));
  }
  if (json) {
    const parsed = JSON.parse(r.out) as { error?: { code: string; message: string } | null };
    if (r.code !== 0) {
      expect(parsed.error?.code, where).toMatch(/^[A-Z_]+$/);
      expect(parsed.error?.message, where).not.toMatch(/\n/);
    }
  }
}

describe('CLIs fed hostile files', () => {
  it('signet -d / -f / -v on mutated signets, SSRs and keys files', async () => {
    const rng = new Rng(FUZZ_SEED + 50);
    const bases = [org.bytes, user.bytes, encodeKeys(orgKeys).bytes, new TextEncoder().encode(armorSignetObject(user))];
    const file = join(dir, 'input');
    for (let i = 0; i < runs(120); i++) {
      const base = bases[i % bases.length]!;
      const bytes = i % 4 === 3 ? new TextEncoder().encode(mutateTextDeep(rng, armorSignetObject(user), 2)) : mutateBytesDeep(rng, base, [2, 3, 4], 2);
      writeFileSync(file, bytes);
      const json = i % 2 === 0;
      const argv = [[`-d`, file], ['-f', file], ['-v', file, '--org', orgPath]][i % 3]!;
      const full = json ? [...argv, '--json'] : argv;
      expectContract('signet', full, await runCli('signet', signetMain as Main, full), json);
    }
  });

  it('genrec --check-file on mutated record files', async () => {
    const rng = new Rng(FUZZ_SEED + 51);
    const pok = base64EncodeUnpadded(new Uint8Array(32).fill(7));
    const records = [`ver=1 pok=${pok} pol=strict`, `_dx.example.test. 3600 IN TXT "ver=1 pok=${pok}" " dx=dx.example.test"\n`, `"ver=1" " pok=${pok}"`];
    const file = join(dir, 'record');
    for (let i = 0; i < runs(150); i++) {
      writeFileSync(file, mutateTextDeep(rng, records[i % records.length]!, 3));
      const json = i % 2 === 0;
      const argv = json ? ['--check-file', file, '--json'] : ['--check-file', file];
      expectContract('genrec', argv, await runCli('genrec', genrecMain as Main, argv), json);
    }
  });
});

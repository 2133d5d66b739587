/**
 * Review regressions for `signet` (each one a bug found by driving the CLI as an operator):
 * --force must never replace a keys file; -g must not leave a keys file behind when the signet
 * cannot be written; --previous names itself when it is not a signet; commander errors in JSON
 * carry no "error: " prefix.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, tempDir } from './run.js';

const read = (path: string) => readFileSync(path, 'utf8');

let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
  process.chdir(tempDir());
});
afterEach(() => {
  process.chdir(cwd);
});

describe('--force replaces signets and SSRs, never a keys file', () => {
  it('-s … -k ORG.key -o ORG.key --force leaves the org keys file as it was (exit 2)', async () => {
    expect((await run(['-g', 'example.test'])).code).toBe(0);
    expect((await run(['-g', 'alice@example.test'])).code).toBe(0);
    const orgKeys = read('example.test.key');
    const r = await run(['-s', 'alice@example.test', '-r', 'alice-example.test.ssr', '-k', 'example.test.key', '-o', 'example.test.key', '--force', '--json']);
    expect(r.code).toBe(2);
    const message = 'signet example.test.key is a keys file; keys files are never replaced, not even with --force';
    expect(r.err).toBe(`signet: error: ${message}\n`);
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'EXISTS', message } });
    expect(read('example.test.key')).toBe(orgKeys);
  });

  it('-g with -o naming another keys file, or a PEM private key, refuses even with --force', async () => {
    expect((await run(['-g', 'alice@example.test'])).code).toBe(0);
    const userKeys = read('alice-example.test.key');
    const r = await run(['-g', 'example.test', '-o', 'alice-example.test.key', '--force']);
    expect(r).toEqual({ code: 2, out: '', err: 'signet: error: signet alice-example.test.key is a keys file; keys files are never replaced, not even with --force\n' });
    expect(read('alice-example.test.key')).toBe(userKeys);
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n';
    writeFileSync('tls.key', pem);
    const ssr = await run(['-g', 'bob@example.test', '-o', 'tls.key', '--force']);
    expect(ssr.code).toBe(2);
    expect(ssr.err).toBe('signet: error: SSR tls.key is a keys file; keys files are never replaced, not even with --force\n');
    expect(read('tls.key')).toBe(pem);
  });

  it('--force still replaces an existing signet', async () => {
    expect((await run(['-g', 'example.test', '--name', 'A'])).code).toBe(0);
    writeFileSync('example.test.signet', 'old\n');
    expect((await run(['-g', 'example.test', '--name', 'A', '--force'])).code).toBe(0);
    expect(read('example.test.signet').split('\n')[0]).toBe('-----BEGIN ORGANIZATIONAL SIGNET-----');
  });
});

describe('-g creates nothing when the output cannot be written', () => {
  it('-o into a missing directory: exit 2 and no keys file left behind', async () => {
    const r = await run(['-g', 'example.test', '-o', 'missing/example.test.signet', '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('signet: error: signet missing/example.test.signet: cannot write (ENOENT)\n');
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'USAGE', message: 'signet missing/example.test.signet: cannot write (ENOENT)' } });
    expect(existsSync('example.test.key')).toBe(false);
    expect(readdirSync('.')).toEqual([]);
  });
});

describe('-o naming a directory', () => {
  it('is a usage error, with or without --force, and no keys file is left behind', async () => {
    mkdirSync('out');
    for (const extra of [[], ['--force']]) {
      const r = await run(['-g', 'example.test', '-o', 'out', ...extra]);
      expect(r).toEqual({ code: 2, out: '', err: 'signet: error: signet out: is a directory\n' });
    }
    expect(readdirSync('.')).toEqual(['out']);
  });
});

describe('-v --previous', () => {
  it('a keys file given as --previous is a usage error naming the flag (exit 2)', async () => {
    expect((await run(['-g', 'alice@example.test'])).code).toBe(0);
    expect((await run(['-g', 'alice@example.test', '-k', 'new.key', '-c', 'alice-example.test.key', '-o', 'new.ssr'])).code).toBe(0);
    const r = await run(['-v', 'new.ssr', '--previous', 'alice-example.test.key', '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('signet: error: --previous alice-example.test.key: not a user signet or SSR\n');
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'USAGE', message: '--previous alice-example.test.key: not a user signet or SSR' } });
  });
});

describe('commander errors in JSON', () => {
  it('error.message has no "error: " prefix (stderr keeps one "signet: error:" line)', async () => {
    const r = await run(['--bogus', '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("signet: error: unknown option '--bogus'\n");
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'USAGE', message: "unknown option '--bogus'" } });
  });
});

describe('-g validates the answers before it creates the keys file', () => {
  it('a --name over 255 bytes: exit 2 and no keys file left behind', async () => {
    const r = await run(['-g', 'example.test', '--name', 'é'.repeat(200)]);
    expect(r).toEqual({ code: 2, out: '', err: 'signet: error: name: 400 bytes, at most 255\n' });
    expect(readdirSync('.')).toEqual([]);
  });
});

describe('input files without a size', () => {
  it.skipIf(!existsSync('/dev/zero'))('-d /dev/zero stops at the input cap (exit 3) instead of reading forever', async () => {
    const r = await run(['-d', '/dev/zero', '--json']);
    expect(r.code).toBe(3);
    expect(r.err).toBe('signet: error: file /dev/zero: larger than 33554432 bytes\n');
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'BAD_INPUT', message: 'file /dev/zero: larger than 33554432 bytes' } });
  });
});

/** Mounts a full 4 KiB tmpfs at `dir` (root only); false when this machine does not allow it. */
function fullTmpfs(dir: string): boolean {
  try {
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return false;
  }
  writeFileSync(join(dir, 'filler'), new Uint8Array(3000));
  return true;
}

describe('a full disk', () => {
  it('-g on a full file system: exit 2 naming the keys file, and no temporary file left behind', async (ctx) => {
    const dir = join(process.cwd(), 'full');
    if (!fullTmpfs(dir)) {
      console.log('skipped: mounting a tmpfs needs root');
      ctx.skip();
      return;
    }
    try {
      const r = await run(['-g', 'example.test', '-k', join(dir, 'example.test.key'), '-o', join(dir, 'example.test.signet'), '--name', 'x'.repeat(200), '--address', 'y'.repeat(200)]);
      expect(r).toEqual({ code: 2, out: '', err: `signet: error: keys file ${join(dir, 'example.test.key')}: cannot write (ENOSPC)\n` });
      expect(readdirSync(dir)).toEqual(['filler']);
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});

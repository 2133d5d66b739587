/**
 * The project's bins as a user runs them: `signet`, `genrec`, `dmtpd` and `dime` as child processes
 * of the built packages, each with a hard time limit (a hang is a failure, never a stuck suite), and
 * `dmtpd serve` as a long-running child whose ports are read from its `listening` lines.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BINS = ['dime', 'signet', 'genrec', 'dmtpd'] as const;
export type Bin = (typeof BINS)[number];

const binPath = (bin: Bin) => join(REPO_ROOT, 'packages', bin, 'bin', `${bin}.js`);

let built: Promise<void> | undefined;

/**
 * `tsc -b` of the four packages (incremental), serialised across test processes with the lock
 * directory the other bin tests use. A failed build with existing dists is reported and tolerated (a
 * file elsewhere may be mid-edit); without a dist it fails.
 */
export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    const lock = join(tmpdir(), 'dime-tsc-build.lock');
    const deadline = Date.now() + 240_000;
    for (;;) {
      try {
        mkdirSync(lock);
        break;
      } catch {
        try {
          if (Date.now() - statSync(lock).mtimeMs > 300_000) rmdirSync(lock);
        } catch {
          /* gone meanwhile */
        }
        if (Date.now() > deadline) throw new Error(`waited too long for ${lock}`);
        await sleep(250);
      }
    }
    try {
      const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
      const result = spawnSync(process.execPath, [tsc, '-b', ...BINS.map((b) => `packages/${b}`)], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 230_000 });
      if (result.status !== 0) {
        const why = `${result.stdout}${result.stderr}`.trim().split('\n').slice(0, 10).join('\n');
        const missing = BINS.filter((b) => !existsSync(join(REPO_ROOT, 'packages', b, 'dist', 'cli.js')));
        if (missing.length > 0) throw new Error(`tsc -b failed and ${missing.join(', ')} have no build:\n${why}`);
        console.warn(`tsc -b failed; testing the existing builds:\n${why}`);
      }
    } finally {
      rmdirSync(lock);
    }
  })();
  return built;
}

export interface BinRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed when it is one JSON object. */
  json?: any;
}

/** Runs a bin to completion; kills it after `limitMs`. */
export function run(bin: Bin, args: string[], options: { cwd?: string; limitMs?: number } = {}): Promise<BinRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [binPath(bin), ...args], { cwd: options.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.limitMs ?? 30_000);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result: BinRun = { code, signal, stdout, stderr };
      try {
        if (stdout.trim().startsWith('{')) result.json = JSON.parse(stdout);
      } catch {
        /* not JSON */
      }
      resolvePromise(result);
    });
  });
}

/** Runs a bin that must succeed; throws with its output otherwise. */
export async function mustRun(bin: Bin, args: string[], cwd?: string): Promise<string> {
  const result = await run(bin, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${result.code ?? result.signal}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

export interface RunningDmtpd {
  port: number;
  dualPort: number;
  /** What it logged on stderr so far (one line per session). */
  log(): string;
  stop(): Promise<void>;
}

/** `dmtpd serve --dir DIR --listen 127.0.0.1:0 --dual 127.0.0.1:0`, ready when both ports are printed. */
export function startDmtpd(dir: string): Promise<RunningDmtpd> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(process.execPath, [binPath('dmtpd'), 'serve', '--dir', dir, '--listen', '127.0.0.1:0', '--dual', '127.0.0.1:0'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`dmtpd serve did not print its ports within 20 s:\n${stdout}${stderr}`)), 20_000);
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      const listening = /^listening 127\.0\.0\.1:(\d+)$/m.exec(stdout);
      const dual = /^dual 127\.0\.0\.1:(\d+)$/m.exec(stdout);
      if (!listening || !dual || settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise({
        port: Number(listening[1]),
        dualPort: Number(dual[1]),
        log: () => stderr,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('close', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('close', (code) => fail(new Error(`dmtpd serve exited ${code} before it was ready:\n${stdout}${stderr}`)));
  });
}

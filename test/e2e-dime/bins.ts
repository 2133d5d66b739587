/**
 * The project's bins as a user runs them: `signet`, `genrec`, `dmtpd` and `dime` as child processes
 * of the built packages, each with a hard time limit (a hang is a failure, never a stuck suite), and
 * `dmtpd serve` as a long-running child whose ports are read from its `listening` lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT, binScript, ensurePackagesBuilt, runScript, type BinRun } from '../support/bins.js';

export { REPO_ROOT };
export type { BinRun };
const BINS = ['dime', 'signet', 'genrec', 'dmtpd'] as const;
export type Bin = (typeof BINS)[number];

const binPath = (bin: Bin) => binScript(bin);

/**
 * `tsc -b` of the four packages (incremental), serialised across test processes with the lock
 * directory the other bin tests use. A failed build with existing dists is reported and tolerated (a
 * file elsewhere may be mid-edit); without a dist it fails.
 */
export function ensureBuilt(): Promise<void> {
  return ensurePackagesBuilt(BINS);
}

/** Runs a bin to completion (in the repository root unless `cwd`); kills it after `limitMs`. */
export function run(bin: Bin, args: string[], options: { cwd?: string; limitMs?: number } = {}): Promise<BinRun> {
  return runScript(binPath(bin), args, { cwd: options.cwd ?? REPO_ROOT, ...(options.limitMs !== undefined ? { limitMs: options.limitMs } : {}) });
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

/**
 * Runs the built `dime` bin as a user would (a child process), with a hard time limit so a hang is a
 * test failure, never a stuck suite. The build is brought up to date once per test process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIME_BIN = join(REPO_ROOT, 'packages/dime/bin/dime.js');
const DIME_DIST = join(REPO_ROOT, 'packages/dime/dist/cli.js');

let built: Promise<void> | undefined;

/**
 * `tsc -b packages/dime` (incremental, so cheap when nothing changed), serialised across test
 * processes with a lock directory. A build failure with an existing dist is reported and tolerated
 * (someone else's file may be mid-edit); without a dist it fails.
 */
export function ensureDimeBuilt(): Promise<void> {
  built ??= (async () => {
    const lock = join(tmpdir(), 'dime-tsc-build.lock');
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        mkdirSync(lock);
        break;
      } catch {
        // A lock older than 5 minutes belongs to a dead process.
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
      const result = spawnSync(process.execPath, [tsc, '-b', 'packages/dime'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 170_000 });
      if (result.status !== 0) {
        const why = `${result.stdout}${result.stderr}`.trim().split('\n').slice(0, 10).join('\n');
        if (!existsSync(DIME_DIST)) throw new Error(`tsc -b packages/dime failed:\n${why}`);
        console.warn(`tsc -b packages/dime failed; testing the existing build:\n${why}`);
      }
    } finally {
      rmdirSync(lock);
    }
  })();
  return built;
}

export interface DimeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds the process ran. */
  elapsed: number;
  /** stdout parsed when it is one JSON object. */
  json?: any;
}

/** Runs `dime ...args`; kills it after `limitMs` (the run then has signal SIGKILL). */
export function runDime(args: string[], limitMs = 30_000): Promise<DimeRun> {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [DIME_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const run: DimeRun = { code, signal, stdout, stderr, elapsed: Date.now() - started };
      try {
        if (stdout.trim().startsWith('{')) run.json = JSON.parse(stdout);
      } catch {
        /* not JSON */
      }
      resolvePromise(run);
    });
  });
}

/**
 * Running the project's built bins as a user would, shared by every integration folder: the build
 * (`tsc -b`, serialised across test processes) and one bin run as a child process with a hard time
 * limit, so a hang is a test failure, never a stuck suite (the runner is @dime/lab's, from source).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { runNodeScript, type BinRun as LabBinRun } from '../../packages/lab/src/bins.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `packages/<name>/bin/<bin>.js`: the script a user runs. */
export const binScript = (name: string, bin = name): string => join(REPO_ROOT, 'packages', name, 'bin', `${bin}.js`);

/** `packages/<name>/dist/cli.js`: present once the package has been built. */
export const builtCli = (name: string): string => join(REPO_ROOT, 'packages', name, 'dist', 'cli.js');

/** The lock directory every bin test takes around `tsc -b`. */
const BUILD_LOCK = join(tmpdir(), 'dime-tsc-build.lock');
/** A lock older than this belongs to a dead process. */
const STALE_LOCK_MS = 300_000;

const builds = new Map<string, Promise<void>>();

export interface BuildOptions {
  /** Longest wait for another process's build (the lock); the build itself gets 10 s less. */
  limitMs?: number;
}

/**
 * `tsc -b packages/<p>...` (incremental, so cheap when nothing changed), once per test process and
 * serialised across test processes with a lock directory. A build failure is reported and tolerated
 * when every package has a `dist/cli.js` (someone else's file may be mid-edit); otherwise it fails.
 */
export function ensurePackagesBuilt(projects: readonly string[], requiredBuilds: readonly string[] = projects, options: BuildOptions = {}): Promise<void> {
  const key = `${projects.join(' ')}|${requiredBuilds.join(' ')}`;
  let built = builds.get(key);
  if (!built) {
    built = build(projects, requiredBuilds, options.limitMs ?? 240_000);
    builds.set(key, built);
  }
  return built;
}

async function build(projects: readonly string[], requiredBuilds: readonly string[], limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(BUILD_LOCK).mtimeMs > STALE_LOCK_MS) rmdirSync(BUILD_LOCK);
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`waited too long for ${BUILD_LOCK}`);
      await sleep(250);
    }
  }
  const command = `tsc -b ${projects.map((p) => `packages/${p}`).join(' ')}`;
  try {
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-b', ...projects.map((p) => `packages/${p}`)], { cwd: REPO_ROOT, encoding: 'utf8', timeout: limitMs - 10_000 });
    if (result.status !== 0) {
      const why = `${result.stdout}${result.stderr}`.trim().split('\n').slice(0, 10).join('\n');
      const missing = requiredBuilds.filter((p) => !existsSync(builtCli(p)));
      if (missing.length > 0) throw new Error(`${command} failed and ${missing.join(', ')} have no build:\n${why}`);
      console.warn(`${command} failed; testing the existing builds:\n${why}`);
    }
  } finally {
    rmdirSync(BUILD_LOCK);
  }
}

export interface BinRun extends LabBinRun {
  /** stdout parsed when it is one JSON object. */
  json?: any;
}

export interface BinRunOptions {
  /** Working directory of the child; the test process's own when absent. */
  cwd?: string;
  /** Killed with SIGKILL after this many milliseconds (the run then has signal SIGKILL). */
  limitMs?: number;
}

/** Runs `node <script> ...args` to completion (the lab's runner) and parses a JSON stdout. */
export async function runScript(script: string, args: readonly string[], options: BinRunOptions = {}): Promise<BinRun> {
  const run: BinRun = await runNodeScript(script, args, { ...(options.cwd ? { cwd: options.cwd } : {}), timeoutMs: options.limitMs ?? 30_000 });
  try {
    if (run.stdout.trim().startsWith('{')) run.json = JSON.parse(run.stdout);
  } catch {
    /* not JSON */
  }
  return run;
}

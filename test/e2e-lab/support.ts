/**
 * Shared by the end-to-end files: the build (the lab runs the built bins as child processes), the
 * BIND availability rule of profile §7, and small assertions on a bin run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILT = ['signet', 'genrec', 'dime', 'dmtpd', 'lab'].map((p) => join(REPO_ROOT, 'packages', p, 'dist', 'cli.js'));

let built: Promise<void> | undefined;

/**
 * `tsc -b packages/lab` (which references every bin it runs), serialised across test processes with
 * the same lock directory as test/bind. A failure with existing dist files is reported and tolerated
 * (another helper's file may be mid-edit); without them it fails.
 */
export function ensureBinsBuilt(): Promise<void> {
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
      const result = spawnSync(process.execPath, [tsc, '-b', 'packages/lab'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 230_000 });
      if (result.status !== 0) {
        const why = `${result.stdout}${result.stderr}`.trim().split('\n').slice(0, 10).join('\n');
        if (!BUILT.every((f) => existsSync(f))) throw new Error(`tsc -b packages/lab failed:\n${why}`);
        console.warn(`tsc -b packages/lab failed; testing the existing build:\n${why}`);
      }
    } finally {
      rmdirSync(lock);
    }
  })();
  return built;
}

/** The one stderr diagnostic line of a failed run (`dime: error: …`). */
export function errorLine(stderr: string, bin = 'dime'): string {
  const lines = stderr.trim().split('\n').filter((l) => l.startsWith(`${bin}: error: `));
  if (lines.length !== 1) throw new Error(`expected one "${bin}: error:" line, got:\n${stderr}`);
  return lines[0]!;
}

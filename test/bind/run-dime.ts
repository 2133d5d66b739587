/**
 * Runs the built `dime` bin as a user would (a child process), with a hard time limit so a hang is a
 * test failure, never a stuck suite. The build is brought up to date once per test process.
 */
import { REPO_ROOT, binScript, ensurePackagesBuilt, runScript, type BinRun } from '../support/bins.js';

export { REPO_ROOT };
export const DIME_BIN = binScript('dime');

/**
 * `tsc -b packages/dime` (incremental, so cheap when nothing changed), serialised across test
 * processes with a lock directory. A build failure with an existing dist is reported and tolerated
 * (someone else's file may be mid-edit); without a dist it fails.
 */
export function ensureDimeBuilt(): Promise<void> {
  return ensurePackagesBuilt(['dime'], ['dime'], { limitMs: 180_000 });
}

export type DimeRun = BinRun;

/** Runs `dime ...args`; kills it after `limitMs` (the run then has signal SIGKILL). */
export function runDime(args: string[], limitMs = 30_000): Promise<DimeRun> {
  return runScript(DIME_BIN, args, { limitMs });
}

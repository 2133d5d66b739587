/**
 * Shared by the end-to-end files: the build (the lab runs the built bins as child processes), the
 * BIND availability rule of profile §7, and small assertions on a bin run.
 */
import { REPO_ROOT, ensurePackagesBuilt } from '../support/bins.js';

export { REPO_ROOT };

/**
 * `tsc -b packages/lab` (which references every bin it runs), serialised across test processes with
 * the same lock directory as test/bind. A failure with existing dist files is reported and tolerated
 * (another helper's file may be mid-edit); without them it fails.
 */
export function ensureBinsBuilt(): Promise<void> {
  return ensurePackagesBuilt(['lab'], ['signet', 'genrec', 'dime', 'dmtpd', 'lab']);
}

/** The one stderr diagnostic line of a failed run (`dime: error: …`). */
export function errorLine(stderr: string, bin = 'dime'): string {
  const lines = stderr.trim().split('\n').filter((l) => l.startsWith(`${bin}: error: `));
  if (lines.length !== 1) throw new Error(`expected one "${bin}: error:" line, got:\n${stderr}`);
  return lines[0]!;
}

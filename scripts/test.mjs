#!/usr/bin/env node
// Runs vitest and closes with the plain line CI reads: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const report = join(tmpdir(), `dime-vitest-${process.pid}.json`);
const vitest = join(process.cwd(), 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' }
);
let summary = null;
try {
  summary = JSON.parse(readFileSync(report, 'utf8'));
  rmSync(report, { force: true });
} catch {
  /* vitest died before writing its report */
}
if (summary) {
  const skipped = summary.numPendingTests + summary.numTodoTests;
  // A suite that dies in a hook fails no single test; count it so the line never says 0 failed
  // for a red run.
  let failed = summary.numFailedTests;
  if (result.status !== 0 && failed === 0) failed = Math.max(1, summary.numFailedTestSuites);
  console.log(`tests: ${summary.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
  if (summary.numTotalTests === 0) process.exit(1);
}
process.exit(result.status ?? 1);

#!/usr/bin/env node
/**
 * The long fuzz run: the suite's hostile-input tests (packages/core/test/security) with every
 * iteration count multiplied and a fresh seed each time. Usage:
 *   node scripts/fuzz-long.mjs [--scale N] [--seed N]
 * Default scale 50 (about 50x the suite's few seconds per file). On failure the test output names
 * the parser and the exact input (hex or JSON); add it to regressions.test.ts with the fix.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';

function flag(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const scale = flag('--scale', '50');
const seed = flag('--seed', String(randomInt(1, 2 ** 31)));
console.log(`fuzz-long: scale ${scale}, seed ${seed} (rerun with --seed ${seed} to reproduce)`);
const vitest = join(process.cwd(), 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', 'packages/core/test/security/', '--testTimeout=3600000'], {
  stdio: 'inherit',
  env: { ...process.env, DIME_FUZZ_SCALE: scale, DIME_FUZZ_SEED: seed },
});
console.log(`fuzz-long: seed ${seed} ${result.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(result.status ?? 1);

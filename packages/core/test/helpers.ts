/** Test helpers: where the shared Lavabit vectors live, and a skip/fail policy when they are absent. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED_DIR = process.env.DIME_SHARED_DIR ? resolve(process.env.DIME_SHARED_DIR) : resolve(REPO_ROOT, '../shared');
export const VECTORS_DIR = join(SHARED_DIR, 'vectors');
export const HAVE_SHARED = existsSync(join(VECTORS_DIR, 'signet', 'expected.json'));

/**
 * True when shared-vector tests should run. When the folder is absent they skip with a notice, except
 * under DIME_REQUIRE_SHARED=1 (CI), where the absence itself fails the run.
 */
export function sharedVectorsAvailable(): boolean {
  if (HAVE_SHARED) return true;
  if (process.env.DIME_REQUIRE_SHARED === '1') {
    throw new Error(`DIME_REQUIRE_SHARED=1 but ${VECTORS_DIR} is missing`);
  }
  console.warn(`skipping shared-vector tests: ${VECTORS_DIR} not found (set DIME_SHARED_DIR)`);
  return false;
}

export function vectorPath(...parts: string[]): string {
  return join(VECTORS_DIR, ...parts);
}

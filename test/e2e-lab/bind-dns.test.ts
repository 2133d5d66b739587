/**
 * The same scenarios with the zones signed by dnssec-signzone and served by BIND named, and
 * `dime-lab up --dns bind` as a user starts it. Skipped with a notice when BIND or root (for the
 * extra loopback addresses) is missing; a failure under DIME_REQUIRE_BIND=1 (profile §7).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindUnavailableReason, runBin } from '../../packages/lab/src/index.js';
import { defineScenarios } from './scenarios.js';
import { REPO_ROOT, ensureBinsBuilt } from './support.js';

function skipWithoutBind(): boolean {
  const why = bindUnavailableReason();
  if (why === undefined) return false;
  if (process.env.DIME_REQUIRE_BIND === '1') throw new Error(`DIME_REQUIRE_BIND=1 but the BIND end-to-end tests cannot run: ${why}`);
  console.warn(`skipping the BIND end-to-end tests: ${why}`);
  return true;
}

const skip = skipWithoutBind();

defineScenarios('bind', skip);

describe.skipIf(skip)('dime-lab up --dns bind', () => {
  it('serves the world from named: lab.json says bind, the printed dime command verifies', async () => {
    await ensureBinsBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'dime-lab-up-bind-'));
    const child = spawn(process.execPath, [join(REPO_ROOT, 'packages/lab/bin/dime-lab.js'), 'up', '--dns', 'bind', '--dir', dir, '--dx-port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    try {
      let stdout = '';
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      // --json: one object on stdout when ready.
      const ready = await new Promise<any>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          stdout += c;
          try {
            resolve(JSON.parse(stdout));
          } catch {
            /* not complete yet */
          }
        });
        void exited.then(() => reject(new Error(`dime-lab up --dns bind exited early:\n${stderr}`)));
      });
      expect(ready.ready).toBe(true);
      const lab = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8'));
      expect(lab.dns).toBe('bind');
      expect(lab.trustAnchor).toBe(join(dir, 'bind', 'root-anchor.ds'));
      expect(readFileSync(lab.trustAnchor, 'utf8')).toMatch(/^\.\s+IN DS \d+ 13 2 [0-9A-F ]+\n$/);
      const check = await runBin('dime', [...lab.dime.slice(1), '--json']);
      expect(check.code, check.stderr).toBe(0);
      expect(JSON.parse(check.stdout).record.dnssec).toBe('secure');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/**
 * The `dime-lab` bin as a user runs it: `demo` must end in a verified lookup and exit 0; `up` must
 * write lab.json, print `ready`, serve a world the printed `dime` command verifies, and stop cleanly
 * on SIGINT.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../../packages/lab/src/index.js';
import { REPO_ROOT, ensureBinsBuilt } from './support.js';

const LAB_BIN = join(REPO_ROOT, 'packages/lab/bin/dime-lab.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runLab(args: string[], limitMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LAB_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('dime-lab', () => {
  beforeAll(() => ensureBinsBuilt(), 240_000);

  it('demo: runs every step, verifies alice@example.test and exits 0', async () => {
    const run = await runLab(['demo']);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const commands = run.stdout.split('\n').filter((l) => l.startsWith('$ ')).map((l) => l.split(' ').slice(1, 3).join(' '));
    expect(commands).toEqual([
      'signet -g',
      'signet -g',
      'signet -s',
      'dmtpd init',
      'genrec -k',
      'dmtpd publish',
      'dmtpd serve',
      'dime -f',
    ]);
    // The full fingerprint signet -s printed is the one dime is asked for.
    const full = /^\$ signet -s [^\n]*\n(?:  [^\n]*\n)*?\s+full\s+([A-Za-z0-9+/]{86})$/m.exec(run.stdout)?.[1];
    expect(full).toBeDefined();
    expect(run.stdout).toContain(`$ dime -f ${full} alice@example.test --resolver 127.0.0.1:`);
    expect(run.stdout).toMatch(new RegExp(`# verified alice@example\\.test \\(full fingerprint ${full!.replace(/[+/]/g, '\\$&')}\\) in \\d+\\.\\d s`));
    expect(run.stderr).toBe('');
  }, 90_000);

  it('demo --json: one object with the steps and verified: true', async () => {
    const run = await runLab(['demo', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.verified).toBe(true);
    expect(json.error).toBeNull();
    expect(json.steps).toHaveLength(7);
    expect(json.steps.every((s: { code: number }) => s.code === 0)).toBe(true);
  }, 90_000);

  it('up: writes lab.json, prints ready and a dime command that verifies, stops on SIGINT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dime-lab-up-test-'));
    try {
      const child = spawn(process.execPath, [LAB_BIN, 'up', '--dir', dir, '--dx-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (c: string) => {
          stdout += c;
          if (/^Ctrl-C stops the lab$/m.test(stdout)) resolve();
        });
        void exited.then(() => reject(new Error(`dime-lab up exited early:\n${stderr}`)));
      });
      expect(stdout.split('\n')[0]).toBe('ready');
      const lab = JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8'));
      expect(lab).toMatchObject({ domain: 'example.test', dns: 'lab', dx: { host: 'dx.example.test', address: '127.0.0.1' } });
      expect(lab.resolver).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(lab.users.alice.fingerprints.full).toMatch(/^[A-Za-z0-9+/]{86}$/);
      expect(stdout).toContain(`try: dime -f ${lab.users.alice.fingerprints.full} alice@example.test --resolver ${lab.resolver}`);
      const check = await runBin('dime', [...lab.dime.slice(1), '--json']);
      expect(check.code, check.stderr).toBe(0);
      expect(JSON.parse(check.stdout).signet.fingerprints.full).toBe(lab.users.alice.fingerprints.full);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      clearTimeout(killer);
      // Everything it started is gone: the DX port is closed.
      const after = await runBin('dime', [...lab.dime.slice(1), '--timeout', '1000']);
      expect(after.code).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('up --dir refuses a directory that is not empty (exit 2)', async () => {
    const run = await runLab(['up', '--dir', REPO_ROOT]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^dime-lab: error: --dir .*: not empty/m);
  });
});

/**
 * The project's bins, run as a user runs them: `node packages/<pkg>/bin/<bin>.js …` in a child
 * process, with a hard time limit so that a hung tool is a failure, never a hung lab.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type BinName = 'signet' | 'genrec' | 'dime' | 'dmtpd';

const PACKAGE_OF: Readonly<Record<BinName, string>> = {
  signet: '@dime/signet',
  genrec: '@dime/genrec',
  dime: '@dime/dime',
  dmtpd: '@dime/dmtpd',
};

const require = createRequire(import.meta.url);

/** Absolute path of a bin's JavaScript entry (found through the lab's workspace dependencies). */
export function binPath(name: BinName): string {
  return join(dirname(require.resolve(`${PACKAGE_OF[name]}/package.json`)), 'bin', `${name}.js`);
}

export interface BinRun {
  /** The command as a user would type it (bin name, then the arguments, shell-quoted). */
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  elapsed: number;
}

export interface RunOptions {
  cwd?: string;
  /** Killed (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_BIN_TIMEOUT_MS = 30_000;

/** Quotes one argument for display the way a POSIX shell would need it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function displayCommand(name: string, args: readonly string[]): string {
  return [name, ...args].map(shellQuote).join(' ');
}

/** Runs a bin to completion; never rejects (a spawn failure is reported as code null). */
export function runBin(name: BinName, args: readonly string[], options: RunOptions = {}): Promise<BinRun> {
  return runNodeScript(binPath(name), args, options, name);
}

/**
 * Runs `node <script> …args` to completion, killed after the time limit; never rejects (a spawn
 * failure is reported as code null). `name` stands for the script in `command` and messages.
 */
export function runNodeScript(script: string, args: readonly string[], options: RunOptions = {}, name = script): Promise<BinRun> {
  const started = Date.now();
  const command = displayCommand(name, args);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_BIN_TIMEOUT_MS);
    child.once('error', (err) => {
      stderr += `${name}: ${err.message}\n`;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, stdout, stderr, elapsed: Date.now() - started });
    });
  });
}

/** A one-line reason for a failed run: its last stderr line, or how it ended. */
export function failureOf(run: BinRun): string {
  const last = run.stderr.trim().split('\n').filter(Boolean).pop();
  if (run.signal) return `${run.command}: killed by ${run.signal}${last ? ` (${last})` : ''}`;
  return `${run.command}: exit ${run.code}${last ? `: ${last}` : ''}`;
}

/**
 * `dmtpd serve` as a child process: started, waited for (`listening HOST:PORT` on stdout), stopped
 * with SIGTERM (SIGKILL if it lingers). Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { binPath, displayCommand } from './bins.js';

export interface DxProcess {
  readonly host: string;
  readonly port: number;
  /** The command line as a user types it. */
  readonly command: string;
  /** What `dmtpd serve` printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export const DX_START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function startDx(dir: string, listen: string, cwd?: string): Promise<DxProcess> {
  const args = ['serve', '--dir', dir, '--listen', listen];
  const command = displayCommand('dmtpd', args);
  const child = spawn(process.execPath, [binPath('dmtpd'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    })
  );
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => (out += c));
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exitedPromise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), STOP_GRACE_MS).unref())]);
    if (!gone) {
      child.kill('SIGKILL');
      await exitedPromise;
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop().then(() => reject(new Error(`${command}: not listening after ${DX_START_TIMEOUT_MS} ms: ${out.trim().split('\n').pop() ?? ''}`)));
    }, DX_START_TIMEOUT_MS);
    child.stdout!.on('data', (c: string) => {
      out += c;
      const m = /^listening (\[[^\]]+\]|[^\s:]+):(\d+)$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]), command, output: () => out, stop });
    });
    void exitedPromise.then(() => {
      clearTimeout(timer);
      reject(new Error(`${command}: exited before listening: ${out.trim().split('\n').pop() ?? 'no output'}`));
    });
  });
}

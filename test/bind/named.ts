/**
 * Runs `named` in the foreground (`-g`: no daemon, log to stderr) with a config of our own, waits
 * until it answers, and stops it. Every wait is bounded; a named that dies or never answers fails
 * with the tail of its log. Children still alive when the test process exits are killed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface NamedProcess {
  readonly pid: number;
  /** Everything named logged so far. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartNamedOptions {
  config: string;
  /** A name that answers once named is up, asked with dig at `address`:`port`. */
  probe: { address: string; port: number; name: string; type: string; recurse: boolean };
  timeoutMs?: number;
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** One dig, bounded by its own timers: true when the server answered NOERROR with data. */
function probeOnce(probe: StartNamedOptions['probe']): boolean {
  const args = [
    `@${probe.address}`,
    '-p',
    String(probe.port),
    probe.recurse ? '+rec' : '+norec',
    '+time=1',
    '+tries=1',
    '+short',
    probe.name,
    probe.type,
  ];
  const result = spawnSync('dig', args, { encoding: 'utf8', timeout: 5000 });
  return result.status === 0 && result.stdout.trim() !== '' && !/connection timed out|communications error/.test(result.stdout);
}

export async function startNamed(options: StartNamedOptions): Promise<NamedProcess> {
  const child = spawn('named', ['-g', '-n', '1', '-c', options.config], { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let output = '';
  let exited: number | null | undefined;
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    output += chunk;
  });
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null);
      live.delete(child);
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exitedPromise.then(() => true), sleep(5000).then(() => false)]);
    if (!gone) {
      child.kill('SIGKILL');
      await Promise.race([exitedPromise, sleep(2000)]);
    }
  };

  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`named (${options.config}) exited with ${exited} before answering:\n${tail(output)}`);
    }
    if (/not loaded due to errors|loading configuration: failure|address in use/.test(output)) {
      await stop();
      throw new Error(`named (${options.config}) failed to start:\n${tail(output)}`);
    }
    if (/running/.test(output) && probeOnce(options.probe)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`named (${options.config}) did not answer ${options.probe.name}/${options.probe.type} in time:\n${tail(output)}`);
    }
    await sleep(100);
  }
  return { pid: child.pid!, log: () => output, stop };
}

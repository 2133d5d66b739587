/**
 * `dime-lab`: a complete local DIME world (profile §6 `dime-lab`). `demo` builds it from nothing,
 * verifies alice@example.test with the real `dime`, prints every command with its output and tears
 * it down; `up` builds it and keeps it running until Ctrl-C. The work is in world.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { DimeError } from '@dime/core/errors';
import { configureBinProgram, printJson, processOutput, reportFailure, type Output } from '@dime/core/io';
import { displayCommand, type BinRun } from './bins.js';
import { buildLabWorld, type LabWorld } from './world.js';

export const BIN = 'dime-lab';
/** The DX port libdime clients use; the lab takes it only when it can bind it. */
export const DMTP_PORT = 26;

/** True when 127.0.0.1:port can be listened on now (port 26 needs root or CAP_NET_BIND_SERVICE). */
export function portBindable(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen(port, host, () => server.close(() => resolvePromise(true)));
  });
}

function indent(text: string): string {
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** `$ command` then its stdout and stderr, indented. */
export function formatRun(run: BinRun): string {
  const lines = [`$ ${run.command}`];
  if (run.stdout.trim()) lines.push(indent(run.stdout));
  if (run.stderr.trim()) lines.push(indent(run.stderr));
  if (run.code !== 0) lines.push(`  (exit ${run.code ?? run.signal})`);
  return `${lines.join('\n')}\n`;
}

/** The error code dime reported (its --json is not asked for in the demo: guessed from the exit status). */
function dimeErrorCode(run: BinRun): string {
  if (run.code === 4) return 'NETWORK';
  if (run.code === 3) return 'BAD_INPUT';
  if (run.code === 2) return 'USAGE';
  return 'SIGNATURE_INVALID';
}

/** What each step of the demo is for, printed above it. */
const STEP_NOTES: ReadonlyArray<[string, string]> = [
  ['signet -g example.test', 'the organisation: its keys (POK) and its org signet'],
  ['signet -g alice@', "alice: her keys and a signing request (SSR)"],
  ['signet -s ', 'the organisation signs alice\'s request: her user signet'],
  ['dmtpd init', 'the DX: its signet store and a self-signed TLS certificate for dx.example.test'],
  ['genrec ', 'the management record: the POK, a tls= pin of the DX certificate, the DX host'],
  ['dmtpd publish', 'the DX gets both signets'],
  ['dime ', 'a sender checks alice: DNSSEC from the lab root, the pinned DX, the signet chain'],
];

interface DemoOptions {
  keep?: boolean;
  dns: 'lab' | 'bind';
  json?: boolean;
  debug?: boolean;
}

async function demo(options: DemoOptions, output: Output): Promise<number> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'dime-lab-demo-'));
  const human = !options.json;
  const say = (text: string) => {
    if (human) output.out(text.endsWith('\n') ? text : `${text}\n`);
  };
  const steps: BinRun[] = [];
  say(`# A DIME world from nothing, in ${dir}`);
  let world: LabWorld | undefined;
  try {
    return await demoIn(dir, options, output, say, steps, started, (w) => (world = w));
  } catch (error) {
    // A step that failed is in the transcript; the verdict is "not verified" (exit 1), or usage.
    const code = reportFailure(BIN, error, { json: options.json === true, debug: options.debug === true, jsonBase: { verified: false } }, output);
    return code === 2 ? 2 : 1;
  } finally {
    await world?.stop();
    if (options.keep) say(`# kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function demoIn(
  dir: string,
  options: DemoOptions,
  output: Output,
  say: (text: string) => void,
  steps: BinRun[],
  started: number,
  built: (world: LabWorld) => void
): Promise<number> {
  const sayRun = (run: BinRun) => {
    const why = STEP_NOTES.find(([prefix]) => run.command.startsWith(prefix))?.[1];
    say(`${why ? `# ${why}\n` : ''}${formatRun(run)}`);
  };
  const dxPort = (await portBindable(DMTP_PORT)) ? DMTP_PORT : 0;
  const world = await buildLabWorld({
    dir,
    dns: options.dns,
    dxPort,
    keep: true,
    onRun: (run) => {
      steps.push(run);
      sayRun(run);
    },
    onNote: (line) => say(line.startsWith('$ ') ? line : `# ${line.replace(/\n/g, '\n# ')}`),
  });
  built(world);
  if (world.dx.port !== DMTP_PORT) say(`# the DX listens on free port ${world.dx.port} (port ${DMTP_PORT} needs root); dime -p follows it`);
  const alice = world.users.alice;
  const run = await world.runDime(['-f', alice.fingerprints.full, alice.address]);
  steps.push(run);
  sayRun(run);
  const verified = run.code === 0;
  const why = run.stderr.split('\n').find((l) => l.startsWith('dime: error: '))?.slice('dime: error: '.length) ?? `dime exited ${run.code ?? run.signal}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(verified ? `# verified ${alice.address} (full fingerprint ${alice.fingerprints.full}) in ${seconds} s` : `# verification FAILED (${seconds} s)`);
  if (options.json) {
    printJson(
      {
        verified,
        dir: options.keep ? dir : null,
        elapsedMs: Date.now() - started,
        steps: steps.map((s) => ({ command: s.command, code: s.code, stdout: s.stdout, stderr: s.stderr })),
        error: verified ? null : { code: dimeErrorCode(run), message: why },
      },
      output
    );
  }
  if (!verified) output.err(`${BIN}: error: the demo's verification failed: ${why}\n`);
  return verified ? 0 : 1;
}

interface UpOptions {
  dir?: string;
  dns: 'lab' | 'bind';
  dxPort?: string;
  json?: boolean;
}

async function up(options: UpOptions, output: Output, stopSignal?: AbortSignal): Promise<number> {
  let dxPort: number;
  if (options.dxPort !== undefined) {
    dxPort = Number(options.dxPort);
    if (!/^\d+$/.test(options.dxPort) || dxPort > 65535) throw new DimeError('USAGE', `--dx-port: "${options.dxPort}" is not a port number`);
  } else dxPort = (await portBindable(DMTP_PORT)) ? DMTP_PORT : 0;
  const made = options.dir === undefined;
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'dime-lab-')));
  mkdirSync(dir, { recursive: true });
  if (!made && readdirSync(dir).length > 0) throw new DimeError('USAGE', `--dir ${dir}: not empty (the lab builds its world in an empty directory)`);
  const human = !options.json;
  // Listening for Ctrl-C from the start: a signal during the build must still stop what started.
  let stopRequested = false;
  const stopped = new Promise<void>((resolvePromise) => {
    const done = () => {
      stopRequested = true;
      resolvePromise();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    stopSignal?.addEventListener('abort', done, { once: true });
  });
  let world: LabWorld;
  try {
    world = await buildLabWorld({
      dir,
      dns: options.dns,
      dxPort,
      keep: true,
      onRun: (run) => {
        if (human) output.err(formatRun(run));
      },
      onNote: (line) => {
        if (human) output.err(line.startsWith('$ ') ? `${line}\n` : `# ${line}\n`);
      },
    });
  } catch (error) {
    if (made) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  try {
    if (stopRequested) return 0;
    const lab = world.labJson();
    const labJsonFile = join(dir, 'lab.json');
    writeFileSync(labJsonFile, `${JSON.stringify(lab, null, 2)}\n`);
    if (options.json) printJson({ ready: true, labJson: labJsonFile, ...lab }, output);
    else {
      output.out('ready\n');
      output.out(`lab.json: ${labJsonFile}\n`);
      output.out(`try: ${displayCommand('dime', lab.dime.slice(1))}\n`);
      output.out('Ctrl-C stops the lab\n');
    }
    await stopped;
    if (human) output.err('# stopping\n');
    return 0;
  } finally {
    await world.stop();
    if (made) rmSync(dir, { recursive: true, force: true });
  }
}

function buildProgram(output: Output, stopSignal: AbortSignal | undefined, result: { code: number }): Command {
  const program = configureBinProgram(new Command().name(BIN), BIN, import.meta.url, output).description(
    'A complete local DIME world: a DNSSEC-signed . → test. → example.test. hierarchy and a DX, built with the real bins'
  );
  const dnsOption = () => new Option('--dns <server>', 'who serves the zones: lab (our signer and server) or bind (dnssec-signzone and named; needs root)').choices(['lab', 'bind']).default('lab');
  program
    .command('demo')
    .description('build the world in a temporary directory, verify alice@example.test with dime, print every command and its output, tear it down; exit 0 only if the verification succeeded')
    .addOption(dnsOption())
    .option('--keep', 'keep the temporary directory')
    .option('--json', 'print one JSON object on stdout (the steps and the verdict)')
    .option('--debug', 'print a stack trace on failure')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .action(async (opts: DemoOptions) => {
      result.code = await demo(opts, output);
    });
  program
    .command('up')
    .description('build the world and keep it running until Ctrl-C; writes DIR/lab.json and prints "ready" and a dime command to try')
    .option('--dir <dir>', 'an empty or new directory for the world (default: a temporary one, removed on exit)')
    .addOption(dnsOption())
    .option('--dx-port <port>', 'DX port (default 26 when it can be bound, else a free one)')
    .option('--json', 'print one JSON object on stdout when ready (lab.json plus "ready": true)')
    .option('--debug', 'print a stack trace on failure')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .action(async (opts: UpOptions) => {
      result.code = await up(opts, output, stopSignal);
    });
  return program;
}

/** Runs `dime-lab` with `argv` (without node and script). `stopSignal` ends `up` (tests). */
export async function main(argv: string[], output: Output = processOutput, stopSignal?: AbortSignal): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(output, stopSignal, result);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError && error.message.startsWith('error: ')) error.message = error.message.slice(7);
    return reportFailure(BIN, error, { json: argv.includes('--json'), debug: argv.includes('--debug') }, output);
  }
}

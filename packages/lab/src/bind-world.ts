/**
 * The building blocks of a DNSSEC world served by real BIND, laid out as on the Internet
 * (record-and-dnssec.md §6.3: a BIND that serves both a parent and a child answers the child's DS
 * from the child, so each zone gets its own loopback address):
 *
 *   dime ──► recursive named 127.0.0.1:PORT (recursion yes, validation no, hints → ns.root.)
 *               ▼
 *            one authoritative named, one view per zone matched on the destination address
 *
 * Used by `dime-lab up --dns bind` (bind.ts) and by the test/bind harness, which builds its
 * variants and broken zones from the same pieces: extra loopback addresses (`ip addr add`, root),
 * a free port shared by both named (BIND's `port` option is also the port it asks other servers
 * on), both named.conf files, `named -g` started and stopped with bounded waits, and signing with
 * `dnssec-keygen` and `dnssec-signzone`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DimeError } from '@dime/core/errors';

/** True when `name` is on the PATH. */
export function hasCommand(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '';
}

function addressPresent(address: string): boolean {
  const shown = spawnSync('ip', ['-4', '-o', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' });
  return shown.status === 0 && shown.stdout.includes(`inet ${address}/`);
}

/**
 * Adds `address/32` to `lo` unless it is there. Returns why it could not, or undefined. Addresses
 * are left in place afterwards: other worlds may be using them at the same moment.
 */
export function ensureLoopbackAddress(address: string): string | undefined {
  if (addressPresent(address)) return undefined;
  const added = spawnSync('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo'], { encoding: 'utf8' });
  if (added.status === 0 || /File exists/.test(added.stderr) || addressPresent(address)) return undefined;
  const why = (added.stderr || added.error?.message || 'ip failed').trim();
  return `cannot add ${address} to lo (${why})${process.getuid?.() === 0 ? '' : '; extra loopback addresses need root'}`;
}

/** Runs a BIND tool to completion (60 s at most); its stdout, or a PROTOCOL error with its last stderr line. */
export function runBindTool(command: string, args: readonly string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new DimeError('PROTOCOL', `${command} ${args.join(' ')}: ${(e.stderr || e.message).trim().split('\n').pop()}`);
  }
}

/** A random port free for both TCP and UDP on `host` (checked, then released: named binds it next). */
export async function freeBindPort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const ok = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, host, () => {
        const udp = createSocket('udp4');
        udp.once('error', () => server.close(() => resolve(false)));
        udp.bind(port, host, () => udp.close(() => server.close(() => resolve(true))));
      });
    });
    if (ok) return port;
  }
  throw new DimeError('NETWORK', 'no free port for BIND');
}

/** The directory (and view) name of a zone: `root` for `.`, else the name without its final dot. */
export function zoneDirName(zone: string): string {
  return zone === '.' ? 'root' : zone.replace(/\.$/, '');
}

// ---------------------------------------------------------------------------------------------
// Signing

export interface KeygenOptions {
  zone: string;
  /** Where the key files go (`-K`); also the working directory. */
  keyDir: string;
  /** A `dnssec-keygen -a` name: ECDSAP256SHA256, ED25519, RSASHA256 … */
  algorithm: string;
  ksk: boolean;
  /** `-b`: key size, for RSA. */
  bits?: number;
}

/** `dnssec-keygen`; returns the new key's tag (it prints `K<zone>+<alg>+<tag>`). */
export function dnssecKeygen(options: KeygenOptions): number {
  const args = ['-q', '-K', options.keyDir, '-a', options.algorithm];
  if (options.bits) args.push('-b', String(options.bits));
  if (options.ksk) args.push('-f', 'KSK');
  args.push(options.zone);
  const out = runBindTool('dnssec-keygen', args, options.keyDir).trim();
  const match = /\+(\d{3})\+(\d{5})$/.exec(out);
  if (!match) throw new DimeError('PROTOCOL', `dnssec-keygen printed ${JSON.stringify(out)}`);
  return Number(match[2]);
}

export interface SignzoneOptions {
  zone: string;
  /** The zone's key directory (`-K`, and `-d` where `dsset-<zone>` is written). */
  keyDir: string;
  input: string;
  output: string;
  /**
   * Signature inception and expiration in dnssec-signzone's syntax (`YYYYMMDDHHMMSS`), with `-P`
   * (no post-signing check) so that an expired window can be made on purpose; absent: now to now+30d.
   */
  window?: readonly [inception: string, expiration: string];
  /** NSEC3 salt (hex or `-`), extra iterations, opt-out; absent: NSEC. */
  nsec3?: { salt: string; iterations: number; optOut?: boolean };
}

/** The `dnssec-signzone` arguments for `options` (smart signing `-S`, full output `-O full`). */
export function signzoneArgs(options: SignzoneOptions): string[] {
  const { zone, keyDir, output, window, nsec3 } = options;
  const args = ['-S', '-K', keyDir, '-d', keyDir, '-o', zone, '-O', 'full', '-f', output];
  if (window) args.push('-P', '-s', window[0], '-e', window[1]);
  else args.push('-e', 'now+30d');
  if (nsec3) args.push('-3', nsec3.salt, '-H', String(nsec3.iterations), ...(nsec3.optOut ? ['-A'] : []));
  args.push(options.input);
  return args;
}

/** `dnssec-signzone` with every key of `keyDir`; writes `output` and `keyDir/dsset-<zone>`. */
export function dnssecSignzone(options: SignzoneOptions): void {
  runBindTool('dnssec-signzone', signzoneArgs(options), options.keyDir);
}

/** The `dsset-<zone>` file dnssec-signzone wrote in `keyDir`, as text. */
export function readDsset(keyDir: string, zone: string): string {
  return readFileSync(join(keyDir, `dsset-${zone}`), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// named.conf

/** Options both servers take: IPv4 only, no files of their own, no validation, no NOTIFY. */
const COMMON_OPTIONS = ['  listen-on-v6 { none; };', '  pid-file none;', '  session-keyfile none;', '  dnssec-validation no;', '  notify no;'];

export interface BindView {
  zone: string;
  /** The loopback address the view answers on (`match-destinations`). */
  address: string;
  /** The zone file it serves. */
  file: string;
}

/** Writes `dir/named.conf` for the authoritative server: one view per zone; returns its path. */
export function writeAuthoritativeConf(dir: string, port: number, views: readonly BindView[]): string {
  const conf = join(dir, 'named.conf');
  writeFileSync(
    conf,
    [
      'options {',
      `  directory "${dir}";`,
      `  listen-on port ${port} { ${views.map((v) => v.address).join('; ')}; };`,
      `  port ${port};`,
      ...COMMON_OPTIONS,
      '  recursion no;',
      '  allow-transfer { none; };',
      '};',
      'controls { };',
      ...views.map((v) =>
        [
          `view "${zoneDirName(v.zone)}" {`,
          '  match-clients { any; };',
          `  match-destinations { ${v.address}; };`,
          '  recursion no;',
          `  zone "${v.zone}" { type primary; file "${v.file}"; };`,
          '};',
        ].join('\n')
      ),
      '',
    ].join('\n')
  );
  return conf;
}

export interface RecursiveConfOptions {
  /** The address it listens on. */
  address: string;
  /** The root server's address (the hints: `ns.root.`). */
  rootAddress: string;
  /** `max-cache-ttl` and `max-ncache-ttl`; absent: BIND's defaults. */
  maxCacheTtl?: number;
}

/** Writes `dir/named.conf` and `dir/root.hints` for the recursive server; returns the config path. */
export function writeRecursiveConf(dir: string, port: number, options: RecursiveConfOptions): string {
  const hints = join(dir, 'root.hints');
  writeFileSync(hints, `. 3600000 IN NS ns.root.\nns.root. 3600000 IN A ${options.rootAddress}\n`);
  const conf = join(dir, 'named.conf');
  const cacheTtl = options.maxCacheTtl === undefined ? [] : [`  max-cache-ttl ${options.maxCacheTtl};`, `  max-ncache-ttl ${options.maxCacheTtl};`];
  writeFileSync(
    conf,
    [
      'options {',
      `  directory "${dir}";`,
      `  listen-on port ${port} { ${options.address}; };`,
      `  port ${port};`,
      ...COMMON_OPTIONS,
      '  recursion yes;',
      '  allow-recursion { 127.0.0.0/8; };',
      ...cacheTtl,
      '  qname-minimization off;',
      '};',
      'controls { };',
      `zone "." { type hint; file "${hints}"; };`,
      '',
    ].join('\n')
  );
  return conf;
}

// ---------------------------------------------------------------------------------------------
// named

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

/** One dig, bounded by its own timers: true when the server answered with data. */
function probeOnce(probe: StartNamedOptions['probe']): boolean {
  const args = [`@${probe.address}`, '-p', String(probe.port), probe.recurse ? '+rec' : '+norec', '+time=1', '+tries=1', '+short', probe.name, probe.type];
  const result = spawnSync('dig', args, { encoding: 'utf8', timeout: 5000 });
  return result.status === 0 && result.stdout.trim() !== '' && !/timed out|communications error/.test(result.stdout);
}

/**
 * `named -g` (foreground, log on stderr) with `config`, waited for until the probe answers. Every
 * wait is bounded: a named that dies, fails to load or never answers is a NETWORK error with the tail
 * of its log. Children still alive when the process exits are killed.
 */
export async function startNamed(options: StartNamedOptions): Promise<NamedProcess> {
  const child = spawn('named', ['-g', '-n', '1', '-c', options.config], { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let output = '';
  let exited: number | null | undefined;
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
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
    if (exited !== undefined) throw new DimeError('NETWORK', `named (${options.config}) exited with ${exited} before answering:\n${tail(output)}`);
    if (/not loaded due to errors|loading configuration: failure|address in use/.test(output)) {
      await stop();
      throw new DimeError('NETWORK', `named (${options.config}) failed to start:\n${tail(output)}`);
    }
    if (/running/.test(output) && probeOnce(options.probe)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new DimeError('NETWORK', `named (${options.config}) did not answer ${options.probe.name}/${options.probe.type} in time:\n${tail(output)}`);
    }
    await sleep(100);
  }
  return { pid: child.pid!, log: () => output, stop };
}

export interface BindServers {
  authoritative: NamedProcess;
  recursive: NamedProcess;
  stop(): Promise<void>;
}

/**
 * Starts the authoritative named (ready when the root at `rootAddress` answers its SOA), then the
 * recursive one (ready when it resolves the root SOA); the first is stopped if the second fails.
 */
export async function startBindServers(options: { port: number; authoritativeConf: string; recursiveConf: string; rootAddress: string; resolverAddress: string }): Promise<BindServers> {
  const { port } = options;
  const authoritative = await startNamed({ config: options.authoritativeConf, probe: { address: options.rootAddress, port, name: '.', type: 'SOA', recurse: false } });
  let recursive: NamedProcess;
  try {
    recursive = await startNamed({ config: options.recursiveConf, probe: { address: options.resolverAddress, port, name: '.', type: 'SOA', recurse: true } });
  } catch (err) {
    await authoritative.stop();
    throw err;
  }
  return {
    authoritative,
    recursive,
    stop: async () => {
      await Promise.all([recursive.stop(), authoritative.stop()]);
    },
  };
}

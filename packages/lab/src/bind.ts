/**
 * The lab's zones served by real BIND (`dime-lab up --dns bind`), laid out as on the Internet and as
 * the test/bind harness does it (record-and-dnssec.md §6.3: a BIND that serves both a parent and a
 * child answers the child's DS from the child, so each zone gets its own address):
 *
 *   dime ──► recursive named 127.0.0.1:PORT (recursion yes, validation no, hints → ns.root.)
 *               ▼
 *            authoritative named, one view per zone matched on the destination address:
 *            .  127.0.53.2    test.  127.0.53.3    example.test.  127.0.53.4
 *
 * The zone text is zones.ts's, signed with `dnssec-keygen` + `dnssec-signzone` (ECDSAP256SHA256,
 * NSEC), children first, each child's `dsset-` appended to its parent. The extra loopback addresses
 * need root (`ip addr add`). Both named share one free port (BIND's `port` option is also the port it
 * asks other servers on). A re-signed zone is served by restarting both named (no stale cache).
 * The harness in test/bind is not importable from a package, so this is its small twin.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DimeError } from '@dime/core/errors';
import {
  LAB_ZONE_NAMES,
  childOf,
  currentWindow,
  labZoneText,
  signzoneTime,
  type LabDns,
  type LabZoneContent,
  type LabZoneName,
  type SignatureWindow,
} from './zones.js';

export const BIND_TOOLS = ['named', 'dnssec-keygen', 'dnssec-signzone', 'dig', 'ip'] as const;
export const BIND_RESOLVER_ADDRESS = '127.0.0.1';
/** Zone i of LAB_ZONE_NAMES is served at 127.0.53.(2 + i) (the harness's first three addresses). */
export const BIND_ZONE_ADDRESSES: Readonly<Record<LabZoneName, string>> = {
  '.': '127.0.53.2',
  'test.': '127.0.53.3',
  'example.test.': '127.0.53.4',
};
const NAMED_START_TIMEOUT_MS = 20_000;

function hasCommand(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '';
}

function addressPresent(address: string): boolean {
  const shown = spawnSync('ip', ['-4', '-o', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' });
  return shown.status === 0 && shown.stdout.includes(`inet ${address}/`);
}

/** Adds `address/32` to `lo` unless present (left in place: others may use it). Returns why not. */
export function ensureLoopbackAddress(address: string): string | undefined {
  if (addressPresent(address)) return undefined;
  const added = spawnSync('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo'], { encoding: 'utf8' });
  if (added.status === 0 || /File exists/.test(added.stderr) || addressPresent(address)) return undefined;
  const why = (added.stderr || added.error?.message || 'ip failed').trim();
  return `cannot add ${address} to lo (${why})${process.getuid?.() === 0 ? '' : '; extra loopback addresses need root'}`;
}

/** Why `--dns bind` cannot run here (missing tools, no root for the addresses), or undefined. */
export function bindUnavailableReason(): string | undefined {
  const missing = BIND_TOOLS.filter((tool) => !hasCommand(tool));
  if (missing.length > 0) return `missing ${missing.join(', ')} (apt-get install bind9 bind9-utils bind9-dnsutils iproute2)`;
  for (const address of Object.values(BIND_ZONE_ADDRESSES)) {
    const why = ensureLoopbackAddress(address);
    if (why) return why;
  }
  return undefined;
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new DimeError('PROTOCOL', `${command} ${args.join(' ')}: ${(e.stderr || e.message).trim().split('\n').pop()}`);
  }
}

async function freePort(host: string): Promise<number> {
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

interface Named {
  log(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function digAnswers(address: string, port: number, name: string, recurse: boolean): boolean {
  const r = spawnSync('dig', [`@${address}`, '-p', String(port), recurse ? '+rec' : '+norec', '+time=1', '+tries=1', '+short', name, 'SOA'], {
    encoding: 'utf8',
    timeout: 5000,
  });
  return r.status === 0 && r.stdout.trim() !== '' && !/timed out|communications error/.test(r.stdout);
}

/** `named -g` with our config, waited for until `dig` gets an answer; bounded everywhere. */
async function startNamed(config: string, probe: { address: string; port: number; recurse: boolean }): Promise<Named> {
  const child = spawn('named', ['-g', '-n', '1', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  live.add(child);
  let output = '';
  let exited = false;
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    })
  );
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const gone = await Promise.race([exitedPromise.then(() => true), sleep(5000).then(() => false)]);
    if (!gone) {
      child.kill('SIGKILL');
      await exitedPromise;
    }
  };
  const tail = () => output.trim().split('\n').slice(-8).join('\n');
  const deadline = Date.now() + NAMED_START_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new DimeError('NETWORK', `named (${config}) exited before answering:\n${tail()}`);
    if (/not loaded due to errors|loading configuration: failure|address in use/.test(output)) {
      await stop();
      throw new DimeError('NETWORK', `named (${config}) failed to start:\n${tail()}`);
    }
    if (/running/.test(output) && digAnswers(probe.address, probe.port, '.', probe.recurse)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new DimeError('NETWORK', `named (${config}) did not answer in time:\n${tail()}`);
    }
    await sleep(100);
  }
  return { log: () => output, stop };
}

export interface BindDnsOptions extends Omit<LabZoneContent, 'serverAddress'> {
  dir: string;
}

function fileStem(zone: string): string {
  return zone === '.' ? 'root' : zone.slice(0, -1);
}

export async function startBindDns(options: BindDnsOptions): Promise<LabDns> {
  const why = bindUnavailableReason();
  if (why) throw new DimeError('USAGE', `--dns bind: ${why}`);
  const base = join(options.dir, 'bind');
  mkdirSync(base, { recursive: true });
  let content: LabZoneContent = { ...options, serverAddress: (zone) => BIND_ZONE_ADDRESSES[zone] };
  const windows = new Map<LabZoneName, SignatureWindow>();
  const zoneFiles: Record<string, string> = {};

  const zoneDir = (zone: LabZoneName) => join(base, fileStem(zone));
  const keygen = (zone: LabZoneName, ksk: boolean) =>
    run('dnssec-keygen', ['-q', '-K', zoneDir(zone), '-a', 'ECDSAP256SHA256', ...(ksk ? ['-f', 'KSK'] : []), zone], zoneDir(zone));
  const sign = (zone: LabZoneName): void => {
    const d = zoneDir(zone);
    const child = childOf(zone);
    const ds = child ? readFileSync(join(zoneDir(child), `dsset-${child}`), 'utf8') : '';
    const input = join(d, 'zone.db');
    writeFileSync(input, `${labZoneText(zone, content)}${ds}`);
    const window = windows.get(zone) ?? currentWindow();
    const output = join(d, 'zone.signed');
    // -P: no post-signing check, so that an expired window can be produced on purpose.
    run(
      'dnssec-signzone',
      ['-S', '-K', d, '-d', d, '-o', zone, '-O', 'full', '-P', '-s', signzoneTime(window.inception), '-e', signzoneTime(window.expiration), '-f', output, input],
      d
    );
    zoneFiles[zone] = output;
  };
  for (const zone of [...LAB_ZONE_NAMES].reverse()) {
    mkdirSync(zoneDir(zone), { recursive: true });
    keygen(zone, true);
    keygen(zone, false);
    sign(zone);
  }
  const trustAnchorFile = join(base, 'root-anchor.ds');
  writeFileSync(trustAnchorFile, readFileSync(join(zoneDir('.'), 'dsset-.'), 'utf8'));

  const port = await freePort(BIND_RESOLVER_ADDRESS);
  const authDir = join(base, 'authoritative');
  const recDir = join(base, 'recursive');
  mkdirSync(authDir, { recursive: true });
  mkdirSync(recDir, { recursive: true });
  const common = ['  listen-on-v6 { none; };', '  pid-file none;', '  session-keyfile none;', '  dnssec-validation no;', '  notify no;'];
  const authConf = join(authDir, 'named.conf');
  writeFileSync(
    authConf,
    [
      'options {',
      `  directory "${authDir}";`,
      `  listen-on port ${port} { ${Object.values(BIND_ZONE_ADDRESSES).join('; ')}; };`,
      `  port ${port};`,
      ...common,
      '  recursion no;',
      '  allow-transfer { none; };',
      '};',
      'controls { };',
      ...LAB_ZONE_NAMES.map((zone) =>
        [
          `view "${fileStem(zone)}" {`,
          '  match-clients { any; };',
          `  match-destinations { ${BIND_ZONE_ADDRESSES[zone]}; };`,
          '  recursion no;',
          `  zone "${zone}" { type primary; file "${join(zoneDir(zone), 'zone.signed')}"; };`,
          '};',
        ].join('\n')
      ),
      '',
    ].join('\n')
  );
  const hints = join(recDir, 'root.hints');
  writeFileSync(hints, `. 3600000 IN NS ns.root.\nns.root. 3600000 IN A ${BIND_ZONE_ADDRESSES['.']}\n`);
  const recConf = join(recDir, 'named.conf');
  writeFileSync(
    recConf,
    [
      'options {',
      `  directory "${recDir}";`,
      `  listen-on port ${port} { ${BIND_RESOLVER_ADDRESS}; };`,
      `  port ${port};`,
      ...common,
      '  recursion yes;',
      '  allow-recursion { 127.0.0.0/8; };',
      '  qname-minimization off;',
      '};',
      'controls { };',
      `zone "." { type hint; file "${hints}"; };`,
      '',
    ].join('\n')
  );

  let servers: Named[] = [];
  const start = async () => {
    const authoritative = await startNamed(authConf, { address: BIND_ZONE_ADDRESSES['.'], port, recurse: false });
    try {
      const recursive = await startNamed(recConf, { address: BIND_RESOLVER_ADDRESS, port, recurse: true });
      servers = [recursive, authoritative];
    } catch (err) {
      await authoritative.stop();
      throw err;
    }
  };
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  };
  await start();
  return {
    kind: 'bind',
    resolver: `${BIND_RESOLVER_ADDRESS}:${port}`,
    trustAnchorFile,
    zoneFiles,
    async resign(zone, change = {}) {
      if (change.dxZoneLine !== undefined) content = { ...content, dxZoneLine: change.dxZoneLine };
      windows.set(zone, change.window ?? currentWindow());
      sign(zone);
      // Restart both: the authoritative reads the new file, the recursive forgets what it cached.
      await stop();
      await start();
    },
    stop,
  };
}

/** The key files `dnssec-keygen` made for a zone (for the README and debugging). */
export function bindKeyFiles(dir: string, zone: LabZoneName): string[] {
  return readdirSync(join(dir, 'bind', fileStem(zone))).filter((f) => /^K.*\.(key|private)$/.test(f));
}

/**
 * The whole DIME world on one machine, built from nothing with the real bins:
 *
 *   signet -g example.test                      org keys + org signet
 *   signet -g alice@example.test                user keys + SSR
 *   signet -s alice@example.test -r … -k …      alice's user signet
 *   dmtpd init --domain example.test --dx dx.example.test --dir dmtpd
 *   genrec -k example.test.key -c dmtpd/tls/cert.pem -d dx.example.test --zone example.test
 *   dmtpd publish --dir dmtpd example.test.signet alice-example.test.signet
 *
 * then a DNSSEC-signed hierarchy `.` → `test.` → `example.test.` (our signer and server, or BIND)
 * and `dmtpd serve` on loopback. Hooks break it the way worlds break: expired zone signatures, a DX
 * certificate the record does not pin, a tampered signet in the store, a rotated user key.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DimeError } from '@dime/core/errors';
import { decodeSignetBinary, fingerprints as signetFingerprints, parseArmor } from '@dime/core/signet';
import { failureOf, runBin, type BinName, type BinRun } from './bins.js';
import { startDx, type DxProcess } from './dx-server.js';
import { startLabDns } from './lab-dns.js';
import { startBindDns } from './bind.js';
import { EXPIRED_WINDOW, LAB_DOMAIN, LAB_DX_HOST, type LabDns, type LabZoneName } from './zones.js';

export interface Fingerprints {
  ssr?: string;
  crypto: string;
  full: string;
  id: string;
}

export interface LabUser {
  address: string;
  keys: string;
  ssr: string;
  signet: string;
  fingerprints: Fingerprints;
  /** Earlier signets of this user, oldest first, after `rotateUserKeys`. */
  previous: Array<{ keys: string; signet: string; fingerprints: Fingerprints }>;
}

export interface LabFiles {
  orgKeys: string;
  orgSignet: string;
  /** The `_dx` zone line `genrec --zone` printed. */
  record: string;
  dxDir: string;
  dxCert: string;
  dxKey: string;
  trustAnchor: string;
  /** Signed zone files as served, by zone name. */
  zones: Record<string, string>;
}

export interface LabWorldOptions {
  /** Working directory; default a fresh temporary one, removed by `stop()` unless `keep`. */
  dir?: string;
  dns?: 'lab' | 'bind';
  /** DX port: 0 (default) picks a free one; 26 when it can be bound is what `demo` tries. */
  dxPort?: number;
  /** Called with every bin run, in the order the steps are listed above. */
  onRun?: (run: BinRun) => void;
  /** Called with what starts in the background (DNS, `$ dmtpd serve … &` and its output). */
  onNote?: (line: string) => void;
  keep?: boolean;
}

export interface LabWorld {
  readonly domain: string;
  readonly dir: string;
  readonly dns: 'lab' | 'bind';
  /** `HOST:PORT` for `dime --resolver`. */
  readonly resolver: string;
  readonly trustAnchorFile: string;
  readonly dx: { host: string; address: string; port: number };
  readonly files: LabFiles;
  readonly users: { alice: LabUser };
  /** The TXT value of `_dx.example.test`. */
  readonly record: string;
  /** `--resolver … --trust-anchor … -p …`: what every `dime` run against the lab needs. */
  dimeArgs(): string[];
  /** `--resolver … --trust-anchor …`: for `dime record` and `dime lookup`. */
  dnsArgs(): string[];
  /** Runs the real `dime` bin against the lab (`args` first, then `dimeArgs()`, or `dnsArgs()` for `record`/`lookup`). */
  runDime(args: string[], timeoutMs?: number): Promise<BinRun>;
  /** Runs any bin in the lab's directory. */
  run(bin: BinName, args: string[], timeoutMs?: number): Promise<BinRun>;
  /** Re-signs `zone` (default example.test.) with signatures that expired in 2020. */
  expireZoneSignatures(zone?: LabZoneName): Promise<void>;
  /** Re-signs `zone` with a current window (undoes `expireZoneSignatures`). */
  resignZone(zone?: LabZoneName): Promise<void>;
  /** Runs `genrec` again for the DX's current certificate and publishes the new `_dx` record. */
  republishRecord(): Promise<string>;
  /** Restarts the DX with a new self-signed certificate (same host) the record does not pin. */
  swapDxCertificate(): Promise<{ cert: string; key: string }>;
  /** Flips a byte of the last signature of the user's current signet inside the DX's store. */
  tamperStoredSignet(user?: 'alice'): Promise<{ replaced: number }>;
  /** New keys and signet for the user (custody-signed by the old keys), published to the DX. */
  rotateUserKeys(user?: 'alice'): Promise<LabUser>;
  /** `lab.json` contents (profile §6). */
  labJson(): LabJson;
  /** Restarts `dmtpd serve` on the same port. */
  restartDx(): Promise<void>;
  stop(): Promise<void>;
}

export interface LabJson {
  domain: string;
  dns: 'lab' | 'bind';
  resolver: string;
  trustAnchor: string;
  dx: { host: string; address: string; port: number };
  record: string;
  files: Record<string, unknown>;
  users: { alice: { address: string; fingerprints: Fingerprints; signet: string; keys: string } };
  dime: string[];
}

/** Throws a DimeError naming the failed step unless the run exited 0. */
function ensureOk(run: BinRun): BinRun {
  if (run.code !== 0) throw new DimeError('PROTOCOL', `lab: ${failureOf(run)}`);
  return run;
}

/** The fingerprints of an armored signet file (what `signet -f --kind all` prints). */
export function fingerprintsOf(file: string): Fingerprints {
  const fp = signetFingerprints(decodeSignetBinary(parseArmor(readFileSync(file, 'utf8')).bytes));
  if (!fp.full || !fp.crypto || !fp.id) throw new DimeError('PROTOCOL', `lab: ${file}: a signet without full and id fingerprints`);
  return fp as Fingerprints;
}

/** The TXT value of a zone line (`_dx.x. 3600 IN TXT "a" "b"` → `ab`). */
export function txtValueOfZoneLine(line: string): string {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1')).join('');
}

/** All occurrences of `needle` in `hay`. */
function indexesOf(hay: Buffer, needle: Uint8Array): number[] {
  const found: number[] = [];
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) found.push(at);
  return found;
}

export async function buildLabWorld(options: LabWorldOptions = {}): Promise<LabWorld> {
  const made = options.dir === undefined;
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'dime-lab-')));
  mkdirSync(dir, { recursive: true });
  const dnsKind = options.dns ?? 'lab';
  const report = options.onRun ?? (() => {});
  const note = options.onNote ?? (() => {});
  const run = (bin: BinName, args: string[], timeoutMs?: number) => runBin(bin, args, { cwd: dir, ...(timeoutMs ? { timeoutMs } : {}) });
  const step = async (bin: BinName, args: string[]) => {
    const r = await run(bin, args);
    report(r);
    return ensureOk(r);
  };

  let dns: LabDns | undefined;
  let dx: DxProcess | undefined;
  const cleanup = async () => {
    await dx?.stop();
    await dns?.stop();
    if (made && !options.keep) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const domain = LAB_DOMAIN;
    const address = `alice@${domain}`;
    const files = {
      orgKeys: `${domain}.key`,
      orgSignet: `${domain}.signet`,
      aliceKeys: `alice-${domain}.key`,
      aliceSsr: `alice-${domain}.ssr`,
      aliceSignet: `alice-${domain}.signet`,
      dxDir: 'dmtpd',
      record: `_dx.${domain}.zone`,
    };
    // Every step starts as soon as what it needs exists (two cores are enough): the critical path
    // is signet -g → signet -s → dmtpd publish, with dmtpd init → dmtpd serve and genrec → DNS
    // beside it. The runs are reported afterwards in the order a person would type them, failed
    // ones included, so that the transcript shows what broke.
    const ok = async (p: Promise<BinRun>) => ensureOk(await p);
    const orgGen = run('signet', ['-g', domain, '--name', 'Example Test']);
    const userGen = run('signet', ['-g', address]);
    const init = run('dmtpd', ['init', '--domain', domain, '--dx', LAB_DX_HOST, '--dir', files.dxDir]);
    const sign = Promise.all([ok(orgGen), ok(userGen)]).then(() => run('signet', ['-s', address, '-r', files.aliceSsr, '-k', files.orgKeys, '--name', 'Alice']));
    const genrec = Promise.all([ok(orgGen), ok(init)]).then(() =>
      run('genrec', ['-k', files.orgKeys, '-c', `${files.dxDir}/tls/cert.pem`, '-d', LAB_DX_HOST, '--zone', domain])
    );
    const publish = Promise.all([ok(sign), ok(init)]).then(() => run('dmtpd', ['publish', '--dir', files.dxDir, files.orgSignet, files.aliceSignet]));
    const listenPort = options.dxPort ?? 0;
    const dxReady = ok(init)
      .then(() =>
        startDx(files.dxDir, `127.0.0.1:${listenPort}`, dir).catch(async (err: unknown) => {
          if (listenPort === 0) throw err;
          note(`port ${listenPort} unavailable (${(err as Error).message}); using a free port`);
          return startDx(files.dxDir, '127.0.0.1:0', dir);
        })
      )
      .then((d) => (dx = d));
    const dnsReady = ok(genrec)
      .then((r) => (dnsKind === 'bind' ? startBindDns({ dir, dxZoneLine: r.stdout.trim() }) : startLabDns({ dir, dxZoneLine: r.stdout.trim() })))
      .then((d) => (dns = d));
    const runs = [orgGen, userGen, sign, init, genrec, publish];
    const settled = await Promise.allSettled([...runs, dxReady, dnsReady]);
    for (const s of settled.slice(0, runs.length)) if (s.status === 'fulfilled') report(s.value as BinRun);
    for (const s of settled.slice(0, runs.length)) if (s.status === 'fulfilled') ensureOk(s.value as BinRun);
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    const recordLine = (await genrec).stdout.trim();
    writeFileSync(join(dir, files.record), `${recordLine}\n`);
    const aliceFp = fingerprintsOf(join(dir, files.aliceSignet));
    if (!dns || !dx) throw new DimeError('PROTOCOL', 'lab: DNS or DX did not start');
    note(dns.kind === 'bind' ? 'BIND (dnssec-signzone, two named) serves . → test. → example.test.' : 'dime-lab signed . → test. → example.test. and serves them');
    note(`DNS ready at ${dns.resolver}; trust anchor ${dns.trustAnchorFile}`);
    note(`$ ${dx.command} &\n${dx.output().trim().split('\n').map((l) => `  ${l}`).join('\n')}`);
    const dxPort = dx.port;

    const abs = (p: string) => join(dir, p);
    const alice: LabUser = {
      address,
      keys: abs(files.aliceKeys),
      ssr: abs(files.aliceSsr),
      signet: abs(files.aliceSignet),
      fingerprints: aliceFp,
      previous: [],
    };
    const worldFiles: LabFiles = {
      orgKeys: abs(files.orgKeys),
      orgSignet: abs(files.orgSignet),
      record: abs(files.record),
      dxDir: abs(files.dxDir),
      dxCert: abs(`${files.dxDir}/tls/cert.pem`),
      dxKey: abs(`${files.dxDir}/tls/key.pem`),
      trustAnchor: dns.trustAnchorFile,
      zones: { ...dns.zoneFiles },
    };
    const activeDns = dns;
    const dnsArgs = () => ['--resolver', activeDns.resolver, '--trust-anchor', activeDns.trustAnchorFile];
    const dimeArgs = () => [...dnsArgs(), '-p', String(dxPort)];
    const restartDx = async () => {
      await dx?.stop();
      dx = undefined;
      dx = await startDx(files.dxDir, `127.0.0.1:${dxPort}`, dir);
    };
    let rotations = 0;
    let record = txtValueOfZoneLine(recordLine);

    const world: LabWorld = {
      domain,
      dir,
      dns: dnsKind,
      resolver: dns.resolver,
      trustAnchorFile: dns.trustAnchorFile,
      dx: { host: LAB_DX_HOST, address: '127.0.0.1', port: dxPort },
      files: worldFiles,
      users: { alice },
      get record() {
        return record;
      },
      dimeArgs,
      dnsArgs,
      runDime: (args, timeoutMs) => run('dime', [...args, ...(['record', 'lookup'].includes(args[0]!) ? dnsArgs() : dimeArgs())], timeoutMs),
      run,
      async expireZoneSignatures(zone = `${domain}.`) {
        await activeDns.resign(zone, { window: EXPIRED_WINDOW });
      },
      async resignZone(zone = `${domain}.`) {
        await activeDns.resign(zone);
      },
      async republishRecord() {
        const line = (await step('genrec', ['-k', files.orgKeys, '-c', `${files.dxDir}/tls/cert.pem`, '-d', LAB_DX_HOST, '--zone', domain])).stdout.trim();
        writeFileSync(worldFiles.record, `${line}\n`);
        await activeDns.resign(`${domain}.`, { dxZoneLine: line });
        record = txtValueOfZoneLine(line);
        return line;
      },
      async swapDxCertificate() {
        const other = `dmtpd-other-${Date.now()}`;
        await step('dmtpd', ['init', '--domain', domain, '--dx', LAB_DX_HOST, '--dir', other]);
        await dx?.stop();
        copyFileSync(join(dir, other, 'tls/cert.pem'), worldFiles.dxCert);
        copyFileSync(join(dir, other, 'tls/key.pem'), worldFiles.dxKey);
        chmodSync(worldFiles.dxKey, 0o600);
        await restartDx();
        return { cert: worldFiles.dxCert, key: worldFiles.dxKey };
      },
      async tamperStoredSignet(user = 'alice') {
        const signet = parseArmor(readFileSync(world.users[user].signet, 'utf8')).bytes;
        const b64 = Buffer.from(Buffer.from(signet).toString('base64'), 'latin1');
        // The store is closed while it is edited, so no connection holds a stale page.
        await dx?.stop();
        let replaced = 0;
        for (const name of ['signets.db', 'signets.db-wal']) {
          const path = join(worldFiles.dxDir, name);
          if (!existsSync(path)) continue;
          const bytes = readFileSync(path);
          // Binary copies: flip the last byte (inside the last signature field).
          for (const at of indexesOf(bytes, signet)) {
            bytes[at + signet.length - 1] ^= 0x01;
            replaced++;
          }
          // Base64 copies: change a character inside the last signature (before the padding).
          for (const at of indexesOf(bytes, b64)) {
            const i = at + b64.length - 4;
            bytes[i] = bytes[i] === 0x41 ? 0x42 : 0x41;
            replaced++;
          }
          writeFileSync(path, bytes);
        }
        await restartDx();
        if (replaced === 0) throw new DimeError('NOT_FOUND', `lab: ${world.users[user].address}'s signet is not in ${worldFiles.dxDir}/signets.db as binary or base64`);
        return { replaced };
      },
      async rotateUserKeys(user = 'alice') {
        const current = world.users[user];
        rotations++;
        const stem = `${user}-${domain}.${rotations + 1}`;
        const keys = `${stem}.key`;
        const ssr = `${stem}.ssr`;
        const signetFile = `${stem}.signet`;
        await step('signet', ['-g', current.address, '-k', keys, '-c', current.keys, '-o', ssr]);
        await step('signet', ['-s', current.address, '-r', ssr, '-k', files.orgKeys, '-o', signetFile, '--name', 'Alice']);
        await step('dmtpd', ['publish', '--dir', files.dxDir, signetFile]);
        const fingerprints = fingerprintsOf(abs(signetFile));
        current.previous.push({ keys: current.keys, signet: current.signet, fingerprints: current.fingerprints });
        Object.assign(current, { keys: abs(keys), ssr: abs(ssr), signet: abs(signetFile), fingerprints });
        return current;
      },
      labJson() {
        return {
          domain,
          dns: dnsKind,
          resolver: activeDns.resolver,
          trustAnchor: activeDns.trustAnchorFile,
          dx: { ...world.dx },
          record: world.record,
          files: { ...worldFiles, aliceKeys: alice.keys, aliceSsr: alice.ssr, aliceSignet: alice.signet },
          users: { alice: { address, fingerprints: alice.fingerprints, signet: alice.signet, keys: alice.keys } },
          dime: ['dime', '-f', alice.fingerprints.full, address, ...dimeArgs()],
        };
      },
      restartDx,
      stop: cleanup,
    };
    return world;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

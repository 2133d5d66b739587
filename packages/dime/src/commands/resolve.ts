/**
 * `dime [options] <name>` (profile §6 `dime`), the default command: fetch and verify the signet of a
 * domain (org signet, against the record's POK) or of user@domain (user signet, against the org
 * signet). `-c` asks VRFY, `-H` asks HIST and checks every custody link. The flow is
 * `@dime/core/resolve`; this file parses flags, reads files, prints and picks the exit status.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { Option, type Command } from 'commander';
import { fileExists, oneLine, printJson, readInputFile, writeFileAtomic } from '@dime/core/io';
import { DimeError, usageError } from '@dime/core/errors';
import { armorSignetObject } from '@dime/core/signet';
import { normalizeSignetName, isUserName } from '@dime/core/dmtp';
import { checkSignet, resolveSignet, signetHistory, type ResolveOptions } from '@dime/core/resolve';
import { addDnsOptions, dnsSetup, note, type CliContext, type DnsFlags } from '../context.js';
import { checkHuman, checkJson, historyHuman, historyJson, resolveHuman, resolveJson } from '../resolve-output.js';

interface ResolveFlags extends DnsFlags {
  fingerprint?: string;
  check?: boolean;
  history?: boolean;
  end?: string;
  dx?: string;
  port?: number;
  starttls?: boolean;
  recordFile?: string;
  recordInsecure?: boolean;
  ca?: string[];
  ipv4?: boolean;
  ipv6?: boolean;
  output?: string;
  force?: boolean;
}

/** `-vvvvv`: the DMTP wire. */
const WIRE_LEVEL = 5;

function parsePort(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw usageError(`--port ${value}: expected a port from 1 to 65535`);
  return Number(value);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A `-d` host: a host name or an IP address (brackets around IPv6 allowed). */
function dxHostArgument(text: string): string {
  const host = text.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) return host;
  if (/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(host) && host.length <= 254) return host.replace(/\.$/, '').toLowerCase();
  throw usageError(`--dx ${JSON.stringify(text)}: not a host name or an IP address`);
}

/** Flag combinations libdime refused too (dmtp.md §5.1), as usage errors before any packet is sent. */
function checkCombinations(name: string, flags: ResolveFlags): void {
  if (flags.check && flags.history) throw usageError('-c/--check and -H/--history cannot be combined');
  if (flags.check && flags.fingerprint === undefined) throw usageError('-c/--check needs -f/--fingerprint (the fingerprint to check)');
  if (flags.history && flags.fingerprint === undefined) throw usageError('-H/--history needs -f/--fingerprint (where the chain starts)');
  if (flags.history && !isUserName(name)) throw usageError(`-H/--history: ${name} is a domain; only user signets have a chain of custody`);
  if (flags.end !== undefined && !flags.history) throw usageError('-e/--end is the end of a -H/--history chain; it needs -H');
  if (flags.recordInsecure && flags.recordFile === undefined) throw usageError('-0 applies to a record read with -i/--record-file; it needs -i');
  if (flags.ipv4 && flags.ipv6) throw usageError('-4 and -6 cannot be combined');
  const literal = flags.dx === undefined ? 0 : isIP(flags.dx.replace(/^\[(.*)\]$/, '$1'));
  if ((flags.ipv4 && literal === 6) || (flags.ipv6 && literal === 4)) {
    throw usageError(`--dx ${flags.dx}: an IPv${literal} address cannot be reached with ${flags.ipv4 ? '-4' : '-6'}`);
  }
  if (flags.output !== undefined && (flags.check || flags.history)) throw usageError('-o/--output writes a verified signet; it does not apply to -c or -H');
  if (flags.force && flags.output === undefined) throw usageError('--force only applies to -o/--output');
}

/** `--ca` files: PEM text holding at least one certificate (BAD_INPUT, exit 3, otherwise). */
function readCaFiles(paths: readonly string[]): string[] {
  return paths.map((path) => {
    const text = new TextDecoder().decode(readInputFile(path, 'CA file'));
    if (!/-----BEGIN CERTIFICATE-----/.test(text)) throw new DimeError('BAD_INPUT', `${path}: no PEM certificate in the CA file`);
    try {
      new X509Certificate(text);
    } catch (error) {
      throw new DimeError('BAD_INPUT', `${path}: unreadable certificate: ${(error as Error).message}`);
    }
    return text;
  });
}

export function registerResolve(program: Command, ctx: CliContext): Command {
  const command = program
    .command('resolve', { isDefault: true })
    .usage('[options] <name>')
    .description('fetch and verify the signet of <name> (default command: `dime <name>`)')
    .argument('<name>', 'a domain (org signet) or user@domain (user signet)')
    .option('-f, --fingerprint <fp>', 'request and require the signet having this fingerprint (any kind; 86/88 base64 or 128 hex)')
    .option('-c, --check', 'ask the DX whether the -f fingerprint is current (exit 1 when outdated)')
    .option('-H, --history', 'fetch the chain of custody from -f to -e (or the current signet) and verify every link')
    .option('-e, --end <fp>', 'last signet of the -H chain (default: the current one)')
    .option('-d, --dx <host>', 'use this DX host instead of discovery (dx=, MX, the domain)')
    .addOption(new Option('-p, --port <n>', 'DX port for whichever host is used (default 26; 25 with --starttls)').argParser(parsePort))
    .option('--starttls', 'dual mode: plaintext banner, STARTTLS, then TLS, on the port used')
    .option('-i, --record-file <file>', 'read the DIME record from a file (TXT value or zone line) instead of DNS; trusted as secure')
    .option('-0, --record-insecure', 'with -i: treat the file record as insecure')
    .option('--ca <pem>', 'CA certificates for PKIX, replacing Node\'s bundled roots (repeatable)', collect)
    .option('--require-dnssec', 'an insecure (unsigned) record is a failure (exit 1)')
    .option('-4, --ipv4', 'connect to the DX over IPv4 only')
    .option('-6, --ipv6', 'connect to the DX over IPv6 only')
    .option('-o, --output <file>', 'write the verified signet, armored, to this file (never replaces a file without --force)')
    .option('--force', 'with -o: replace an existing file');
  addDnsOptions(command).action(async (nameText: string, flags: ResolveFlags) => {
    const base = { name: nameText, verified: false };
    ctx.jsonBase = flags.check ? { name: nameText, current: null, requested: flags.fingerprint ?? null, newest: null } : flags.history ? { ...base, chain: [] } : { ...base, record: null, dx: null, org: null, signet: null };
    const name = normalizeSignetName(nameText);
    if (!name) throw usageError(`name ${JSON.stringify(nameText)}: not a domain or a user@domain address`);
    checkCombinations(name, flags);
    if (flags.output !== undefined && !flags.force && fileExists(flags.output)) {
      throw new DimeError('EXISTS', `${flags.output} exists; use --force to replace it`);
    }
    const recordText = flags.recordFile === undefined ? undefined : new TextDecoder().decode(readInputFile(flags.recordFile, 'record file'));
    const ca = flags.ca ? readCaFiles(flags.ca) : undefined;
    const setup = dnsSetup(ctx, flags);

    const options: ResolveOptions = {
      transport: setup.transport,
      anchors: setup.anchors,
      ...(ctx.options.now ? { now: ctx.options.now } : {}),
      ...(flags.fingerprint !== undefined ? { fingerprint: flags.fingerprint } : {}),
      ...(flags.dx !== undefined ? { dxHost: dxHostArgument(flags.dx) } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.starttls ? { starttls: true } : {}),
      ...(recordText !== undefined ? { recordText } : {}),
      ...(flags.recordInsecure ? { recordInsecure: true } : {}),
      ...(flags.requireDnssec ? { requireDnssec: true } : {}),
      ...(ca ? { ca } : {}),
      ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
      ...(flags.ipv4 ? { family: 4 as const } : flags.ipv6 ? { family: 6 as const } : {}),
      log: (level, line) => note(ctx, flags, level, line),
      ...(flags.verbose >= WIRE_LEVEL ? { wireLog: (line: string) => ctx.output.err(`${line}\n`) } : {}),
    };

    let json: Record<string, unknown>;
    let human: string[];
    let error: DimeError | null;
    if (flags.check) {
      const result = await checkSignet(name, { ...options, fingerprint: flags.fingerprint! });
      [json, human, error] = [checkJson(result), checkHuman(result), result.error];
    } else if (flags.history) {
      const result = await signetHistory(name, { ...options, fingerprint: flags.fingerprint!, ...(flags.end !== undefined ? { end: flags.end } : {}) });
      [json, human, error] = [historyJson(result), historyHuman(result), result.error];
    } else {
      const result = await resolveSignet(name, options);
      [json, human, error] = [resolveJson(result), result.verified ? resolveHuman(result) : [], result.error];
      if (result.verified && flags.output !== undefined) {
        writeFileAtomic(flags.output, armorSignetObject(result.signet!.signet), { force: flags.force === true, what: 'signet file' });
        note(ctx, flags, 1, `wrote ${flags.output}`);
        if (!flags.json) human.push(`  written to ${flags.output}`);
      }
    }

    if (flags.json) printJson(json, ctx.output);
    else if (human.length > 0) ctx.output.out(`${human.join('\n')}\n`);
    if (error) {
      ctx.output.err(`dime: error: ${oneLine(error.message)}\n`);
      if (flags.debug && error.stack) ctx.output.err(`${error.stack}\n`);
    }
    ctx.exitCode = error ? error.exitCode : 0;
  });
  return command;
}

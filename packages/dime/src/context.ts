/**
 * What every `dime` command shares: where it prints, how it reports progress, and the DNS flags
 * (`--resolver`, `--trust-anchor`, `--timeout`) turned into a transport and trust anchors.
 */
import { Command, Option } from 'commander';
import type { Output } from '@dime/core/io';
import { readInputFile } from '@dime/core/io';
import { usageError } from '@dime/core/errors';
import { createStubTransport, formatServerAddress, parseServerAddress, resolverFromResolvConf, type DnsTransport } from '@dime/core/dns';
import { ROOT_TRUST_ANCHORS, parseTrustAnchors, type TrustAnchor } from '@dime/core/dnssec';
import { DimeError, isDimeError } from '@dime/core/errors';

/** Test hooks for in-process runs; the bin never sets them. */
export interface MainOptions {
  /** Replaces the stub client (offline tests). */
  transport?: DnsTransport;
  /** The validation clock. */
  now?: Date;
  /** resolv.conf used without `--resolver` (default /etc/resolv.conf). */
  resolvConf?: string;
}

export interface DnsFlags {
  resolver?: string;
  trustAnchor?: string;
  timeout?: number;
  json?: boolean;
  verbose: number;
  debug?: boolean;
  requireDnssec?: boolean;
}

export interface CliContext {
  readonly output: Output;
  readonly options: MainOptions;
  /** The exit status the action decided (commander actions cannot return one). */
  exitCode: number;
  /** Keys printed before `error` when a failure is reported as JSON. */
  jsonBase?: Record<string, unknown>;
}

export const DEFAULT_TIMEOUT_MS = 3000;

function parseTimeout(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 600_000) {
    throw usageError(`--timeout ${value}: expected milliseconds from 1 to 600000`);
  }
  return Number(value);
}

/** Adds the flags every DNS-reading command takes. */
export function addDnsOptions(command: Command): Command {
  return command
    .option('--resolver <host[:port]>', 'recursive resolver to ask (default: first nameserver in /etc/resolv.conf)')
    .option('--trust-anchor <file>', 'trust anchors replacing the built-in root keys (DS/DNSKEY lines, BIND or unbound syntax)')
    .addOption(new Option('--timeout <ms>', 'wait per DNS attempt, in milliseconds (3 attempts per query)').argParser(parseTimeout))
    .option('--json', 'print one JSON object on stdout')
    .option('-v, --verbose', 'more detail (-vv also logs every DNS query on stderr)', (_value: string, previous: number) => previous + 1, 0)
    .option('--debug', 'print a stack trace with errors');
}

/** A line on stderr when `--verbose` reaches `level`. */
export function note(ctx: CliContext, flags: DnsFlags, level: number, text: string): void {
  if (flags.verbose >= level) ctx.output.err(`dime: ${text}\n`);
}

/** A trust-anchor file; its problems are BAD_INPUT (exit 3) naming the file. */
function readAnchors(path: string): TrustAnchor[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(readInputFile(path, 'trust anchor file'));
  try {
    return parseTrustAnchors(text);
  } catch (error) {
    if (isDimeError(error)) throw new DimeError(error.code, `trust anchor file ${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

export interface DnsSetup {
  transport: DnsTransport;
  anchors: TrustAnchor[];
  /** `127.0.0.1:53`, for messages. */
  resolver: string;
}

/** Builds the transport and anchors from the flags (usage errors before any packet is sent). */
export function dnsSetup(ctx: CliContext, flags: DnsFlags): DnsSetup {
  const anchors = flags.trustAnchor ? readAnchors(flags.trustAnchor) : [...ROOT_TRUST_ANCHORS];
  const server = flags.resolver !== undefined ? parseServerAddress(flags.resolver) : resolverFromResolvConf(ctx.options.resolvConf);
  const resolver = formatServerAddress(server);
  note(ctx, flags, 1, `resolver ${resolver}${flags.resolver === undefined ? ' (from resolv.conf)' : ''}, ${anchors.length} trust anchor${anchors.length === 1 ? '' : 's'}`);
  const transport =
    ctx.options.transport ??
    createStubTransport({
      server,
      timeoutMs: flags.timeout ?? DEFAULT_TIMEOUT_MS,
      log: (line) => note(ctx, flags, 2, line),
    });
  return { transport, anchors, resolver };
}

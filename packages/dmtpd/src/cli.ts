/**
 * `dmtpd init|publish|serve` (profile §6 `dmtpd`). This file parses flags and prints; the DX directory,
 * the store and publishing live in `dx.ts`, `store.ts`, `publish.ts`, the protocol in @dime/core/dmtp.
 */
import { Command, CommanderError, Option } from 'commander';
import { configureBinProgram, printJson, processOutput, readInputFile, reportFailure, usageError, type Output } from '@dime/core';
import { formatHostPort } from '@dime/core/dmtp';
import { DEFAULT_DIR, DEFAULT_LISTEN, initDx, openDxStore, startDx } from './dx.js';
import { publishSignet, type PublishResult } from './publish.js';

export const BIN = 'dmtpd';

interface CommonOptions {
  dir: string;
  json?: boolean;
  debug?: boolean;
}

function positiveInteger(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw usageError(`${flag} ${JSON.stringify(text)}: expected a positive integer`);
  return Number(text);
}

/** Resolves when SIGINT or SIGTERM arrives (the listeners are removed afterwards). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

function describePublish(file: string, result: PublishResult): string {
  const custody = result.type === 'user' ? ` custody=${result.custody}` : '';
  return `${result.status} ${result.type} ${result.name}${custody} full=${result.fingerprints.full} (${file})\n`;
}

/** Runs `dmtpd` with `argv` (without node and script); returns the exit status of profile §6. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  let status = 0;
  let json = argv.includes('--json');
  const debug = argv.includes('--debug');
  let jsonBase: Record<string, unknown> = {};

  const program = configureBinProgram(new Command().name(BIN), BIN, import.meta.url, output).description(
    'The DX: a DMTP signet server (implicit TLS, optional dual mode) with its SQLite store.'
  );

  program
    .command('init')
    .description('create a DX directory: the store DIR/signets.db and a TLS certificate DIR/tls/{cert,key}.pem')
    .requiredOption('--domain <domain>', 'the organisation domain this DX serves')
    .requiredOption('--dx <host>', 'the DX host name (the certificate names it; the banner shows it)')
    .option('--dir <dir>', 'the DX directory', DEFAULT_DIR)
    .option('--cert <pem>', 'use this certificate instead of a new self-signed RSA-2048 one (with --key)')
    .option('--key <pem>', 'the private key of --cert')
    .option('--json', 'print one JSON object on stdout')
    .option('--debug', 'print a stack trace on failure')
    .action((options: CommonOptions & { domain: string; dx: string; cert?: string; key?: string }) => {
      json = options.json === true;
      const result = initDx({
        dir: options.dir,
        domain: options.domain,
        dx: options.dx,
        ...(options.cert === undefined ? {} : { certFile: options.cert }),
        ...(options.key === undefined ? {} : { keyFile: options.key }),
      });
      if (json) {
        printJson({ dir: result.dir, domain: result.domain, dx: result.dx, store: result.store, cert: result.cert, key: result.key, selfSigned: result.selfSigned, certSha256: result.certSha256, error: null }, output);
        return;
      }
      output.out(`initialised ${result.dir} for ${result.domain} (DX ${result.dx})\n`);
      output.out(`store:       ${result.store}\n`);
      output.out(`certificate: ${result.cert} (${result.selfSigned ? 'self-signed RSA-2048' : 'given'}, SHA-256 ${result.certSha256})\n`);
      output.out(`key:         ${result.key} (mode 0600)\n`);
    });

  program
    .command('publish')
    .description('add org and user signets to the store, in the order given')
    .argument('<file...>', 'signet files (armored or binary)')
    .option('--dir <dir>', 'the DX directory', DEFAULT_DIR)
    .option('--require-custody', 'refuse a user signet with a new signing key unless the previous key signed its custody field')
    .option('--json', 'print one JSON object on stdout')
    .option('--debug', 'print a stack trace on failure')
    .action((files: string[], options: CommonOptions & { requireCustody?: boolean }) => {
      json = options.json === true;
      const published: Record<string, unknown>[] = [];
      jsonBase = { published };
      const { store, domain } = openDxStore(options.dir);
      try {
        for (const file of files) {
          const input = readInputFile(file, 'signet');
          let result: PublishResult;
          try {
            result = publishSignet(store, input, { requireCustody: options.requireCustody === true, defaultDomain: domain });
          } catch (error) {
            if (error instanceof Error) error.message = `${file}: ${error.message}`;
            throw error;
          }
          published.push({ file, ...result });
          if (!json) output.out(describePublish(file, result));
          if (result.warning) output.err(`${BIN}: warning: ${file}: ${result.warning}\n`);
        }
      } finally {
        store.close();
      }
      if (json) printJson({ published, error: null }, output);
    });

  program
    .command('serve')
    .description('serve the store until SIGINT/SIGTERM')
    .option('--dir <dir>', 'the DX directory', DEFAULT_DIR)
    .option('--listen <host:port>', `implicit-TLS listener (IPv6 as [::1]:26)`, DEFAULT_LISTEN)
    .option('--dual <host:port>', 'also a dual-mode listener (plaintext banner, STARTTLS)')
    .option('--idle-timeout <ms>', 'close sessions idle this long (default 60000)')
    .option('--max-connections <n>', 'concurrent sessions; more get 421 (default 256)')
    .addOption(new Option('--json', 'print the listening addresses as one JSON object').hideHelp())
    .option('--debug', 'print a stack trace on failure')
    .action(async (options: CommonOptions & { listen: string; dual?: string; idleTimeout?: string; maxConnections?: string }) => {
      json = options.json === true;
      const idleTimeoutMs = positiveInteger('--idle-timeout', options.idleTimeout);
      const maxConnections = positiveInteger('--max-connections', options.maxConnections);
      const dx = await startDx({
        dir: options.dir,
        listen: options.listen,
        ...(options.dual === undefined ? {} : { dual: options.dual }),
        ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
        ...(maxConnections === undefined ? {} : { maxConnections }),
        log: (line) => output.err(`${BIN}: ${line}\n`),
      });
      const signal = untilSignal();
      const listening = formatHostPort(dx.address.host, dx.address.port);
      const dual = dx.dualAddress ? formatHostPort(dx.dualAddress.host, dx.dualAddress.port) : undefined;
      if (json) {
        printJson({ listening, dual: dual ?? null, hostname: dx.hostname, domain: dx.domain, error: null }, output);
      } else {
        output.out(`listening ${listening}\n`);
        if (dual) output.out(`dual ${dual}\n`);
      }
      output.err(`${BIN}: serving ${dx.domain} as ${dx.hostname}\n`);
      const received = await signal;
      output.err(`${BIN}: ${received}: closing\n`);
      await dx.close();
      output.err(`${BIN}: stopped\n`);
    });

  try {
    if (argv.length === 0) throw usageError('a command is required: init, publish or serve (see dmtpd --help)');
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError && error.message.startsWith('error: ')) error.message = error.message.slice(7);
    status = reportFailure(BIN, error, { json, debug, jsonBase }, output);
    return status;
  }
}

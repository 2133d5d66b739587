/**
 * `genrec`: emit and check the DIME management record (profile §6 `genrec`). This file only parses
 * flags and picks the mode; `generate.ts` and `check.ts` read files, call @dime/core and print.
 */
import { Command, CommanderError, Option } from 'commander';
import { configureBinProgram, processOutput, reportFailure, usageError, type Output } from '@dime/core';
import { runGenerate } from './generate.js';
import { runCheck } from './check.js';

export const BIN = 'genrec';

export interface GenrecOptions {
  key: string[];
  cert: string[];
  policy?: string;
  subdomain?: string;
  syndicate: string[];
  dx: string[];
  expiry?: string;
  zone?: string;
  ttl?: string;
  check?: string;
  checkFile?: string;
  json: boolean;
  verbose: number;
  debug: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function buildProgram(output: Output): Command {
  return configureBinProgram(new Command().name(BIN), BIN, import.meta.url, output)
    .description('Emit or check the DIME management record (TXT at _dx.<domain>).')
    .usage('-k ORGKEYS [-k KEYS…] [-c CERT…] [options]  |  --check TEXT|-  |  --check-file FILE')
    .option('-k, --key <file>', 'org keys file (any dialect), ED25519 PRIVATE KEY PEM or PKCS#8 Ed25519 PEM; repeatable, one pok= each', collect)
    .option('-c, --cert <pem>', 'DX certificate (PEM or DER); repeatable, one tls= each, signed by the first -k', collect)
    .option('-p, --policy <policy>', 'experimental | mixed | strict (default experimental)')
    .option('-s, --subdomain <mode>', 'strict | relaxed | explicit (default strict)')
    .option('-y, --syndicate <text>', 'syn= value; repeatable', collect)
    .option('-d, --dx <host>', 'DX host name; repeatable, tried in order', collect)
    .option('-e, --expiry <days>', 'exp=: days a cached record may be used')
    .option('--zone <domain>', 'print a zone line: _dx.<domain>. <ttl> IN TXT "…" "…"')
    .option('--ttl <seconds>', 'TTL of the --zone line (default 3600)')
    .option('--check <text>', 'parse and validate a record (a TXT value or a zone line; - reads stdin)')
    .option('--check-file <file>', 'parse and validate the record in FILE (a TXT value or a zone line)')
    .option('--json', 'print one JSON object on stdout')
    .addOption(new Option('-v, --verbose', 'more detail (repeatable); reports unknown fields').argParser((_v: string, previous: number) => previous + 1).default(0))
    .option('--debug', 'print a stack trace on failure')
    .allowExcessArguments(false);
}

/** Flags that make a record; none of them belongs with --check. */
const GENERATE_FLAGS: Array<[keyof GenrecOptions, string]> = [
  ['key', '-k/--key'],
  ['policy', '-p/--policy'],
  ['subdomain', '-s/--subdomain'],
  ['syndicate', '-y/--syndicate'],
  ['dx', '-d/--dx'],
  ['expiry', '-e/--expiry'],
  ['zone', '--zone'],
  ['ttl', '--ttl'],
];

/** What commander hands back: repeatable flags and switches are absent until given. */
type RawOptions = Partial<Pick<GenrecOptions, 'key' | 'cert' | 'syndicate' | 'dx' | 'json' | 'debug' | 'verbose'>> &
  Omit<GenrecOptions, 'key' | 'cert' | 'syndicate' | 'dx' | 'json' | 'debug' | 'verbose'>;

function normalise(raw: RawOptions): GenrecOptions {
  return {
    ...raw,
    key: raw.key ?? [],
    cert: raw.cert ?? [],
    syndicate: raw.syndicate ?? [],
    dx: raw.dx ?? [],
    json: raw.json === true,
    debug: raw.debug === true,
    verbose: raw.verbose ?? 0,
  };
}

function given(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

/** Commander's messages start with "error: "; the JSON `error.message` should not repeat it. */
function stripCommanderPrefix(error: unknown): void {
  if (error instanceof CommanderError && error.message.startsWith('error: ')) error.message = error.message.slice(7);
}

/** Runs `genrec` with `argv` (without node and script); returns the exit status of profile §6. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  const program = buildProgram(output);
  let options: GenrecOptions | undefined;
  try {
    program.parse(argv, { from: 'user' });
    options = normalise(program.opts<RawOptions>());
    const checking = options.check !== undefined || options.checkFile !== undefined;
    if (options.check !== undefined && options.checkFile !== undefined) {
      throw usageError('--check and --check-file exclude each other');
    }
    if (checking) {
      const mode = options.check !== undefined ? '--check' : '--check-file';
      for (const [key, flag] of GENERATE_FLAGS) {
        if (given(options[key])) throw usageError(`${mode} does not take ${flag} (it checks a record; only --cert, --json, -v apply)`);
      }
      return await runCheck(options, output);
    }
    return await runGenerate(options, output);
  } catch (error) {
    stripCommanderPrefix(error);
    const json = options?.json ?? argv.includes('--json');
    const debug = options?.debug ?? argv.includes('--debug');
    const checking = argv.includes('--check') || argv.includes('--check-file');
    return reportFailure(BIN, error, { json, debug, ...(checking ? { jsonBase: { certMatch: null } } : {}) }, output);
  }
}

/**
 * `dime lookup <name> [type]` (profile §6): any RRset, validated from the trust anchors down, like
 * `delv`. Exit 0 secure or insecure, 1 bogus (and insecure under --require-dnssec), 4 indeterminate.
 * A proven NXDOMAIN or NODATA is `secure` with its rcode and no records.
 */
import type { Command } from 'commander';
import { oneLine, printJson } from '@dime/core/io';
import { DimeError } from '@dime/core/errors';
import { addDnsOptions, dnsSetup, type CliContext, type DnsFlags } from '../context.js';
import { nameArgument, typeArgument } from '../names.js';
import { formatValidation } from '../print.js';
import { lookup, statusError } from '../validation.js';

export function registerLookup(program: Command, ctx: CliContext): Command {
  const command = program
    .command('lookup')
    .description('look up any RRset and validate it with DNSSEC (like delv)')
    .argument('<name>', 'domain name')
    .argument('[type]', 'RR type', 'A');
  addDnsOptions(command)
    .option('--require-dnssec', 'treat an insecure answer as a failure (exit 1)')
    .action(async (nameText: string, typeText: string, flags: DnsFlags) => {
      const name = nameArgument(nameText);
      const type = typeArgument(typeText);
      const setup = dnsSetup(ctx, flags);
      const outcome = await lookup(setup, name, type, ctx.options.now);
      const json = {
        name: outcome.name,
        type: outcome.type,
        status: outcome.status,
        rcode: outcome.rcode,
        reason: outcome.reason,
        records: outcome.records,
        chain: outcome.chain,
      };
      const failure =
        statusError(outcome) ??
        (outcome.status === 'insecure' && flags.requireDnssec ? new DimeError('DNSSEC_INSECURE', `insecure: ${outcome.reason} (--require-dnssec)`) : undefined);
      if (flags.json) {
        printJson(failure ? { ...json, error: { code: failure.code, message: failure.message } } : json, ctx.output);
      } else {
        const lines = [...formatValidation(outcome).slice(0, 1), ...outcome.records, ...formatValidation(outcome).slice(1)];
        ctx.output.out(`${lines.join('\n')}\n`);
      }
      if (failure) ctx.output.err(`dime: error: ${oneLine(failure.message)}\n`);
      ctx.exitCode = failure ? failure.exitCode : 0;
    });
  return command;
}

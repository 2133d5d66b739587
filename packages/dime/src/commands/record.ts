/**
 * `dime record <domain>` (profile §6): the DIME management record at `_dx.<domain>` with its
 * DNSSEC status. Exit 0 found and secure or insecure (1 under --require-dnssec when insecure), 1 bogus,
 * provably absent or invalid, 4 indeterminate.
 */
import type { Command } from 'commander';
import { oneLine, printJson } from '@dime/core/io';
import { DimeError, isDimeError } from '@dime/core/errors';
import { txtStrings } from '@dime/core/dns';
import { recordToJson, selectDimeRecord, type DimeRecord, type DimeRecordJson } from '@dime/core/record';
import { addDnsOptions, dnsSetup, note, type CliContext, type DnsFlags } from '../context.js';
import { bareName, nameArgument } from '../names.js';
import { formatValidation } from '../print.js';
import { lookup, statusError, type LookupOutcome } from '../validation.js';

type RecordFields = { [K in keyof DimeRecordJson]: DimeRecordJson[K] | null };

const NO_FIELDS: RecordFields = {
  version: null,
  pok: null,
  tls: null,
  policy: null,
  subdomain: null,
  dx: null,
  syndicates: null,
  expiry: null,
};

/** Why there is no usable record in a validated answer, or the record itself. */
function recordFrom(outcome: LookupOutcome, owner: string): DimeRecord | DimeError {
  const txt = outcome.rrs.filter((rr) => rr.type === 'TXT');
  if (txt.length === 0) {
    const how = outcome.rcode === 'NXDOMAIN' ? 'the name does not exist' : 'the name has no TXT records';
    return new DimeError('NO_RECORD', `no DIME record at ${bareName(owner)}: ${how} (${outcome.status}, ${outcome.rcode})`);
  }
  try {
    return selectDimeRecord(txt.map((rr) => txtStrings(rr.rdata)));
  } catch (error) {
    if (isDimeError(error)) return new DimeError(error.code, `${bareName(owner)}: ${error.message}`, { cause: error });
    throw error;
  }
}

function humanRecord(domain: string, record: DimeRecord, outcome: LookupOutcome, verbose: number): string[] {
  const list = (values: readonly string[]): string => (values.length === 0 ? '-' : values.join('\n              '));
  const lines = [
    `_dx.${domain}: DIME record, DNSSEC ${outcome.status}`,
    `  version     ${record.version}`,
    `  pok         ${list(record.pok)}`,
    `  tls         ${list(record.tls)}`,
    `  policy      ${record.policy}`,
    `  subdomain   ${record.subdomain}`,
    `  dx          ${list(record.dx)}`,
    `  syndicates  ${list(record.syndicates)}`,
    `  expiry      ${record.expiry === null ? '-' : `${record.expiry} days`}`,
  ];
  if (verbose >= 1) {
    for (const field of record.unknown) lines.push(`  (ignored)   ${field.name}=${field.value}`);
    lines.push(...outcome.records.map((line) => `; ${line}`));
  }
  return lines;
}

export function registerRecord(program: Command, ctx: CliContext): Command {
  const command = program
    .command('record')
    .description('show the DIME management record of a domain with its DNSSEC status')
    .argument('<domain>', 'the domain (for user@domain, the part after @)');
  addDnsOptions(command)
    .option('--require-dnssec', 'treat an insecure (unsigned) record as a failure (exit 1)')
    .action(async (domainText: string, flags: DnsFlags) => {
      const domainPart = domainText.includes('@') ? domainText.slice(domainText.lastIndexOf('@') + 1) : domainText;
      const domain = bareName(nameArgument(domainPart, 'domain'));
      if (domain === '.') throw new DimeError('USAGE', 'domain: the root has no DIME record');
      const owner = `_dx.${domain}.`;
      const setup = dnsSetup(ctx, flags);
      const outcome = await lookup(setup, owner, 'TXT', ctx.options.now);

      let failure = statusError(outcome);
      let record: DimeRecord | undefined;
      if (!failure) {
        const found = recordFrom(outcome, owner);
        if (found instanceof DimeError) failure = found;
        else record = found;
      }
      if (!failure && outcome.status === 'insecure' && flags.requireDnssec) {
        failure = new DimeError('DNSSEC_INSECURE', `insecure: ${outcome.reason} (--require-dnssec)`);
      }
      note(ctx, flags, 1, `${owner} TXT: ${outcome.status} (${outcome.rcode}), ${outcome.rrs.length} records`);

      const fields: RecordFields = record ? recordToJson(record) : NO_FIELDS;
      const json = {
        domain,
        source: 'dns',
        dnssec: outcome.status,
        ...fields,
        reason: outcome.reason,
        chain: outcome.chain,
      };
      const message = failure ? oneLine(failure.message) : undefined;
      if (flags.json) {
        printJson(failure ? { ...json, error: { code: failure.code, message } } : json, ctx.output);
      } else {
        const lines = record ? humanRecord(domain, record, outcome, flags.verbose) : [`_dx.${domain}: no usable DIME record`];
        ctx.output.out(`${[...lines, ...formatValidation(outcome)].join('\n')}\n`);
      }
      if (failure) ctx.output.err(`dime: error: ${message}\n`);
      ctx.exitCode = failure ? failure.exitCode : 0;
    });
  return command;
}

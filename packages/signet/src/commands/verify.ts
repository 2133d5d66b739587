/**
 * `signet -v FILE [--org ORGSIGNET] [--pok B64]… [--record TEXT] [--previous SIGNET]`
 * (profile §2 `signet -v` table): prints the state; exit 0 only for the state the table asks.
 */
import {
  DimeError,
  parsePok,
  parseRecord,
  reportFailure,
  usageError,
  verificationErrorCode,
  verificationPassed,
  verifySignet,
  type SignetVerification,
  type VerifyOptions,
} from '@dime/core';
import type { CommandContext } from '../context.js';
import { readObject } from '../files.js';
import { fingerprintLines } from './print.js';

/** Every `pok=` of a management record TXT value (through the record parser of @dime/core). */
export function poksOfRecord(text: string): string[] {
  try {
    return parseRecord(text).pok;
  } catch (error) {
    if (error instanceof DimeError) throw new DimeError(error.code, `--record: ${error.message}`, { cause: error });
    throw error;
  }
}

export function runVerify(ctx: CommandContext): number {
  const { flags } = ctx;
  const poksGiven = flags.pok ?? [];
  const obj = readObject(flags.verify!, 'file', flags.lenient);
  if (obj.type === 'org-keys' || obj.type === 'user-keys') throw usageError(`${flags.verify}: a keys file carries no signatures to verify (use -d)`);
  if (obj.type === 'user' && flags.org === undefined) throw usageError('a user signet is verified against its org signet: give --org ORGSIGNET');
  if (obj.type !== 'user' && flags.org !== undefined) throw usageError(`--org applies to user signets; this is ${obj.type === 'org' ? 'an org signet' : 'an SSR'}`);
  if (obj.type === 'org' && flags.previous !== undefined) throw usageError('--previous applies to user signets and SSRs');
  if (obj.type === 'ssr' && (poksGiven.length > 0 || flags.record !== undefined)) throw usageError('--pok/--record do not apply to an SSR');

  const options: { -readonly [K in keyof VerifyOptions]: VerifyOptions[K] } = {};
  if (flags.org !== undefined) {
    const org = readObject(flags.org, 'org signet', flags.lenient);
    if (org.type !== 'org') throw usageError(`--org ${flags.org}: not an org signet`);
    options.org = org;
  }
  const poks = poksGiven.map((p) => {
    parsePok(p, 'USAGE');
    return p;
  });
  if (flags.record !== undefined) poks.push(...poksOfRecord(flags.record));
  if (poksGiven.length > 0 || flags.record !== undefined) options.poks = poks;
  if (flags.previous !== undefined) {
    const previous = readObject(flags.previous, 'previous signet', flags.lenient);
    if (previous.type !== 'user' && previous.type !== 'ssr') throw usageError(`--previous ${flags.previous}: not a user signet or SSR`);
    options.previous = previous;
  }

  const result = verifySignet(obj, options);
  const json = toJson(result);
  if (verificationPassed(result)) {
    if (flags.json) ctx.output.out(`${JSON.stringify(json, null, 2)}\n`);
    else ctx.output.out(humanReport(result));
    return 0;
  }
  if (!flags.json) ctx.output.out(humanReport(result));
  return reportFailure('signet', new DimeError(verificationErrorCode(result), failureMessage(result)), { json: flags.json === true, debug: false, jsonBase: json }, ctx.output);
}

function toJson(result: SignetVerification): Record<string, unknown> {
  return {
    type: result.type,
    state: result.state,
    trust: result.trust,
    pokAccepted: result.pokAccepted ?? null,
    fingerprints: result.fingerprints,
    checks: result.checks,
  };
}

function failureMessage(result: SignetVerification): string {
  const failed = result.checks.filter((c) => !c.ok).map((c) => `field ${c.field} (${c.name})`);
  switch (result.state) {
    case 'invalid':
      return `signature does not verify: ${failed.join(', ')}`;
    case 'broken-custody':
      return 'custody: no valid chain-of-custody signature (field 4) by the previous signing key';
    case 'incomplete':
      return 'incomplete: a signature or the fields it needs are missing';
    case 'ssr':
      return `state ssr: the user signet carries no org signature`;
    default:
      return result.pokAccepted === false ? 'POK is not among the accepted keys (--pok/--record)' : `state ${result.state}`;
  }
}

function humanReport(result: SignetVerification): string {
  const pok = result.pokAccepted === undefined ? '' : `, POK ${result.pokAccepted ? 'accepted' : 'NOT accepted'}`;
  let text = `${result.type} signet: ${result.state} (trust: ${result.trust}${pok})\n`.replace(/^ssr signet/, 'SSR');
  for (const check of result.checks) text += `  field ${String(check.field).padStart(3)} ${check.name.padEnd(8)}${check.ok ? 'ok' : 'FAILED'}\n`;
  return text + fingerprintLines(result.fingerprints, '  ');
}

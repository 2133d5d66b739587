/** `signet -f FILE [--kind ssr|crypto|full|id|all]`: the fingerprints of a signet or SSR. */
import { FINGERPRINT_KINDS, fingerprints, printJson, usageError, type FingerprintKind, type Fingerprints } from '@dime/core';
import type { CommandContext } from '../context.js';
import { readObject } from '../files.js';
import { fingerprintLines } from './print.js';

export function runFingerprint(ctx: CommandContext): number {
  const { flags } = ctx;
  const kind = flags.kind ?? 'all';
  if (kind !== 'all' && !FINGERPRINT_KINDS.includes(kind as FingerprintKind)) {
    throw usageError(`--kind ${kind}: expected ssr, crypto, full, id or all`);
  }
  const obj = readObject(flags.fingerprint!, 'file', flags.lenient);
  if (obj.type === 'org-keys' || obj.type === 'user-keys') throw usageError(`${flags.fingerprint}: a keys file has no fingerprints`);
  const all = fingerprints(obj);
  let selected: Fingerprints = all;
  if (kind !== 'all') {
    const value = all[kind as FingerprintKind];
    if (value === undefined) throw usageError(`${obj.type === 'ssr' ? 'an SSR' : 'an org signet'} has no ${kind} fingerprint`);
    selected = { [kind]: value };
  }
  if (flags.json) printJson(selected, ctx.output);
  else if (kind !== 'all') ctx.output.out(`${selected[kind as FingerprintKind]}\n`);
  else ctx.output.out(fingerprintLines(selected));
  return 0;
}

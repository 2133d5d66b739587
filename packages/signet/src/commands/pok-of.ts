/** `signet --pok-of KEYSFILE`: the 43-character DNS `pok=` value of an org keys file. */
import { pokOf, printJson } from '@dime/core';
import type { CommandContext } from '../context.js';
import { readKeys } from '../files.js';

export function runPokOf(ctx: CommandContext): number {
  const keys = readKeys(ctx.flags.pokOf!, 'keys file', 'org-keys');
  const pok = pokOf(keys);
  if (ctx.flags.json) printJson({ pok }, ctx.output);
  else ctx.output.out(`${pok}\n`);
  return 0;
}

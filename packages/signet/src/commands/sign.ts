/** `signet -s <user@domain> -r SSR -k ORGKEYS [-o FILE]`: an org turns an SSR into a user signet. */
import { fingerprints, printJson, signSsr, badInput, usageError } from '@dime/core';
import type { CommandContext } from '../context.js';
import { readKeys, readObject, refuseExisting, writeSignet } from '../files.js';
import { collectAnswers } from './answers.js';
import { checkIdentifier, fileStem } from './generate.js';
import { fingerprintLines } from './print.js';

export async function runSign(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const address = flags.sign!;
  checkIdentifier(address, 'address');
  if (flags.ssr === undefined) throw usageError('-s needs the SSR to sign (-r FILE)');
  if (flags.keys === undefined) throw usageError('-s needs the organizational keys file (-k FILE)');
  const outPath = flags.output ?? `${fileStem(address)}.signet`;
  refuseExisting(outPath, 'signet', flags.force);
  const ssr = readObject(flags.ssr, 'SSR', flags.lenient);
  if (ssr.type !== 'ssr') throw badInput(`SSR ${flags.ssr}: is a${ssr.type === 'org' ? 'n org signet' : ssr.type === 'user' ? ' user signet' : ' keys file'}, not an SSR`);
  const orgKeys = readKeys(flags.keys, 'keys file', 'org-keys');
  const answers = await collectAnswers(ctx, 'User');
  const user = signSsr(ssr, orgKeys, address, answers);
  writeSignet(outPath, user, 'magma', flags.force, 'signet');
  const fps = fingerprints(user);
  if (flags.json) {
    printJson({ type: user.type, id: address, output: outPath, size: user.bytes.length, fingerprints: fps }, ctx.output);
  } else {
    ctx.output.out(`wrote user signet ${outPath} (${user.bytes.length} bytes)\n${fingerprintLines(fps, '  ')}`);
  }
  return 0;
}

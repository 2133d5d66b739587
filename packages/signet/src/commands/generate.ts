/**
 * `signet -g <id>`: an org signet (id is a domain) or an SSR (id has `@`) plus its keys file.
 * An existing keys file is reused, never replaced (that is how the byte-exact rebuild works);
 * `--force` only lets the output signet or SSR be replaced.
 */
import {
  createOrgSignet,
  createSsr,
  encodeKeys,
  fileExists,
  fingerprints,
  generateKeys,
  printJson,
  usageError,
  type SignetKeys,
} from '@dime/core';
import { statSync } from 'node:fs';
import type { CommandContext } from '../context.js';
import { checkOutputDirectory, readKeys, refuseExisting, sameFile, writeKeysFile, writeSignet } from '../files.js';
import { anyAnswerFlag, collectAnswers } from './answers.js';
import { fingerprintLines } from './print.js';

const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?$/;

/** `<local>-<domain>` for an address (the first `@` becomes `-`), the id itself for a domain. */
export function fileStem(id: string): string {
  return id.replace('@', '-');
}

export function checkIdentifier(id: string, kind: 'domain' | 'address'): void {
  if (kind === 'domain') {
    if (!DOMAIN.test(id)) throw usageError(`"${id}" is not a domain name`);
    return;
  }
  const at = id.indexOf('@');
  if (at <= 0 || at !== id.lastIndexOf('@') || !DOMAIN.test(id.slice(at + 1)) || /\s/.test(id)) {
    throw usageError(`"${id}" is not a user@domain address`);
  }
}

export async function runGenerate(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const id = flags.generate!;
  const isSsr = id.includes('@');
  checkIdentifier(id, isSsr ? 'address' : 'domain');
  const dialect = flags.dialect ?? 'magma';
  const keysPath = flags.keys ?? `${fileStem(id)}.key`;
  const outPath = flags.output ?? `${fileStem(id)}.${isSsr ? 'ssr' : 'signet'}`;
  if (!isSsr && flags.custody !== undefined) throw usageError('-c/--custody applies only to an SSR (-g user@domain)');
  if (isSsr) {
    const answer = anyAnswerFlag(ctx);
    if (answer) throw usageError(`${answer} does not apply to an SSR (the org adds answers when it signs: -s)`);
  }
  if (flags.custody !== undefined && sameFile(flags.custody, keysPath)) {
    throw usageError(`-c ${flags.custody} is the keys file itself; a rotation needs new keys`);
  }
  if (sameFile(outPath, keysPath)) throw usageError(`-o ${outPath} would overwrite the keys file`);
  refuseExisting(outPath, isSsr ? 'SSR' : 'signet', flags.force);
  checkOutputDirectory(outPath, isSsr ? 'SSR' : 'signet');

  const keysType = isSsr ? 'user-keys' : 'org-keys';
  const custody = flags.custody !== undefined ? readKeys(flags.custody, 'custody keys file', 'user-keys') : undefined;
  let keys: SignetKeys;
  let keysCreated: boolean;
  if (fileExists(keysPath)) {
    keys = readKeys(keysPath, 'keys file', keysType);
    keysCreated = false;
    const mode = statSync(keysPath).mode & 0o777;
    if (mode & 0o077) ctx.output.err(`signet: warning: keys file ${keysPath} is readable by others (mode ${mode.toString(8)}); chmod 600 it\n`);
    ctx.note(1, `reusing keys file ${keysPath}`);
  } else {
    keys = generateKeys(keysType);
    keysCreated = true;
  }

  // Build the signet before the new keys file is written, so a refused answer leaves no file behind.
  const obj = isSsr
    ? createSsr(keys, custody ? { dialect, custody } : { dialect })
    : createOrgSignet(keys, id, await collectAnswers(ctx, 'Organization'), { dialect });
  if (keysCreated) {
    writeKeysFile(keysPath, encodeKeys(keys, dialect));
    ctx.note(1, `wrote keys file ${keysPath} (mode 0600)`);
  }
  writeSignet(outPath, obj, dialect, flags.force, isSsr ? 'SSR' : 'signet');
  const fps = fingerprints(obj);
  if (flags.json) {
    printJson({ type: obj.type, id, dialect, keys: keysPath, keysCreated, output: outPath, size: obj.bytes.length, fingerprints: fps }, ctx.output);
  } else {
    ctx.output.out(
      `${keysCreated ? 'created' : 'reused'} keys file ${keysPath}\n` +
        `wrote ${isSsr ? 'SSR' : 'org signet'} ${outPath} (${obj.bytes.length} bytes, ${dialect} dialect${custody ? ', with custody signature' : ''})\n` +
        fingerprintLines(fps, '  ')
    );
  }
  return 0;
}

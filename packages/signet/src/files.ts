/** Reading signet objects from files and writing results, with the refusals of profile §2. */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  armorSignetObject,
  decodeKeys,
  decodeSignetObject,
  fileExists,
  isKeysType,
  utf8Decode,
  readInputFile,
  writeFileAtomic,
  DimeError,
  badInput,
  type SignetDialect,
  type SignetKeys,
  type SignetObject,
} from '@dime/core';

/** Decodes any signet object from a file; every failure is BAD_INPUT (exit 3) naming the file. */
export function readObject(path: string, what: string, lenient = false): SignetObject {
  const data = readInputFile(path, what);
  try {
    return decodeSignetObject(data, { lenient });
  } catch (error) {
    if (error instanceof DimeError) throw new DimeError(error.code, `${what} ${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Reads a keys file and checks its type (`org-keys` or `user-keys`). */
export function readKeys(path: string, what: string, type: 'org-keys' | 'user-keys'): SignetKeys {
  const obj = readObject(path, what);
  if (obj.type !== type) {
    const found = obj.type === 'org-keys' ? 'organizational keys' : obj.type === 'user-keys' ? 'user keys' : `a${obj.type === 'org' ? 'n org' : obj.type === 'ssr' ? 'n SSR' : ' user'} signet`;
    throw badInput(`${what} ${path}: holds ${found}, expected ${type === 'org-keys' ? 'organizational keys' : 'user keys'}`);
  }
  return decodeKeys(obj);
}

/** True when two paths name the same file (by inode when both exist, else by resolved path). */
export function sameFile(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    try {
      return realpathSync(a) === realpathSync(b);
    } catch {
      return resolve(a) === resolve(b);
    }
  }
}

/**
 * Refuses early (exit 2) when an output exists and `--force` was not given, and always when it holds
 * private keys: `--force` replaces a signet or SSR, never a keys file (profile §2).
 */
export function refuseExisting(path: string, what: string, force: boolean | undefined): void {
  if (!fileExists(path)) return;
  if (statSync(path).isDirectory()) throw new DimeError('USAGE', `${what} ${path}: is a directory`);
  if (!force) throw new DimeError('EXISTS', `${what} ${path} exists; use --force to replace it`);
  if (holdsPrivateKeys(path)) throw new DimeError('EXISTS', `${what} ${path} is a keys file; keys files are never replaced, not even with --force`);
}

/**
 * Refuses early (exit 2) when the directory of an output file is missing or not writable, so that
 * `-g` does not leave a new keys file behind for a signet it cannot write.
 */
export function checkOutputDirectory(path: string, what: string): void {
  try {
    accessSync(dirname(resolve(path)), constants.W_OK);
  } catch (err) {
    throw new DimeError('USAGE', `${what} ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
}

/** A signet keys file (any form), or any PEM/armor block whose tag names a KEY. */
function holdsPrivateKeys(path: string): boolean {
  let data: Uint8Array;
  try {
    data = readInputFile(path);
  } catch {
    return false; // a directory or an unreadable file: the write itself will fail and say so
  }
  try {
    if (isKeysType(decodeSignetObject(data, { lenient: true }).type)) return true;
  } catch {
    /* not a signet object */
  }
  return /-----BEGIN [A-Z0-9 ]*KEY-----/.test(utf8Decode(data));
}

/** Writes a signet or SSR armored (mode 0644, atomic, replaced only with `force`). */
export function writeSignet(path: string, obj: SignetObject, dialect: SignetDialect, force: boolean | undefined, what: string): void {
  writeFileAtomic(path, armorSignetObject(obj, dialect), { force: force === true, mode: 0o644, what });
}

/** Writes a new keys file: mode 0600, atomic, never replacing anything (not even with --force). */
export function writeKeysFile(path: string, obj: SignetObject): void {
  writeFileAtomic(path, armorSignetObject(obj), { force: false, mode: 0o600, what: 'keys file' });
}

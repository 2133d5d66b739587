/** File input and atomic, no-clobber output, shared by every CLI. */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DimeError } from '../errors/dime-error.js';
import { toBytes } from '../bytes/encoding.js';

/** Hard cap on input files: nothing DIME reads is anywhere near this (a signet is < 17 MB). */
export const MAX_INPUT_FILE_BYTES = 32 * 1024 * 1024;

/** Reads a file (or stdin for `-`); an unreadable file is BAD_INPUT (exit 3) naming the path. */
export function readInputFile(path: string, what = 'file'): Uint8Array {
  try {
    if (path === '-') return readBounded(0, what, path);
    const stat = statSync(path);
    if (stat.size > MAX_INPUT_FILE_BYTES) {
      throw new DimeError('BAD_INPUT', `${what} ${path}: ${stat.size} bytes is larger than ${MAX_INPUT_FILE_BYTES}`);
    }
    // A device or pipe has no size to check (/dev/zero never ends): read it with the cap instead.
    if (!stat.isFile() && !stat.isDirectory()) {
      const fd = openSync(path, 'r');
      try {
        return readBounded(fd, what, path);
      } finally {
        closeSync(fd);
      }
    }
    return toBytes(readFileSync(path));
  } catch (err) {
    if (err instanceof DimeError) throw err;
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new DimeError('BAD_INPUT', `${what} ${path}: cannot read (${reason})`, { cause: err });
  }
}

/** Reads `fd` to its end, refusing more than MAX_INPUT_FILE_BYTES. */
function readBounded(fd: number, what: string, path: string): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > MAX_INPUT_FILE_BYTES) throw new DimeError('BAD_INPUT', `${what} ${path}: larger than ${MAX_INPUT_FILE_BYTES} bytes`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return toBytes(Buffer.concat(chunks, total));
}

export function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export interface WriteOptions {
  /** File mode; private keys use 0o600. */
  mode?: number;
  /** Replace an existing file (never used for keys files). */
  force?: boolean;
  /** Names the file in errors. */
  what?: string;
}

/**
 * Writes `data` to `path` atomically: a temporary file in the same directory is written, synced and
 * then linked (no-clobber) or renamed (with `force`) into place, so a reader never sees a partial
 * file and an existing file is never replaced by accident (EXISTS, exit 2).
 */
export function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteOptions = {}): void {
  const what = options.what ?? 'file';
  const mode = options.mode ?? 0o644;
  if (!options.force && fileExists(path)) {
    throw new DimeError('EXISTS', `${what} ${path} exists; use --force to replace it`);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (err) {
    throw new DimeError('USAGE', `${what} ${path}: cannot write (${(err as NodeJS.ErrnoException).code})`, { cause: err });
  }
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } catch (err) {
    // A full disk or an I/O error: leave no half-written temporary file behind.
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw new DimeError('USAGE', `${what} ${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  closeSync(fd);
  try {
    if (options.force) {
      renameSync(tmp, path);
    } else {
      linkSync(tmp, path); // fails with EEXIST if someone created it meanwhile
      unlinkSync(tmp);
    }
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new DimeError('EXISTS', `${what} ${path} exists; use --force to replace it`);
    throw new DimeError('USAGE', `${what} ${path}: cannot write (${code})`, { cause: err });
  }
}

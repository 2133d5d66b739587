/**
 * What every bin does around its actions: turn any failure into one stderr line
 * `<bin>: error: <message>`, a JSON `error` object when `--json` was asked for, and the exit status
 * of profile §6. CLIs use commander; this module only duck-types its errors so core stays free of it.
 */
import { DimeError, type ErrorCode } from '../errors/dime-error.js';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Maps anything thrown to a DimeError (Node errno codes to network or input codes). */
export function toDimeError(error: unknown): DimeError {
  if (error instanceof DimeError) return error;
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof errno === 'string') {
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN)$/.test(errno)) {
      return new DimeError('NETWORK', message, { cause: error });
    }
    if (/^(ENOENT|EACCES|EISDIR|ENOTDIR|EPERM)$/.test(errno)) return new DimeError('BAD_INPUT', message, { cause: error });
  }
  return new DimeError('BAD_INPUT', `unexpected failure: ${message}`, { cause: error });
}

interface CommanderLikeError {
  code: string;
  exitCode: number;
  message: string;
}

function isCommanderError(error: unknown): error is CommanderLikeError {
  return typeof (error as CommanderLikeError | undefined)?.code === 'string' && (error as CommanderLikeError).code.startsWith('commander.');
}

export interface FailureOptions {
  json?: boolean;
  debug?: boolean;
  /** Keys printed before `error` in the JSON object (the command's partial result). */
  jsonBase?: Record<string, unknown>;
}

/** Prints the failure and returns the exit status. Never prints a stack unless `debug`. */
export function reportFailure(bin: string, error: unknown, options: FailureOptions = {}, output: Output = processOutput): number {
  if (isCommanderError(error)) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    // commander already printed its own "error: …" line to stderr.
    // commander's own messages start with "error: "; the JSON message carries the problem only.
    const message = oneLine(error.message.replace(/^error: /, ''));
    if (options.json) printJson({ ...options.jsonBase, error: { code: 'USAGE', message } }, output);
    return 2;
  }
  const dimeError = toDimeError(error);
  const message = oneLine(dimeError.message);
  output.err(`${bin}: error: ${message}\n`);
  if (options.debug && error instanceof Error && error.stack) output.err(`${error.stack}\n`);
  if (options.json) printJson({ ...options.jsonBase, error: { code: dimeError.code, message } }, output);
  return dimeError.exitCode;
}

export function printJson(value: unknown, output: Output = processOutput): void {
  output.out(`${JSON.stringify(value, null, 2)}\n`);
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

export function errorJson(code: ErrorCode, message: string): { code: ErrorCode; message: string } {
  return { code, message: oneLine(message) };
}

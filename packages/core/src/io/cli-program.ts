/**
 * What every bin's commander program shares (profile §6): `--version` from the package's own
 * package.json, `-h/--help`, `exitOverride()` so failures come back to `main`, and commander's
 * output routed through an `Output` with `<bin>: ` before its error lines. Core does not depend on
 * commander: the program is duck-typed.
 */
import { readFileSync } from 'node:fs';
import type { Output } from './cli-runtime.js';

/**
 * The `version` of the package a module belongs to, read from `../package.json` relative to the
 * module (`src/cli.ts` and `dist/cli.js` both sit one level below it); `0.0.0` when unreadable.
 */
export function packageVersionOf(moduleUrl: string | URL): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', moduleUrl), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** commander's `OutputConfiguration` as far as the bins use it. */
export interface BinOutputConfiguration {
  writeOut(text: string): void;
  writeErr(text: string): void;
  outputError(text: string, write: (text: string) => void): void;
}

/** Help and version text to `output`; commander's own error lines as `<bin>: error: …`. */
export function binOutputConfiguration(bin: string, output: Output): BinOutputConfiguration {
  return {
    writeOut: (text) => output.out(text),
    writeErr: (text) => output.err(text),
    outputError: (text, write) => write(`${bin}: ${text}`),
  };
}

/** The part of commander's `Command` that `configureBinProgram` calls. */
export interface BinProgram<Self> {
  version(version: string, flags?: string, description?: string): Self;
  helpOption(flags?: string | boolean, description?: string): Self;
  exitOverride(): Self;
  configureOutput(configuration: BinOutputConfiguration): Self;
}

/**
 * `--version` (the package version of `moduleUrl`), `-h/--help`, `exitOverride()` and the output
 * routing of `binOutputConfiguration`: the setup every bin's top-level program gets.
 */
export function configureBinProgram<C extends BinProgram<C>>(program: C, bin: string, moduleUrl: string | URL, output: Output): C {
  return program
    .version(packageVersionOf(moduleUrl), '--version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput(binOutputConfiguration(bin, output));
}

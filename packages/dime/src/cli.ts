/**
 * `dime` entry point (profile §6). Builds the commander program, registers every command from
 * `commands/index.ts`, runs it, and maps failures to one stderr line, a JSON `error` object and the
 * exit status. The work is in @dime/core; commands only parse, call and print.
 */
import { Command } from 'commander';
import { configureBinProgram, processOutput, reportFailure, type Output } from '@dime/core/io';
import * as commands from './commands/index.js';
import type { CliContext, MainOptions } from './context.js';

export type { MainOptions } from './context.js';

export function buildProgram(ctx: CliContext): Command {
  const program = configureBinProgram(new Command('dime'), 'dime', import.meta.url, ctx.output).description(
    'Resolve and verify DIME signets; inspect DIME records and DNSSEC (profile §6)'
  );
  for (const register of Object.values(commands)) {
    const command = register(program, ctx);
    command.helpOption('-h, --help', 'show this help').exitOverride().configureOutput(program.configureOutput());
  }
  return program;
}

/** Runs `dime` with `argv` (without node and script) and returns the exit status. */
export async function main(argv: string[], output: Output = processOutput, options: MainOptions = {}): Promise<number> {
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  const ctx: CliContext = { output, options, exitCode: 0 };
  try {
    const program = buildProgram(ctx);
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return reportFailure('dime', error, { json, debug, ...(ctx.jsonBase ? { jsonBase: ctx.jsonBase } : {}) }, output);
  }
}

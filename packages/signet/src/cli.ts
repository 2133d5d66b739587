/**
 * `signet` entry point (profile §6): parses flags with commander, picks the one action asked for,
 * and hands over to `commands/`. All the signet work is in @dime/core.
 */
import { Command, CommanderError, Option } from 'commander';
import { configureBinProgram, processOutput, reportFailure, usageError, SIGNET_DIALECTS, type Output } from '@dime/core';
import type { CommandContext, SignetFlags } from './context.js';
import { terminalPrompter, type Prompter } from './prompt.js';
import { runGenerate } from './commands/generate.js';
import { runSign } from './commands/sign.js';
import { runDump } from './commands/dump.js';
import { runVerify } from './commands/verify.js';
import { runFingerprint } from './commands/fingerprint.js';
import { runExamine } from './commands/examine.js';
import { runPokOf } from './commands/pok-of.js';

export interface MainOptions {
  /** Answers source; `undefined` = the terminal when stdin is a TTY; `null` = never prompt. */
  prompter?: Prompter | null;
}

type Action = 'generate' | 'sign' | 'dump' | 'verify' | 'fingerprint' | 'examine' | 'pokOf';

const ACTION_FLAGS: Record<Action, string> = {
  generate: '-g',
  sign: '-s',
  dump: '-d',
  verify: '-v',
  fingerprint: '-f',
  examine: '-x',
  pokOf: '--pok-of',
};

/** Options (by commander attribute name) and the actions they belong to. */
const OPTION_SCOPE: Record<string, { flag: string; actions: readonly Action[] }> = {
  keys: { flag: '-k', actions: ['generate', 'sign'] },
  output: { flag: '-o', actions: ['generate', 'sign'] },
  ssr: { flag: '-r', actions: ['sign'] },
  custody: { flag: '-c', actions: ['generate'] },
  org: { flag: '--org', actions: ['verify'] },
  pok: { flag: '--pok', actions: ['verify'] },
  record: { flag: '--record', actions: ['verify'] },
  previous: { flag: '--previous', actions: ['verify'] },
  kind: { flag: '--kind', actions: ['fingerprint'] },
  lenient: { flag: '--lenient', actions: ['sign', 'dump', 'verify', 'fingerprint'] },
  name: { flag: '--name', actions: ['generate', 'sign'] },
  address: { flag: '--address', actions: ['generate', 'sign'] },
  province: { flag: '--province', actions: ['generate', 'sign'] },
  country: { flag: '--country', actions: ['generate', 'sign'] },
  postalCode: { flag: '--postal-code', actions: ['generate', 'sign'] },
  phone: { flag: '--phone', actions: ['generate', 'sign'] },
  dialect: { flag: '--dialect', actions: ['generate'] },
  force: { flag: '--force', actions: ['generate', 'sign'] },
};

function buildProgram(output: Output): Command {
  const program = configureBinProgram(new Command('signet'), 'signet', import.meta.url, output);
  program
    .description('Generate, sign, dump, verify and fingerprint DIME signets (profile §6)')
    .option('-g, --generate <id>', 'create an org signet (id = domain) or an SSR (id = user@domain) and its keys file')
    .option('-s, --sign <address>', 'sign the SSR given by -r with the org keys given by -k: a user signet')
    .option('-d, --dump <file>', 'print the fields and fingerprints of a signet, SSR or keys file')
    .option('-v, --verify <file>', 'verify a signet or SSR and print its state')
    .option('-f, --fingerprint <file>', 'print the fingerprints of a signet or SSR')
    .option('-x, --examine <type>', 'list the field table of org, user or ssr')
    .option('--pok-of <keysfile>', 'print the DNS pok= value of an org keys file')
    .option('-k, --keys <file>', 'keys file (-g: default <id>.key, created if missing, never replaced; -s: the org keys)')
    .option('-o, --output <file>', 'output file (default <id>.signet, <local>-<domain>.ssr or <local>-<domain>.signet)')
    .option('-r, --ssr <file>', 'the SSR to sign (-s)')
    .option('-c, --custody <file>', 'previous user keys file: add a chain-of-custody signature to the SSR (-g)')
    .option('--org <file>', 'the org signet a user signet is verified against (-v)')
    .option('--pok <b64>', 'an accepted POK, 43 base64 characters (-v, repeatable)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--record <text>', 'a DIME management record TXT value whose pok= values are accepted (-v)')
    .option('--previous <file>', 'the previous signet: check the custody signature (-v)')
    .option('--kind <kind>', 'ssr, crypto, full, id or all (-f)')
    .option('--lenient', 'accept armor without its CRC line and empty text fields')
    .option('--name <text>', 'answer: name (field 16)')
    .option('--address <text>', 'answer: street address (field 17)')
    .option('--province <text>', 'answer: province (field 18)')
    .option('--country <text>', 'answer: country (field 19)')
    .option('--postal-code <text>', 'answer: postal code (field 20)')
    .option('--phone <text>', 'answer: phone number (field 21)')
    .addOption(new Option('--dialect <dialect>', 'how -g writes: magma (default), prime or libdime').choices(SIGNET_DIALECTS))
    .option('--force', 'replace an existing output signet or SSR (never a keys file)')
    .option('--json', 'print one JSON object on stdout')
    .option('--verbose', 'more detail on stderr (repeatable)', (_value: string, previous: number) => previous + 1, 0)
    .option('--debug', 'print a stack trace with errors');
  return program;
}

function pickAction(program: Command, flags: SignetFlags): Action {
  const given = (Object.keys(ACTION_FLAGS) as Action[]).filter((a) => flags[a] !== undefined);
  if (given.length === 0) throw usageError('nothing to do: give one of -g, -s, -d, -v, -f, -x or --pok-of (see -h)');
  if (given.length > 1) throw usageError(`conflicting actions: ${given.map((a) => ACTION_FLAGS[a]).join(' and ')}`);
  const action = given[0]!;
  for (const [name, scope] of Object.entries(OPTION_SCOPE)) {
    if (program.getOptionValueSource(name) !== 'cli') continue;
    if (!scope.actions.includes(action)) throw usageError(`${scope.flag} does not apply to ${ACTION_FLAGS[action]}`);
  }
  return action;
}

function runAction(action: Action, ctx: CommandContext): Promise<number> | number {
  switch (action) {
    case 'generate':
      return runGenerate(ctx);
    case 'sign':
      return runSign(ctx);
    case 'dump':
      return runDump(ctx);
    case 'verify':
      return runVerify(ctx);
    case 'fingerprint':
      return runFingerprint(ctx);
    case 'examine':
      return runExamine(ctx);
    case 'pokOf':
      return runPokOf(ctx);
  }
}

/** Runs `signet` with `argv` (without node and script) and returns the exit status. */
export async function main(argv: string[], output: Output = processOutput, options: MainOptions = {}): Promise<number> {
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  let prompter: Prompter | null = null;
  try {
    const program = buildProgram(output);
    await program.parseAsync(argv, { from: 'user' });
    const flags = program.opts<SignetFlags>();
    const action = pickAction(program, flags);
    const asksQuestions = action === 'sign' || (action === 'generate' && !flags.generate!.includes('@'));
    prompter = options.prompter === undefined ? (asksQuestions ? terminalPrompter() : null) : options.prompter;
    const ctx: CommandContext = {
      flags,
      output,
      prompter,
      note: (level, text) => {
        if (flags.verbose >= level) output.err(`signet: ${text}\n`);
      },
    };
    return await runAction(action, ctx);
  } catch (error) {
    // commander's messages start with "error: "; the JSON error.message should not repeat it.
    if (error instanceof CommanderError && error.message.startsWith('error: ')) error.message = error.message.slice(7);
    return reportFailure('signet', error, { json, debug }, output);
  } finally {
    if (options.prompter === undefined) prompter?.close();
  }
}

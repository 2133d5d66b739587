/**
 * The wizard answers (signet-format.md §10.1): flags first; on a terminal the missing ones are asked
 * in the C tool's order (name, address, country, postal code, phone). Province has a flag but no
 * prompt, as in the C wizard. Empty answers are skipped.
 */
import type { SignetAnswers } from '@dime/core';
import type { CommandContext } from '../context.js';

const QUESTIONS: readonly (readonly [keyof SignetAnswers, string])[] = [
  ['name', 'name'],
  ['address', 'address'],
  ['country', 'country'],
  ['postalCode', 'postal code'],
  ['phone', 'phone number'],
];

export async function collectAnswers(ctx: CommandContext, who: 'Organization' | 'User'): Promise<SignetAnswers> {
  const { flags } = ctx;
  const answers: { -readonly [K in keyof SignetAnswers]: string | undefined } = {
    name: flags.name,
    address: flags.address,
    province: flags.province,
    country: flags.country,
    postalCode: flags.postalCode,
    phone: flags.phone,
  };
  const prompter = ctx.prompter;
  if (prompter) {
    for (const [key, label] of QUESTIONS) {
      if (answers[key] !== undefined) continue;
      const answer = await prompter.ask(`${who} ${label}:`);
      if (answer === null) break; // end of input: the remaining answers stay empty
      answers[key] = answer.replace(/\r$/, '');
    }
  }
  const out: { -readonly [K in keyof SignetAnswers]?: string } = {};
  for (const [key, value] of Object.entries(answers) as [keyof SignetAnswers, string | undefined][]) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** True when any answers flag was given (they do not apply to an SSR). */
export function anyAnswerFlag(ctx: CommandContext): string | undefined {
  const f = ctx.flags;
  const given: [string, string | undefined][] = [
    ['--name', f.name],
    ['--address', f.address],
    ['--province', f.province],
    ['--country', f.country],
    ['--postal-code', f.postalCode],
    ['--phone', f.phone],
  ];
  return given.find(([, v]) => v !== undefined)?.[0];
}

/** `signet -x org|user|ssr`: the field table of a type (every defined id, 1 through 255). */
import { examineFields, printJson, usageError, type SignetKind } from '@dime/core';
import type { CommandContext } from '../context.js';

const TITLES: Record<SignetKind, string> = { org: 'Organizational signet', user: 'User signet', ssr: 'SSR' };

export function runExamine(ctx: CommandContext): number {
  const kind = ctx.flags.examine!;
  if (kind !== 'org' && kind !== 'user' && kind !== 'ssr') throw usageError(`-x ${kind}: expected org, user or ssr`);
  const fields = examineFields(kind);
  if (ctx.flags.json) {
    printJson({ type: kind, fields }, ctx.output);
    return 0;
  }
  let text = `${TITLES[kind]} field types:\n`;
  text += `  ${'id'.padStart(3)}  ${'name'.padEnd(30)} ${'req'.padEnd(4)}${'once'.padEnd(5)}${'length'.padEnd(16)}description\n`;
  for (const f of fields) {
    text += `  ${String(f.id).padStart(3)}  ${f.name.padEnd(30)} ${(f.required ? 'yes' : 'no').padEnd(4)}${(f.unique ? 'yes' : 'no').padEnd(5)}${f.length.padEnd(16)}${f.description}\n`;
  }
  ctx.output.out(text);
  return 0;
}

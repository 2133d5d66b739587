/** `signet -d FILE`: fields and fingerprints of any well-formed object, complete or not. */
import { describeType, dumpSignet, objectDialect, printJson } from '@dime/core';
import type { CommandContext } from '../context.js';
import { readObject } from '../files.js';
import { fingerprintLines } from './print.js';

/** Longest value shown on one human line; the JSON always carries the whole value. */
const MAX_VALUE_WIDTH = 100;

export function runDump(ctx: CommandContext): number {
  const { flags } = ctx;
  const obj = readObject(flags.dump!, 'file', flags.lenient);
  const dump = dumpSignet(obj);
  if (flags.json) {
    printJson(dump, ctx.output);
    return 0;
  }
  const nameWidth = Math.max(4, ...dump.fields.map((f) => f.name.length));
  let text = `${describeType(obj.type).replace(/^an? /, '')}, ${dump.size} bytes, ${objectDialect(obj)} dialect${obj.armorTag ? `, armor tag ${obj.armorTag}` : ''}\n`;
  if (obj.type === 'org-keys' || obj.type === 'user-keys') text += 'derived public keys (private keys are never shown):\n';
  for (const field of dump.fields) {
    const value = field.value.length > MAX_VALUE_WIDTH ? `${field.value.slice(0, MAX_VALUE_WIDTH)}...` : field.value;
    text += `  ${String(field.id).padStart(3)}  ${printable(field.name).padEnd(nameWidth)}  ${printable(value)}\n`;
  }
  const fps = fingerprintLines(dump.fingerprints, '  ');
  if (fps) text += `fingerprints:\n${fps}`;
  ctx.output.out(text);
  return 0;
}

/** Control characters from a file never reach the terminal as such. */
function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
}

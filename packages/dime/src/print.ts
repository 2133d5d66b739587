/** Human layout shared by the commands: `;` comment lines around zone-file lines, like dig/delv. */
import type { ChainLink, LookupOutcome } from './validation.js';

export function formatChain(chain: readonly ChainLink[], indent = ';   '): string[] {
  const width = Math.max(0, ...chain.map((link) => link.zone.length));
  return chain.map((link) => `${indent}${link.zone.padEnd(width)}  ${link.status.padEnd(13)}  ${link.reason}`);
}

/** `; <status> (<rcode>): <reason>` then the chain. */
export function formatValidation(outcome: LookupOutcome): string[] {
  const rcode = ` (${outcome.rcode})`;
  const lines = [`; ${outcome.status}${rcode}: ${outcome.reason}`];
  if (outcome.chain.length > 0) lines.push('; chain:', ...formatChain(outcome.chain));
  return lines;
}

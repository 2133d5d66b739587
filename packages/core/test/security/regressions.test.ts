/**
 * Inputs that once broke a parser, kept verbatim (found by the fuzzers in this folder). Each entry
 * names the parser, the input and the fix; each must now return a value or throw DimeError.
 */
import { describe, expect, it } from 'vitest';
import { DimeError, parseHistReply } from '@dime/core';

describe('fuzz regressions', () => {
  // dmtp-fuzz (seed 20261203): parseHistReply read `lines[length-1].trim()` unguarded and threw
  // TypeError for a reply object with no lines. Fix: core/src/dmtp/commands.ts treats it as ''.
  it('parseHistReply({code: 250, lines: []}) is PROTOCOL, not a TypeError', () => {
    let thrown: unknown;
    try {
      parseHistReply({ code: 250, lines: [] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DimeError);
    expect((thrown as DimeError).code).toBe('PROTOCOL');
    expect((thrown as DimeError).message).toBe('HIST reply does not end with OK: ""');
  });
});

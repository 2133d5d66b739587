/**
 * Inputs that once broke a parser, kept verbatim (found by the fuzzers in this folder). Each entry
 * names the parser, the input and the fix; each must now return a value or throw DimeError.
 */
import { describe, expect, it } from 'vitest';
import { DimeError, parseHistReply, parseServerAddress } from '@dime/core';

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

describe('fuzz regressions: one-line diagnostics', () => {
  // misc-fuzz (seed 20261203): parseServerAddress echoed a --resolver value holding CR/LF into its
  // USAGE message, so the CLI's one-line stderr diagnostic became three lines (and a value could
  // forge extra lines). Fix: core/src/dns/stub-client.ts escapes control characters as \xNN.
  it('parseServerAddress("a:b\\r\\n:c\\n:c") is a one-line USAGE error', () => {
    let thrown: unknown;
    try {
      parseServerAddress('a:b\r\n:c\n:c');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DimeError);
    expect((thrown as DimeError).code).toBe('USAGE');
    expect((thrown as DimeError).message).not.toMatch(/[\r\n]/);
    expect((thrown as DimeError).message).toContain('a:b\\x0d\\x0a:c\\x0a:c');
  });
});

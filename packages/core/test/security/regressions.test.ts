/**
 * Inputs that once broke a parser, kept verbatim (found by the fuzzers in this folder). Each entry
 * names the parser, the input and the fix; each must now return a value or throw DimeError.
 */
import { describe, expect, it } from 'vitest';
import { DimeError, parseHistReply, parseServerAddress, parseTrustAnchors } from '@dime/core';

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

describe('fuzz regressions: trust anchors', () => {
  // fuzz-long (scale 15, seed 263593131, misc-fuzz): a stray ';' inside a BIND trust-anchors block
  // made an empty entry and parseEntry read entry[0].line of undefined (TypeError). Fix:
  // core/src/dnssec/anchors.ts rejects the empty entry as BAD_INPUT naming the line.
  it.each([
    ['trust-anchors {\n  . initial-key 257 3 8 "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3";\n;\n  example.test. static-ds 61929 15 2 "90F76E63 AA\\BB";\n};\n', 3],
    ['trust-anchors { ; };', 1],
    ['trusted-keys {\n;\n};', 2],
  ])('parseTrustAnchors(%j) is BAD_INPUT naming line %i', (text, line) => {
    let thrown: unknown;
    try {
      parseTrustAnchors(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DimeError);
    expect((thrown as DimeError).code).toBe('BAD_INPUT');
    expect((thrown as DimeError).message).toBe(`trust anchors line ${line}: empty entry (a stray ';')`);
  });
});

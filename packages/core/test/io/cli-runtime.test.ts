import { describe, expect, it } from 'vitest';
import { DimeError, reportFailure, type Output } from '@dime/core';

function capture(): Output & { stdout: string; stderr: string } {
  const sink = {
    stdout: '',
    stderr: '',
    out(text: string) {
      sink.stdout += text;
    },
    err(text: string) {
      sink.stderr += text;
    },
  };
  return sink;
}

describe('reportFailure', () => {
  it('maps a DimeError to one stderr line, its exit status and the JSON error object', () => {
    const out = capture();
    const status = reportFailure('dime', new DimeError('DNSSEC_BOGUS', 'bogus: RRSIG TXT\nexpired'), { json: true, jsonBase: { name: 'x' } }, out);
    expect(status).toBe(1);
    expect(out.stderr).toBe('dime: error: bogus: RRSIG TXT expired\n');
    expect(JSON.parse(out.stdout)).toEqual({ name: 'x', error: { code: 'DNSSEC_BOGUS', message: 'bogus: RRSIG TXT expired' } });
  });

  it('gives commander usage errors exit 2 and strips commander\'s "error: " prefix from the JSON message', () => {
    const out = capture();
    const commanderError = Object.assign(new Error("error: unknown option '--bogus'"), { code: 'commander.unknownOption', exitCode: 1 });
    expect(reportFailure('dime', commanderError, { json: true }, out)).toBe(2);
    expect(JSON.parse(out.stdout)).toEqual({ error: { code: 'USAGE', message: "unknown option '--bogus'" } });
  });

  it('treats --help and --version as success', () => {
    const out = capture();
    expect(reportFailure('x', Object.assign(new Error('(outputHelp)'), { code: 'commander.helpDisplayed', exitCode: 0 }), {}, out)).toBe(0);
    expect(out.stderr).toBe('');
  });

  it('maps network errno codes to exit 4 and file errno codes to exit 3', () => {
    const out = capture();
    expect(reportFailure('x', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), {}, out)).toBe(4);
    expect(reportFailure('x', Object.assign(new Error('no such file'), { code: 'ENOENT' }), {}, out)).toBe(3);
  });
});

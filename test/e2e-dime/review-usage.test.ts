/**
 * Review of issue 5: `-4`/`-6` with a `-d` IP address of the other family is a contradiction in the
 * flags, a usage error (exit 2) before any packet; it was reported as a network failure (exit 4)
 * after the record had been read.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../packages/dime/src/cli.js';

async function dime(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('dime -4/-6 with a -d address (review)', () => {
  it('-6 with an IPv4 -d and -4 with an IPv6 -d are usage errors (exit 2, one line, JSON error)', async () => {
    const v4 = await dime(['-d', '127.0.0.1', '-6', '-i', '/nonexistent/record.txt', 'example.test']);
    expect(v4).toEqual({ code: 2, out: '', err: 'dime: error: --dx 127.0.0.1: an IPv4 address cannot be reached with -6\n' });
    const v6 = await dime(['-d', '[::1]', '-4', '--json', '-i', '/nonexistent/record.txt', 'example.test']);
    expect(v6.code).toBe(2);
    expect(JSON.parse(v6.out).error).toEqual({ code: 'USAGE', message: '--dx [::1]: an IPv6 address cannot be reached with -4' });
    expect(v6.err).toBe('dime: error: --dx [::1]: an IPv6 address cannot be reached with -4\n');
  });

  it('a host name or a matching family is not refused here', async () => {
    // The record file is missing: reaching that error (exit 3) shows the flags were accepted.
    const byName = await dime(['-d', 'dx.example.test', '-6', '-i', '/nonexistent/record.txt', 'example.test']);
    expect(byName.code).toBe(3);
    const matching = await dime(['-d', '::1', '-6', '-i', '/nonexistent/record.txt', 'example.test']);
    expect(matching.code).toBe(3);
  });
});

/** Review of issue 4: `dime lookup` refuses RRSIG as a type (RRSIGs are not signed, RFC 4035 §2.2). */
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

describe('dime lookup RRSIG', () => {
  it('is a usage error (exit 2) before any query, not a bogus answer', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['lookup', 'example.test', 'rrsig', '--json', '--resolver', '127.0.0.1:9'], { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    expect(code).toBe(2);
    expect(JSON.parse(stdout).error).toEqual({ code: 'USAGE', message: 'type RRSIG: signatures are not signed themselves; look up the type they cover' });
    expect(stderr).toBe('dime: error: type RRSIG: signatures are not signed themselves; look up the type they cover\n');
  });
});

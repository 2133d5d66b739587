/** `dime-lab` argument handling, in-process (the demo and up themselves run in test/e2e-lab). */
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { output: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('dime-lab CLI', () => {
  it('prints help and exits 2 without a command', async () => {
    const c = capture();
    expect(await main([], c.output)).toBe(2);
    expect(c.out.join('')).toMatch(/^Usage: dime-lab \[options\] \[command\]/);
    expect(c.out.join('')).toMatch(/\n  demo \[options\] /);
    expect(c.out.join('')).toMatch(/\n  up \[options\] /);
  });

  it('--help exits 0', async () => {
    const c = capture();
    expect(await main(['up', '--help'], c.output)).toBe(0);
    expect(c.out.join('')).toContain('--dns <server>');
  });

  it('rejects an unknown --dns with exit 2 and one stderr line', async () => {
    const c = capture();
    expect(await main(['demo', '--dns', 'unbound'], c.output)).toBe(2);
    expect(c.err.join('')).toMatch(/^dime-lab: error: option '--dns <server>' argument 'unbound' is invalid/);
  });

  it('rejects a bad --dx-port before building anything (exit 2, JSON error)', async () => {
    const c = capture();
    expect(await main(['up', '--dx-port', '70000', '--json'], c.output)).toBe(2);
    expect(c.err.join('')).toBe('dime-lab: error: --dx-port: "70000" is not a port number\n');
    expect(JSON.parse(c.out.join(''))).toEqual({ error: { code: 'USAGE', message: '--dx-port: "70000" is not a port number' } });
  });

  it('rejects an unknown command (exit 2)', async () => {
    const c = capture();
    expect(await main(['down'], c.output)).toBe(2);
    expect(c.err.join('')).toMatch(/^dime-lab: error: unknown command 'down'/);
  });
});

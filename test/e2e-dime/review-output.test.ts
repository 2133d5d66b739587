/**
 * Review of issue 5: `dime` human output names the DX as HOST:PORT, and an IPv6 DX must be written
 * `[::1]:PORT` (as `dmtpd serve` and the verbose log write it); before the fix it printed `::1:PORT`.
 * Runs `dime -i RECORD -d ::1` in-process against a real DX on ::1; skipped with a notice when the
 * machine has no IPv6 loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DmtpServer } from '@dime/core/dmtp';
import { main } from '../../packages/dime/src/cli.js';
import { certificates, DX_HOST, identities, ListStore, pin, recordText } from '../../packages/core/test/resolve/world.js';

let server: DmtpServer | undefined;
let unavailable: string | undefined;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dime-review-output-'));
  const cert = certificates().good;
  try {
    server = await DmtpServer.start({
      hostname: DX_HOST,
      store: new ListStore().add('example.test', identities().org.signet),
      key: cert.keyPem,
      cert: cert.certPem,
      listen: { host: '::1', port: 0 },
    });
  } catch (error) {
    unavailable = (error as NodeJS.ErrnoException).code ?? String(error);
    console.warn(`review-output: skipped, cannot listen on ::1 (${unavailable})`);
  }
});
afterAll(async () => {
  await server?.close(100);
  rmSync(dir, { recursive: true, force: true });
});

describe('dime human output (review)', () => {
  it('writes an IPv6 DX as [::1]:PORT', async (context) => {
    if (unavailable) context.skip();
    const record = join(dir, 'record.txt');
    writeFileSync(record, `${recordText({ tls: [pin(certificates().good.der)] })}\n`);
    let out = '';
    let err = '';
    const port = server!.address!.port;
    const code = await main(['-i', record, '-d', '::1', '-p', String(port), 'example.test'], { out: (t) => (out += t), err: (t) => (err += t) });
    expect(code, err).toBe(0);
    expect(out.split('\n')[2]).toBe(`  dx      [::1]:${port}, certificate trusted by dime-record`);
  });
});

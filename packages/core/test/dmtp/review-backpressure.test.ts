/**
 * Review of issue 5: a peer that pipelines SGNT commands and never reads the replies. Each 20-byte
 * command asks for a 16 KiB reply line; before the fix the server read every command and queued every
 * reply in memory (a 26 MB flood drove `dmtpd serve` past 700 MB). Now it stops reading while its
 * socket is full, and every reply still arrives, in order, once the peer reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { DmtpServer } from '../../src/dmtp/server.js';
import type { SignetStore, VerifyAnswer } from '../../src/dmtp/session.js';
import { DX_HOST, testCertificate } from './fixtures.js';

const COMMANDS = 4000;
/** 12 KiB of bytes: a 16 KiB base64 reply line, so the replies total about 64 MiB. */
const BLOB = new Uint8Array(12 * 1024).fill(0x5a);
const REPLY = `250 OK [${Buffer.from(BLOB).toString('base64')}]\r\n`;

class CountingStore implements SignetStore {
  lookups = 0;
  lookup(): Uint8Array {
    this.lookups++;
    return BLOB;
  }
  verify(): VerifyAnswer {
    return { status: 'unknown' };
  }
  history(): undefined {
    return undefined;
  }
}

describe('server backpressure (review)', () => {
  const store = new CountingStore();
  let server: DmtpServer;
  beforeAll(async () => {
    const cert = testCertificate();
    server = await DmtpServer.start({ hostname: DX_HOST, store, key: cert.keyPem, cert: cert.certPem, listen: { host: '127.0.0.1', port: 0 } });
  });
  afterAll(async () => {
    await server?.close(100);
  });

  it('stops reading commands while the peer does not read its replies; all replies arrive once it does', async () => {
    const socket: TLSSocket = await new Promise((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port: server.address!.port, rejectUnauthorized: false }, () => resolve(s));
      s.once('error', reject);
    });
    socket.pause(); // read nothing yet
    socket.write('SGNT <example.test>\r\n'.repeat(COMMANDS));

    // Wait until the server has stopped answering (the count is stable for 500 ms), bounded.
    let last = -1;
    for (let i = 0; i < 40 && store.lookups !== last; i++) {
      last = store.lookups;
      await sleep(500);
    }
    // Kernel buffers hold a few MiB of replies at most; the other 3000+ commands wait unread.
    expect(store.lookups).toBeLessThan(COMMANDS / 2);

    let received = '';
    let lines = 0;
    const done = new Promise<void>((resolve) => {
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        received += chunk;
        let at: number;
        while ((at = received.indexOf('\r\n')) >= 0) {
          const line = received.slice(0, at + 2);
          received = received.slice(at + 2);
          if (lines === 0) expect(line).toBe(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`);
          else expect(line === REPLY).toBe(true);
          if (++lines === COMMANDS + 1) resolve();
        }
      });
      socket.resume();
    });
    await done;
    expect(store.lookups).toBe(COMMANDS);
    socket.destroy();
  }, 60_000);
});

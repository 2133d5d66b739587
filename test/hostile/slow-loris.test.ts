/**
 * Regression (found by dmtpd-load.test.ts): the DMTP server reset its idle timer on every received
 * byte, so a peer dribbling one byte of a never-ending command every few seconds held its session
 * (and a connection slot) forever. Now only a complete line counts as activity (fix in
 * core/src/dmtp/server.ts `Connection.receive`). In-process server, real TLS on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect as tlsConnect } from 'node:tls';
import { DmtpServer, createSelfSignedCertificate, type SignetStore } from '@dime/core';

const IDLE_MS = 500;
const store: SignetStore = { lookup: () => undefined, verify: () => ({ status: 'unknown' }), history: () => undefined };
const servers: DmtpServer[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close(0);
});

async function start(): Promise<number> {
  const cert = createSelfSignedCertificate({ hostname: 'dx.example.test' });
  const server = await DmtpServer.start({ hostname: 'dx.example.test', store, key: cert.keyPem, cert: cert.certPem, listen: { host: '127.0.0.1', port: 0 }, idleTimeoutMs: IDLE_MS });
  servers.push(server);
  return server.address!.port;
}

/** Connects, then sends `byte` every `everyMs`; resolves with what the server said and when it hung up. */
function dribble(port: number, text: string, everyMs: number): Promise<{ received: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    let received = '';
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const started = performance.now();
    socket.on('secureConnect', () => {
      timer = setInterval(() => socket.write(text[i++ % text.length]!), everyMs);
    });
    socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ received, closedAfterMs: performance.now() - started });
    });
    setTimeout(() => socket.destroy(), IDLE_MS * 10).unref();
  });
}

describe('slow-loris against the DMTP server', () => {
  it('a command dribbled a byte every 100 ms (never a line end) is ended by the idle timeout', async () => {
    const port = await start();
    const { received, closedAfterMs } = await dribble(port, 'SGNT <alice@example.test> ', 100);
    expect(received).toMatch(/^220 <dx\.example\.test> DMTPv1 \S+\r\n421 <dx\.example\.test> IDLE TIMEOUT, CLOSING\.\r\n$/);
    expect(closedAfterMs).toBeLessThan(IDLE_MS * 4);
  });

  it('complete lines keep a session alive past the idle timeout', async () => {
    const port = await start();
    const { received, closedAfterMs } = await dribble(port, 'NOOP\r\n', 40); // a full NOOP every 240 ms
    expect(closedAfterMs).toBeGreaterThan(IDLE_MS * 9);
    expect(received).not.toMatch(/421/);
  });
});

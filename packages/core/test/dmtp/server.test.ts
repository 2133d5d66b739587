/** Server limits over real TLS on 127.0.0.1: line cap, violation cut-off, idle timeout, connection cap, shutdown. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DmtpServer, type DmtpServerOptions } from '../../src/dmtp/server.js';
import { DOMAIN, DX_HOST, makeWorld, testCertificate, WirePeer, worldStore, type World } from './fixtures.js';
import { base64Encode } from '../../src/bytes/encoding.js';

let world: World;
const running: DmtpServer[] = [];

beforeAll(() => {
  world = makeWorld();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close(200)));
});

async function start(extra: Partial<DmtpServerOptions> = {}): Promise<DmtpServer> {
  const cert = testCertificate();
  const server = await DmtpServer.start({
    hostname: DX_HOST,
    store: worldStore(world),
    key: cert.keyPem,
    cert: cert.certPem,
    listen: { host: '127.0.0.1', port: 0 },
    ...extra,
  });
  running.push(server);
  return server;
}

const BANNER = `220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`;

describe('DmtpServer limits', () => {
  it('answers a command line over 4096 bytes with 500, discards it, and goes on', async () => {
    const server = await start();
    const peer = await WirePeer.tls(server.address!.port);
    expect(await peer.line()).toBe(BANNER);
    peer.write(`NOOP ${'x'.repeat(4089)}\r\n`); // 4096 bytes with CRLF: accepted
    expect(await peer.line()).toBe('250 OK\r\n');
    peer.write(`SGNT <${'a'.repeat(5000)}`);
    expect(await peer.line()).toBe('500 LINE TOO LONG.\r\n');
    peer.write(`${'b'.repeat(20000)}.example>\r\nMODE\r\n`);
    expect(await peer.line()).toBe('200 OK DMTPv1\r\n');
    peer.write('QUIT\r\n');
    expect(await peer.line()).toBe('221 BYE\r\n');
    await peer.closed;
  });

  it('ends the session with 421 after repeated bad commands', async () => {
    const log: string[] = [];
    const server = await start({ maxViolations: 3, log: (line) => log.push(line) });
    const peer = await WirePeer.tls(server.address!.port);
    await peer.line();
    peer.write('HELO x\r\nSGNT\r\nVRFY <a.example>\r\nNOOP\r\n');
    expect(await peer.line()).toBe('500 INVALID COMMAND\r\n');
    expect(await peer.line()).toBe('501 BAD SGNT SYNTAX.\r\n');
    expect(await peer.line()).toBe(`421 <${DX_HOST}> TOO MANY INVALID COMMANDS, CLOSING.\r\n`);
    await peer.closed;
    expect(peer.pending).toBe(''); // the NOOP after the cut-off got no answer
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log[0]).toMatch(/ commands=3 violations=3 end=violations /);
  });

  it('closes an idle session with 421', async () => {
    const server = await start({ idleTimeoutMs: 300 });
    const peer = await WirePeer.tls(server.address!.port);
    expect(await peer.line()).toBe(BANNER);
    const started = Date.now();
    expect(await peer.line(3000)).toBe(`421 <${DX_HOST}> IDLE TIMEOUT, CLOSING.\r\n`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await peer.closed;
  });

  it('refuses connections over the cap with 421 and serves again when one leaves', async () => {
    const server = await start({ maxConnections: 2 });
    const port = server.address!.port;
    const a = await WirePeer.tls(port);
    const b = await WirePeer.tls(port);
    expect(await a.line()).toBe(BANNER);
    expect(await b.line()).toBe(BANNER);
    const c = await WirePeer.tls(port);
    expect(await c.line()).toBe(`421 <${DX_HOST}> TOO MANY CONNECTIONS, TRY AGAIN LATER.\r\n`);
    await c.closed;
    a.write('QUIT\r\n');
    expect(await a.line()).toBe('221 BYE\r\n');
    await a.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const d = await WirePeer.tls(port);
    expect(await d.line()).toBe(BANNER);
    d.destroy();
    b.destroy();
  });

  it('shuts down gracefully: 421 to open sessions, listener closed', async () => {
    const server = await start();
    const peer = await WirePeer.tls(server.address!.port);
    await peer.line();
    await server.close(1000);
    expect(await peer.line()).toBe(`421 <${DX_HOST}> SERVICE SHUTTING DOWN.\r\n`);
    await peer.closed;
    await expect(WirePeer.tls(server.address!.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('dual mode: plaintext commands before STARTTLS are refused, pipelined plaintext after it is discarded', async () => {
    const server = await start({ listen: undefined, dual: { host: '127.0.0.1', port: 0 } });
    expect(server.address).toBeUndefined();
    const plain = await WirePeer.plain(server.dualAddress!.port);
    expect(await plain.line()).toBe(`220 <${DX_HOST}> ESMTP DMTPv1 TSDMTP\r\n`);
    plain.write(`SGNT <${DOMAIN}>\r\n`);
    expect(await plain.line()).toBe('503 DMTP COMMAND REQUIRES STARTTLS FIRST.\r\n');
    // An injected command in the same packet as STARTTLS must not run inside TLS.
    plain.write('STARTTLS <mx.example.test> MODE=DMTPv1\r\nQUIT\r\n');
    expect(await plain.line()).toBe('220 READY\r\n');
    const tls = await plain.startTls();
    expect(await tls.line()).toBe('250 OK DMTPv1\r\n');
    tls.write(`SGNT <${DOMAIN}>\r\n`);
    expect(await tls.line()).toBe(`250 OK [${base64Encode(world.org.signet.bytes)}]\r\n`);
    tls.write('STARTTLS <mx.example.test> MODE=DMTPv1\r\n');
    expect(await tls.line()).toBe('454 SESSION IS ALREADY ENCRYPTED.\r\n');
    tls.write('QUIT\r\n');
    expect(await tls.line()).toBe('221 BYE\r\n');
    await tls.closed;
  });

  it('binds IPv6 loopback when available and reports the real port', async () => {
    let server: DmtpServer;
    try {
      server = await start({ listen: { host: '::1', port: 0 } });
    } catch (error) {
      console.warn(`skipping IPv6: ${(error as Error).message}`);
      return;
    }
    expect(server.address!.host).toBe('::1');
    expect(server.address!.port).toBeGreaterThan(0);
    const peer = await WirePeer.tls(server.address!.port, '::1');
    expect(await peer.line()).toBe(BANNER);
    peer.destroy();
  });
});

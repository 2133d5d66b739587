/**
 * A malicious DX on 127.0.0.1 (node:tls, or raw TCP for handshake tricks) against the real DMTP
 * client (profile §5): slow banner, endless line, a 100 MB signet reply (one line and many lines),
 * replies out of order or for another signet, TLS downgrade attempts (a server offering only TLS 1.0
 * or 1.1, an SSLv3 ServerHello, plaintext on the TLS port). Each case ends with the documented
 * error code and exit class within the client's timeouts, and the client's heap growth stays under
 * a stated ceiling while the peer pushes far more than that.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createTlsServer, type TLSSocket, type Server as TlsServer } from 'node:tls';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import {
  DimeError,
  DmtpClient,
  base64Encode,
  createOrgSignet,
  createSelfSignedCertificate,
  createSsr,
  fingerprints,
  keysFromMaterial,
  signSsr,
  type DmtpClientOptions,
} from '@dime/core';

const DX_HOST = 'dx.example.test';
const CONNECT_TIMEOUT_MS = 1000;
const READ_TIMEOUT_MS = 800;
/** The client's reply cap for these tests (the default is 1 MiB; the peers send 50–100 MB). */
const MAX_REPLY = 1024 * 1024;
/** Heap the client may grow by while a peer pushes up to 100 MB at it. */
const HEAP_CEILING_MB = 40;

const orgKeys = keysFromMaterial('org-keys', new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
const org = createOrgSignet(orgKeys, 'example.test', { name: 'Example' });
const alice = signSsr(createSsr(keysFromMaterial('user-keys', new Uint8Array(32).fill(3), new Uint8Array(32).fill(4))), orgKeys, 'alice@example.test', {});
const bob = signSsr(createSsr(keysFromMaterial('user-keys', new Uint8Array(32).fill(5), new Uint8Array(32).fill(6))), orgKeys, 'bob@example.test', {});
const BANNER = `220 <${DX_HOST}> DMTPv1 EVIL\r\n`;

let cert: { certPem: string; keyPem: string };
const servers: (TlsServer | NetServer)[] = [];
const sockets = new Set<Socket>();

beforeAll(() => {
  cert = createSelfSignedCertificate({ hostname: DX_HOST });
});

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

type Handler = (socket: Socket, onLine: (fn: (line: string) => void) => void) => void;

function lineReader(socket: Socket): (fn: (line: string) => void) => void {
  let buffer = '';
  const listeners: ((line: string) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    let lf: number;
    while ((lf = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, lf).replace(/\r$/, '');
      buffer = buffer.slice(lf + 1);
      for (const l of listeners) l(line);
    }
  });
  return (fn) => listeners.push(fn);
}

async function listen(server: TlsServer | NetServer): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function tlsPeer(handler: Handler, tlsOptions: Record<string, unknown> = {}): Promise<number> {
  const server = createTlsServer({ key: cert.keyPem, cert: cert.certPem, ...tlsOptions }, (socket: TLSSocket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    handler(socket, lineReader(socket));
  });
  server.on('tlsClientError', () => undefined);
  return listen(server);
}

function tcpPeer(handler: (socket: Socket) => void): Promise<number> {
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    handler(socket);
  });
  return listen(server);
}

function options(port: number): DmtpClientOptions {
  return { host: DX_HOST, address: '127.0.0.1', port, rejectUnauthorized: false, connectTimeoutMs: CONNECT_TIMEOUT_MS, readTimeoutMs: READ_TIMEOUT_MS, maxReplyBytes: MAX_REPLY };
}

interface Outcome {
  error: DimeError;
  elapsedMs: number;
  heapGrowthMb: number;
}

/** Runs `fn` against the peer; it must fail with a DimeError. Measures time and heap growth. */
async function expectFailure(fn: () => Promise<unknown>): Promise<Outcome> {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakGrowth = 0;
  const sampler = setInterval(() => (peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - heapBefore)), 10);
  const started = performance.now();
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  const elapsedMs = performance.now() - started;
  clearInterval(sampler);
  peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - heapBefore);
  expect(thrown, 'the client must fail with a DimeError').toBeInstanceOf(DimeError);
  return { error: thrown as DimeError, elapsedMs, heapGrowthMb: peakGrowth / 2 ** 20 };
}

/** Connect, ask for alice's signet by fingerprint, quit. */
async function fetchAlice(port: number): Promise<void> {
  const client = await DmtpClient.connect(options(port));
  try {
    await client.getSignet('alice@example.test', fingerprints(alice).full);
  } finally {
    client.close();
  }
}

/** Streams `total` bytes of `fill` after `prefix`, respecting back-pressure; stops when the peer goes. */
function stream(socket: Socket, prefix: string, total: number, fill: Buffer, suffix = ''): void {
  socket.write(prefix);
  let left = total;
  const pump = () => {
    while (left > 0 && !socket.destroyed) {
      const part = left >= fill.length ? fill : fill.subarray(0, left);
      left -= part.length;
      if (!socket.write(part)) return void socket.once('drain', pump);
    }
    if (left <= 0 && !socket.destroyed) socket.write(suffix);
  };
  pump();
}

describe('hostile DX vs DMTP client', () => {
  it('control: an honest peer hands over the signet', async () => {
    const port = await tlsPeer((socket, onLine) => {
      socket.write(BANNER);
      onLine((line) => socket.write(line.startsWith('SGNT') ? `250 OK [${base64Encode(alice.bytes)}]\r\n` : '221 BYE\r\n'));
    });
    const client = await DmtpClient.connect(options(port));
    const got = await client.getSignet('alice@example.test', fingerprints(alice).full);
    expect(got.fingerprints.full).toBe(fingerprints(alice).full);
    await client.quit();
  });

  it('slow banner (one byte per 100 ms, never a full line in time): NETWORK, exit 4, at the read timeout', async () => {
    const port = await tlsPeer((socket) => {
      let i = 0;
      const timer = setInterval(() => (socket.destroyed || i >= BANNER.length ? clearInterval(timer) : socket.write(BANNER[i++]!)), 100);
      socket.on('close', () => clearInterval(timer));
    });
    const { error, elapsedMs } = await expectFailure(() => DmtpClient.connect(options(port)));
    expect(error.code).toBe('NETWORK');
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/no banner reply .* within 800 ms/);
    expect(elapsedMs).toBeGreaterThanOrEqual(READ_TIMEOUT_MS - 50);
    expect(elapsedMs).toBeLessThan(READ_TIMEOUT_MS + 2500);
  });

  it('endless line (50 MB without LF after the banner): PROTOCOL, exit 4, heap bounded', async () => {
    const port = await tlsPeer((socket, onLine) => {
      socket.write(BANNER);
      onLine(() => stream(socket, '250 OK [', 50 << 20, Buffer.alloc(1 << 16, 0x41)));
    });
    const { error, heapGrowthMb, elapsedMs } = await expectFailure(() => fetchAlice(port));
    expect(error.code).toBe('PROTOCOL');
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/line longer than 1048576 bytes/);
    expect(heapGrowthMb).toBeLessThan(HEAP_CEILING_MB);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('a 100 MB signet in one reply line: PROTOCOL (reply cap), heap bounded', async () => {
    const port = await tlsPeer((socket, onLine) => {
      socket.write(BANNER);
      onLine(() => stream(socket, '250 OK [', 100 << 20, Buffer.alloc(1 << 16, 0x41), ']\r\n'));
    });
    const { error, heapGrowthMb } = await expectFailure(() => fetchAlice(port));
    expect(error.code).toBe('PROTOCOL');
    expect(heapGrowthMb).toBeLessThan(HEAP_CEILING_MB);
  });

  it('a 100 MB reply as many 250- lines: PROTOCOL ("more than 1048576 bytes"), heap bounded', async () => {
    const line = Buffer.from(`250-${'A'.repeat(76)}\r\n`);
    const block = Buffer.concat(Array.from({ length: 800 }, () => line));
    const port = await tlsPeer((socket, onLine) => {
      socket.write(BANNER);
      onLine(() => stream(socket, '', 100 << 20, block, '250 OK\r\n'));
    });
    const { error, heapGrowthMb } = await expectFailure(() => fetchAlice(port));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/more than 1048576 bytes/);
    expect(heapGrowthMb).toBeLessThan(HEAP_CEILING_MB);
  });

  it("replies out of order: another user's valid signet for alice's fingerprint is FINGERPRINT_MISMATCH, exit 1", async () => {
    const port = await tlsPeer((socket, onLine) => {
      socket.write(BANNER);
      onLine((line) => socket.write(line.startsWith('SGNT') ? `250 OK [${base64Encode(bob.bytes)}]\r\n` : '221 BYE\r\n'));
    });
    const { error } = await expectFailure(() => fetchAlice(port));
    expect(error.code).toBe('FINGERPRINT_MISMATCH');
    expect(error.exitCode).toBe(1);
  });

  it('replies out of order: an unsolicited 250 OK ahead of the signet reply is PROTOCOL, and the client does not resync onto stale replies', async () => {
    const port = await tlsPeer((socket, onLine) => {
      socket.write(BANNER);
      // Answers to commands the client never sent, then the real answer.
      onLine(() => socket.write(`250 OK\r\n221 BYE\r\n250 OK [${base64Encode(alice.bytes)}]\r\n`));
    });
    const client = await DmtpClient.connect(options(port));
    const { error } = await expectFailure(() => client.getSignet('alice@example.test', fingerprints(alice).full));
    expect(error.code).toBe('PROTOCOL');
    expect(error.exitCode).toBe(4);
    // The stream is out of step: the next command must fail too instead of reading a stale reply.
    const next = await expectFailure(() => client.getSignet('alice@example.test'));
    expect(['PROTOCOL', 'NETWORK']).toContain(next.error.code);
    client.close();
  });

  it('the signet reply arrives before the command is sent (pipelined ahead with the banner): still matched or refused, never mis-attributed', async () => {
    const port = await tlsPeer((socket, onLine) => {
      socket.write(`${BANNER}250 OK [${base64Encode(bob.bytes)}]\r\n`);
      onLine((line) => socket.write(line.startsWith('SGNT') ? `250 OK [${base64Encode(alice.bytes)}]\r\n` : '221 BYE\r\n'));
    });
    // bob's early signet must never be returned for alice's fingerprint.
    const outcome = await fetchAlice(port).then(
      () => 'ok',
      (e: unknown) => (e as DimeError).code
    );
    expect(['FINGERPRINT_MISMATCH', 'PROTOCOL']).toContain(outcome);
  });
});

describe('TLS downgrade attempts', () => {
  it('a server offering only TLS 1.0: NETWORK (handshake refused), exit 4, within the connect timeout', async () => {
    const port = await tlsPeer(
      (socket) => socket.write(BANNER),
      { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }
    );
    const { error, elapsedMs } = await expectFailure(() => DmtpClient.connect(options(port)));
    expect(error.code).toBe('NETWORK');
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/TLS handshake .* failed/);
    expect(elapsedMs).toBeLessThan(CONNECT_TIMEOUT_MS + 2000);
  });

  it('a server offering only TLS 1.1: NETWORK (handshake refused)', async () => {
    const port = await tlsPeer(
      (socket) => socket.write(BANNER),
      { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }
    );
    const { error } = await expectFailure(() => DmtpClient.connect(options(port)));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/TLS handshake .* failed/);
  });

  it('an SSLv3 ServerHello in answer to the ClientHello: NETWORK, exit 4', async () => {
    // Record: handshake(22), version 3.0, then a ServerHello (type 2) for version 3.0 with a
    // 32-byte random, no session id, TLS_RSA_WITH_AES_128_CBC_SHA (0x002f), no compression.
    const hello = Buffer.from([2, 0, 0, 38, 3, 0, ...new Uint8Array(32).fill(7), 0, 0x00, 0x2f, 0]);
    const record = Buffer.concat([Buffer.from([22, 3, 0, hello.length >> 8, hello.length & 0xff]), hello]);
    const port = await tcpPeer((socket) => socket.once('data', () => socket.write(record)));
    const { error, elapsedMs } = await expectFailure(() => DmtpClient.connect(options(port)));
    expect(error.code).toBe('NETWORK');
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/TLS handshake|closed the connection/);
    expect(elapsedMs).toBeLessThan(CONNECT_TIMEOUT_MS + 2000);
  });

  it('a plaintext banner on the implicit-TLS port (STARTTLS stripping): NETWORK, never a session in clear', async () => {
    const port = await tcpPeer((socket) => socket.write(BANNER));
    const { error } = await expectFailure(() => DmtpClient.connect(options(port)));
    expect(error.code).toBe('NETWORK');
  });

  it('a dual-mode server that refuses STARTTLS and offers to continue in clear: refused, exit 4', async () => {
    const port = await tcpPeer((socket) => {
      socket.write(`220 <${DX_HOST}> ESMTP DMTPv1 EVIL\r\n`);
      socket.on('data', () => socket.write('502 STARTTLS NOT AVAILABLE, GO AHEAD IN CLEAR\r\n'));
    });
    const { error } = await expectFailure(() => DmtpClient.connect({ ...options(port), starttls: true }));
    expect(error.code).toBe('PROTOCOL');
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/STARTTLS refused/);
  });
});

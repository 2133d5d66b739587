/**
 * The client against odd and hostile servers scripted here with node:tls: each case has a defined
 * result and none may hang (every test bounds the client's timeouts).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createTlsServer, TLSSocket, type Server as TlsServer } from 'node:tls';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { DmtpClient, type DmtpClientOptions } from '../../src/dmtp/client.js';
import { DimeError } from '../../src/errors/dime-error.js';
import { base64Encode } from '../../src/bytes/encoding.js';
import { DOMAIN, DX_HOST, makeWorld, testCertificate, type World } from './fixtures.js';

let world: World;
const servers: (TlsServer | NetServer)[] = [];
const sockets = new Set<Socket>();

beforeAll(() => {
  world = makeWorld();
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

type Script = (socket: Socket | TLSSocket, lines: AsyncGenerator<string>) => Promise<void> | void;

/** Reads the client's lines as an async iterator. */
async function* clientLines(socket: Socket | TLSSocket): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of socket) {
    buffer += (chunk as Buffer).toString('latin1');
    let lf: number;
    while ((lf = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, lf).replace(/\r$/, '');
      buffer = buffer.slice(lf + 1);
    }
  }
}


async function tlsScript(script: Script): Promise<number> {
  const cert = testCertificate();
  const server = createTlsServer({ key: cert.keyPem, cert: cert.certPem }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    void Promise.resolve(script(socket, clientLines(socket))).catch(() => socket.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function plainScript(script: Script): Promise<number> {
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    void Promise.resolve(script(socket, clientLines(socket))).catch(() => socket.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function options(port: number, extra: Partial<DmtpClientOptions> = {}): DmtpClientOptions {
  return { host: DX_HOST, address: '127.0.0.1', port, rejectUnauthorized: false, connectTimeoutMs: 1000, readTimeoutMs: 500, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<DimeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(DimeError);
  return error as DimeError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const orgReply = () => `250 OK [${base64Encode(world.org.signet.bytes)}]`;

/** A minimal correct DX in `eol` style after a given banner. */
function dx(banner: string, eol: string, extra: (line: string) => string | undefined = () => undefined): Script {
  return async (socket, lines) => {
    socket.write(banner);
    for await (const line of lines) {
      const special = extra(line);
      if (special !== undefined) socket.write(special);
      else if (line.startsWith('SGNT')) socket.write(`${orgReply()}${eol}`);
      else if (line === 'QUIT') {
        socket.end(`221 BYE${eol}`);
        return;
      } else socket.write(`250 OK${eol}`);
    }
  };
}

describe('client vs odd servers', () => {
  it('bare LF everywhere (magma style): works', async () => {
    const port = await tlsScript(dx(`220 <${DX_HOST}> DMTPv1 Magma\n`, '\n'));
    const client = await DmtpClient.connect(options(port));
    expect((await client.getSignet(DOMAIN)).fingerprints.full).toBe(world.org.fingerprints.full);
    await client.noop();
    await client.quit();
  });

  it('a libdime-era server (TLS 1.2 only, ECDHE-RSA-AES256-GCM-SHA384 only): the client offers that suite', async () => {
    const cert = testCertificate();
    const server = createTlsServer({ key: cert.keyPem, cert: cert.certPem, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', ecdhCurve: 'P-256' }, (socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      void Promise.resolve(dx(`220 <${DX_HOST}> DMTPv1 Magma\r\n`, '\r\n')(socket, clientLines(socket))).catch(() => socket.destroy());
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = await DmtpClient.connect(options((server.address() as AddressInfo).port));
    expect(client.peerCertificate.protocol).toBe('TLSv1.2');
    expect(client.peerCertificate.cipher).toBe('ECDHE-RSA-AES256-GCM-SHA384');
    await client.noop();
    await client.quit();
  });

  it('banner split across TCP reads: works', async () => {
    const port = await tlsScript(async (socket, lines) => {
      socket.write('220 <dx.exa');
      await sleep(60);
      socket.write('mple.test> DMT');
      await sleep(60);
      socket.write('Pv1 TSDMTP\r');
      await sleep(60);
      socket.write('\n');
      await dx('', '\r\n')(socket, lines);
    });
    const client = await DmtpClient.connect(options(port));
    expect(client.banner).toEqual({ code: 220, lines: [`<${DX_HOST}> DMTPv1 TSDMTP`] });
    await client.noop();
    await client.quit();
  });

  it('multi-line 220 banner: accepted when a line carries the DMTPv1 token', async () => {
    const port = await tlsScript(dx(`220-<${DX_HOST}> welcome\r\n220-second line\r\n220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`, '\r\n'));
    const client = await DmtpClient.connect(options(port));
    expect(client.banner.lines).toEqual([`<${DX_HOST}> welcome`, 'second line', `<${DX_HOST}> DMTPv1 TSDMTP`]);
    expect((await client.getSignet(DOMAIN)).fingerprints.id).toBe(world.org.fingerprints.id);
    await client.quit();
  });

  it('stray NUL after a reply: ignored, the session stays in step', async () => {
    const port = await tlsScript(dx(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`, '\r\n', (line) => (line.startsWith('SGNT') ? `${orgReply()}\r\n\0` : undefined)));
    const client = await DmtpClient.connect(options(port));
    expect((await client.getSignet(DOMAIN)).fingerprints.crypto).toBe(world.org.fingerprints.crypto);
    await client.noop();
    await client.quit();
  });

  it('a NUL inside a reply line: PROTOCOL', async () => {
    const port = await tlsScript(dx(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`, '\r\n', (line) => (line === 'NOOP' ? '250 O\0K\r\n' : undefined)));
    const client = await DmtpClient.connect(options(port));
    const error = await failure(client.noop());
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/NUL byte inside "250 O\\\\x00K"/);
    await client.quit();
  });

  it('signet reply with no closing ]: PROTOCOL', async () => {
    const port = await tlsScript(dx(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`, '\r\n', (line) => (line.startsWith('SGNT') ? `250 OK [${base64Encode(world.org.signet.bytes)}\r\n` : undefined)));
    const client = await DmtpClient.connect(options(port));
    const error = await failure(client.getSignet(DOMAIN));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/signet reply has no closing \]/);
    await client.quit();
  });

  it('magma banner `220 … DSMTP Magma` without DMTPv1: PROTOCOL, exit 4', async () => {
    const port = await tlsScript(dx('220 lavabit.com DSMTP Magma\n', '\n'));
    const error = await failure(DmtpClient.connect(options(port)));
    expect(error.code).toBe('PROTOCOL');
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe('incompatible banner (no DMTPv1 token): "220 lavabit.com DSMTP Magma"');
  });

  it('`220 DMTPv1` (the token is the host slot): PROTOCOL', async () => {
    const port = await tlsScript(dx('220 DMTPv1\r\n', '\r\n'));
    expect((await failure(DmtpClient.connect(options(port)))).code).toBe('PROTOCOL');
  });

  it('421 banner: NETWORK (the DX refused the session)', async () => {
    const port = await tlsScript((socket) => void socket.end('421 <dx> TOO MANY CONNECTIONS\r\n'));
    const error = await failure(DmtpClient.connect(options(port)));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/refused the session: "421 <dx> TOO MANY CONNECTIONS"/);
  });

  it('silent server (no banner): NETWORK after the read timeout', async () => {
    const port = await tlsScript(() => undefined);
    const started = Date.now();
    const error = await failure(DmtpClient.connect(options(port, { readTimeoutMs: 300 })));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe(`no banner reply from 127.0.0.1:${port} within 300 ms`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('server that goes silent after the banner: NETWORK, and QUIT does not hang', async () => {
    const port = await tlsScript((socket) => void socket.write(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`));
    const client = await DmtpClient.connect(options(port, { readTimeoutMs: 300 }));
    const error = await failure(client.getSignet(DOMAIN));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe(`no SGNT reply from 127.0.0.1:${port} within 300 ms`);
    await client.quit();
  });

  it('server that never starts TLS: NETWORK after the connect timeout', async () => {
    const port = await plainScript(() => undefined);
    const error = await failure(DmtpClient.connect(options(port, { connectTimeoutMs: 300 })));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe(`TLS handshake with 127.0.0.1:${port} timed out after 300 ms`);
  });

  it('server that hangs up mid-reply: NETWORK', async () => {
    const port = await tlsScript(dx(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`, '\r\n', (line) => (line.startsWith('SGNT') ? '250-[AAAA]\r\n' : undefined)));
    const client = await DmtpClient.connect(options(port, { readTimeoutMs: 300 }));
    // the scripted server sends a continuation line and nothing more, then the timeout hits
    expect((await failure(client.getSignet(DOMAIN))).code).toBe('NETWORK');
    const port2 = await tlsScript(async (socket, lines) => {
      socket.write(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`);
      for await (const _ of lines) {
        socket.end('250 OK [AAA');
        return;
      }
    });
    const client2 = await DmtpClient.connect(options(port2));
    const error = await failure(client2.getSignet(DOMAIN));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe(`127.0.0.1:${port2} closed the connection`);
  });

  it('reply over the size cap: PROTOCOL, in one line or many', async () => {
    const port = await tlsScript(dx(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`, '\r\n', (line) => (line === 'NOOP' ? `250 ${'A'.repeat(5000)}\r\n` : `250-${'B'.repeat(100)}\r\n`.repeat(100))));
    const client = await DmtpClient.connect(options(port, { maxReplyBytes: 4096 }));
    const one = await failure(client.noop());
    expect(one.code).toBe('PROTOCOL');
    expect(one.message).toMatch(/NOOP reply from .*: line longer than 4096 bytes/);
    const client2 = await DmtpClient.connect(options(port, { maxReplyBytes: 4096 }));
    const many = await failure(client2.rset());
    expect(many.message).toMatch(/RSET reply from .*: more than 4096 bytes/);
  });

  it('multi-line reply whose code changes: PROTOCOL', async () => {
    const port = await tlsScript(dx(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`, '\r\n', (line) => (line === 'NOOP' ? '250-a\r\n251 b\r\n' : undefined)));
    const client = await DmtpClient.connect(options(port));
    const error = await failure(client.noop());
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/changed its code from 250 to 251/);
  });

  it('connection refused: NETWORK', async () => {
    const port = await plainScript(() => undefined);
    const server = servers.pop()!;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await failure(DmtpClient.connect(options(port)));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toBe(`connect to 127.0.0.1:${port} failed: connection refused`);
  });

  it('dual mode: plaintext bytes after `220 READY` are refused as PROTOCOL', async () => {
    const port = await plainScript(async (socket, lines) => {
      socket.write(`220 <${DX_HOST}> ESMTP DMTPv1 TSDMTP\r\n`);
      for await (const line of lines) {
        if (line.startsWith('STARTTLS')) socket.write('220 READY\r\n250 OK DMTPv1\r\n');
      }
    });
    const error = await failure(DmtpClient.connect(options(port, { starttls: true })));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/sent data after its STARTTLS reply/);
  });

  it('dual mode: a post-STARTTLS line other than `OK DMTPv1` is PROTOCOL', async () => {
    const cert = testCertificate();
    const port = await plainScript((socket) => {
      socket.write(`220 <${DX_HOST}> ESMTP DMTPv1 TSDMTP\r\n`);
      // (the line iterator is not used: ending it would destroy the socket)
      socket.once('data', () => {
        socket.write('220 READY\r\n');
        const tls = new TLSSocket(socket, { isServer: true, key: cert.keyPem, cert: cert.certPem });
        tls.on('error', () => undefined);
        tls.once('secure', () => tls.write('250 OK ESMTP\r\n'));
      });
    });
    const error = await failure(DmtpClient.connect(options(port, { starttls: true })));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/did not confirm DMTPv1: 250 "OK ESMTP"/);
  });
});

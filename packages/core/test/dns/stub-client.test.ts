/**
 * The stub client against real loopback sockets: well-behaved, slow, lying and broken servers.
 * Every server here is a few lines of dgram/net so each misbehaviour is exact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { DimeError } from '../../src/errors/dime-error.js';
import {
  createStubTransport,
  formatServerAddress,
  parseServerAddress,
  EDNS_UDP_PAYLOAD_SIZE,
} from '../../src/dns/stub-client.js';
import { parseResolvConf, resolverFromResolvConf } from '../../src/dns/resolv-conf.js';

type UdpHandler = (query: Buffer, reply: (bytes: Uint8Array) => void, rinfo: RemoteInfo) => void;
type TcpHandler = (query: Buffer, socket: TcpSocket) => void;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A UDP server (and optionally a TCP server on the same port) on loopback. */
async function startServer(udp: UdpHandler, tcp?: TcpHandler, host = '127.0.0.1'): Promise<{ port: number; queries: Buffer[] }> {
  const queries: Buffer[] = [];
  const socket: Socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (msg, rinfo) => {
    queries.push(msg);
    udp(msg, (bytes) => socket.send(bytes, rinfo.port, rinfo.address), rinfo);
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const port = socket.address().port;
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  if (tcp) {
    const server: Server = createServer((conn) => {
      let buffered = Buffer.alloc(0);
      conn.on('data', (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const query = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
          queries.push(query);
          tcp(query, conn);
        }
      });
      conn.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  }
  return { port, queries };
}

function answerFor(query: Buffer, overrides: Partial<dnsPacket.Packet> = {}): Uint8Array {
  const q = dnsPacket.decode(query);
  return Uint8Array.from(
    dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: q.questions,
      answers: [{ name: q.questions![0]!.name, type: 'TXT', class: 'IN', ttl: 60, data: ['ver=1 pok=abc'] }],
      ...overrides,
    })
  );
}

function framed(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  out.set(bytes, 2);
  return out;
}

async function expectNetworkError(promise: Promise<unknown>): Promise<DimeError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err
  );
  expect(error).toBeInstanceOf(DimeError);
  expect((error as DimeError).code).toBe('NETWORK');
  expect((error as DimeError).exitCode).toBe(4);
  return error as DimeError;
}

describe('parseServerAddress', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', 53],
    ['127.0.0.1:5353', '127.0.0.1', 5353],
    ['[::1]:5353', '::1', 5353],
    ['[::1]', '::1', 53],
    ['::1', '::1', 53],
    ['2001:db8::53', '2001:db8::53', 53],
    ['localhost:1053', 'localhost', 1053],
    ['ns1.example.', 'ns1.example.', 53],
  ])('%s → %s port %i', (text, host, port) => {
    expect(parseServerAddress(text)).toEqual({ host, port });
  });

  it.each([
    ['127.0.0.1:0', 'port "0" is not a number from 1 to 65535'],
    ['127.0.0.1:65536', 'port "65536" is not a number from 1 to 65535'],
    ['127.0.0.1:x', 'port "x" is not a number from 1 to 65535'],
    ['[::1', 'missing "]"'],
    ['[::1]5353', 'unexpected "5353" after "]"'],
    ['[127.0.0.1]:53', '"127.0.0.1" is not an IPv6 address'],
    ['', 'empty host'],
    [':53', 'empty host'],
    ['bad_host!:53', 'is neither an IP address nor a host name'],
    ['1::2::3', 'is not an IPv6 address'],
  ])('rejects %j', (text, message) => {
    let error: unknown;
    try {
      parseServerAddress(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DimeError);
    expect((error as DimeError).code).toBe('USAGE');
    expect((error as DimeError).message).toContain(message);
  });

  it('formats addresses the way it parses them', () => {
    expect(formatServerAddress({ host: '::1', port: 5353 })).toBe('[::1]:5353');
    expect(formatServerAddress({ host: '127.0.0.1', port: 53 })).toBe('127.0.0.1:53');
  });
});

describe('createStubTransport', () => {
  it('sends RD, CD, EDNS0 1232 and DO, and returns the answer bytes as received', async () => {
    let sent: Uint8Array | undefined;
    const server = await startServer((query, reply) => {
      sent = answerFor(query);
      reply(sent);
    });
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 2000 });
    const response = await transport.query({ name: '_dx.Example.TEST', type: 'TXT' });
    expect(response).toEqual(sent);

    const query = dnsPacket.decode(server.queries[0]!);
    expect(query.type).toBe('query');
    const flags = query.flags ?? 0;
    expect(flags & dnsPacket.RECURSION_DESIRED).toBe(dnsPacket.RECURSION_DESIRED);
    expect(flags & dnsPacket.CHECKING_DISABLED).toBe(dnsPacket.CHECKING_DISABLED);
    expect(flags & dnsPacket.AUTHENTIC_DATA).toBe(0);
    expect(query.questions).toEqual([{ name: '_dx.Example.TEST', type: 'TXT', class: 'IN' }]);
    expect(query.additionals).toHaveLength(1);
    const opt = query.additionals![0] as unknown as { type: string; udpPayloadSize: number; flags: number; name: string };
    expect(opt.type).toBe('OPT');
    expect(opt.name).toBe('.');
    expect(opt.udpPayloadSize).toBe(EDNS_UDP_PAYLOAD_SIZE);
    expect(opt.flags & dnsPacket.DNSSEC_OK).toBe(dnsPacket.DNSSEC_OK);
  });

  it('uses a fresh random id for every query', async () => {
    const server = await startServer((query, reply) => reply(answerFor(query)));
    const transport = createStubTransport({ server: { host: '127.0.0.1', port: server.port } });
    for (let i = 0; i < 6; i++) await transport.query({ name: 'example.test', type: 'TXT' });
    const ids = new Set(server.queries.map((q) => q.readUInt16BE(0)));
    expect(ids.size).toBeGreaterThan(1);
  });

  it('accepts the question echoed in another letter case', async () => {
    const server = await startServer((query, reply) => {
      const q = dnsPacket.decode(query);
      reply(answerFor(query, { questions: [{ name: 'EXAMPLE.test', type: 'TXT', class: 'IN' }], id: q.id }));
    });
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}` });
    const response = await transport.query({ name: 'example.TEST.', type: 'TXT' });
    expect(dnsPacket.decode(Buffer.from(response)).answers).toHaveLength(1);
  });

  it('passes NXDOMAIN through for the validator to prove', async () => {
    const server = await startServer((query, reply) =>
      reply(answerFor(query, { flags: dnsPacket.RECURSION_DESIRED | 3, answers: [] }))
    );
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}` });
    const response = await transport.query({ name: 'nope.example.test', type: 'A' });
    expect(response[3]! & 0x0f).toBe(3);
  });

  it('ignores a response with a wrong id and takes the right one that follows', async () => {
    const server = await startServer((query, reply) => {
      const wrong = answerFor(query);
      wrong[0] ^= 0xff;
      reply(wrong);
      setTimeout(() => reply(answerFor(query)), 20);
    });
    const lines: string[] = [];
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, log: (l) => lines.push(l) });
    const response = await transport.query({ name: 'example.test', type: 'TXT' });
    expect(response.subarray(0, 2)).toEqual(Uint8Array.from(server.queries[0]!.subarray(0, 2)));
    expect(lines.some((l) => /^ignored a response with id \d+ instead of \d+$/.test(l))).toBe(true);
    expect(server.queries).toHaveLength(1);
  });

  it('ignores a response to another question (name, type or class)', async () => {
    const server = await startServer((query, reply) => {
      reply(answerFor(query, { questions: [{ name: 'evil.test', type: 'TXT', class: 'IN' }] }));
      reply(answerFor(query, { questions: [{ name: 'example.test', type: 'A', class: 'IN' }] }));
      reply(answerFor(query, { questions: [{ name: 'example.test', type: 'TXT', class: 'CH' }] }));
      // Type 65 is 0x0041, type 97 is 0x0061: folding letters' case must not touch the type bytes.
      // (dns-packet cannot write TYPE97, so these two are the query's own bytes with QR set.)
      const echo = Uint8Array.from(query);
      echo[2]! |= 0x80;
      const qtypeAt = 12 + 14; // after "\x07example\x04test\x00"
      const typed = Uint8Array.from(echo);
      typed[qtypeAt + 1] = 0x61;
      reply(typed);
      setTimeout(() => reply(echo), 30);
    });
    const lines: string[] = [];
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, log: (l) => lines.push(l) });
    const response = await transport.query({ name: 'example.test', type: 'TYPE65' });
    expect(lines.filter((l) => l === 'ignored a response to a different question')).toHaveLength(4);
    expect(response.subarray(12 + 14, 12 + 18)).toEqual(Uint8Array.of(0, 65, 0, 1));
  });

  it('gives up on a server that never answers after 1 + retries attempts, naming server and question', async () => {
    const server = await startServer(() => {});
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 150, retries: 2 });
    const started = Date.now();
    const error = await expectNetworkError(transport.query({ name: '_dx.example.test', type: 'TXT' }));
    expect(error.message).toBe(
      `no usable answer from 127.0.0.1:${server.port} for _dx.example.test TXT after 3 attempts: no answer within 150 ms over UDP`
    );
    expect(server.queries).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports wrong-id responses when nothing else came back', async () => {
    const server = await startServer((query, reply) => {
      const wrong = answerFor(query);
      wrong[1] ^= 0x5a;
      reply(wrong);
      reply(wrong);
    });
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 150, retries: 0 });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toBe(
      `no usable answer from 127.0.0.1:${server.port} for example.test TXT after 1 attempt: no answer within 150 ms over UDP; ignored 2 × a response with a wrong id`
    );
  });

  it('reports garbage: packets too short for a header, or undecodable after a valid question', async () => {
    const server = await startServer((query, reply) => {
      reply(Uint8Array.of(1, 2, 3, 4, 5));
      // Right id and question, but the header promises an answer that is not there.
      const broken = answerFor(query, { answers: [] });
      broken[7] = 1;
      reply(broken);
    });
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 150, retries: 0 });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toMatch(
      /after 1 attempt: no answer within 150 ms over UDP; ignored a 5-byte packet, too short for a DNS header, a malformed response \(.+\)$/
    );
  });

  it('never sees answers sent from another port (the socket is connected to the server)', async () => {
    const other = createSocket('udp4');
    await new Promise<void>((resolve) => other.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => other.close(() => resolve())));
    const server = await startServer((query, _reply, rinfo) => other.send(answerFor(query), rinfo.port, rinfo.address));
    const lines: string[] = [];
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 150, retries: 0, log: (l) => lines.push(l) });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toMatch(/after 1 attempt: no answer within 150 ms over UDP$/);
    expect(lines.filter((l) => l.startsWith('ignored'))).toEqual([]);
  });

  it('survives a flood of junk: bounded log, grouped message', async () => {
    const server = await startServer((query, reply) => {
      for (let size = 1; size <= 11; size++) reply(new Uint8Array(size)); // 11 distinct reasons
      for (let i = 0; i < 100; i++) {
        const wrong = answerFor(query);
        wrong[0] ^= 0x80;
        reply(wrong);
      }
    });
    const lines: string[] = [];
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 1000, retries: 0, log: (l) => lines.push(l) });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(lines.filter((l) => l.startsWith('ignored'))).toHaveLength(10);
    const runts = Array.from({ length: 8 }, (_, i) => `a ${i + 1}-byte packet, too short for a DNS header`).join(', ');
    // Eight distinct reasons are kept; the rest (3 runts and the wrong ids the kernel delivered) are counted.
    expect(error.message).toMatch(new RegExp(`; ignored ${runts}, \\d+ × other packets$`));
  });

  it('ignores a query echoed back (QR=0)', async () => {
    const server = await startServer((query, reply) => reply(Uint8Array.from(query)));
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 100, retries: 0 });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toContain('ignored a packet without the QR (response) bit');
  });

  it('falls back to TCP when the UDP answer is truncated', async () => {
    let tcpAnswer: Uint8Array | undefined;
    const server = await startServer(
      (query, reply) => reply(answerFor(query, { flags: dnsPacket.TRUNCATED_RESPONSE, answers: [] })),
      (query, conn) => {
        tcpAnswer = answerFor(query);
        conn.end(framed(tcpAnswer));
      }
    );
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}` });
    const response = await transport.query({ name: 'example.test', type: 'TXT' });
    expect(response).toEqual(tcpAnswer);
    expect(server.queries).toHaveLength(2);
  });

  it('accepts a TC answer that omits the question, then uses TCP', async () => {
    const server = await startServer(
      (query, reply) => {
        const header = Uint8Array.from(query.subarray(0, 12));
        header[2] = 0x83; // QR, TC, RD
        header[5] = 0; // QDCOUNT 0
        header[11] = 0;
        reply(header);
      },
      (query, conn) => conn.end(framed(answerFor(query)))
    );
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}` });
    const response = await transport.query({ name: 'example.test', type: 'TXT' });
    expect(dnsPacket.decode(Buffer.from(response)).answers).toHaveLength(1);
  });

  it('fails cleanly when the TCP connection closes before the whole answer', async () => {
    const server = await startServer(
      (query, reply) => reply(answerFor(query, { flags: dnsPacket.TRUNCATED_RESPONSE, answers: [] })),
      (query, conn) => {
        const full = framed(answerFor(query));
        conn.end(full.subarray(0, 10));
      }
    );
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 1000, retries: 1 });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toMatch(
      new RegExp(`^no usable answer from 127\\.0\\.0\\.1:${server.port} for example\\.test TXT after 2 attempts: UDP answer truncated and TCP connection closed after 8 of \\d+ bytes$`)
    );
  });

  it('fails when TC is set and nothing listens on TCP', async () => {
    const server = await startServer((query, reply) => reply(answerFor(query, { flags: dnsPacket.TRUNCATED_RESPONSE, answers: [] })));
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, timeoutMs: 1000, retries: 0 });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toMatch(/: UDP answer truncated and TCP connection refused$/);
  });

  it('rejects a TCP answer with the wrong id', async () => {
    const server = await startServer(
      () => {},
      (query, conn) => {
        const answer = answerFor(query);
        answer[0] ^= 1;
        conn.end(framed(answer));
      }
    );
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, tcpOnly: true, retries: 0 });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toMatch(/: TCP server sent a response with id \d+ instead of \d+$/);
  });

  it('asks over TCP only when told to', async () => {
    const server = await startServer(
      () => {
        throw new Error('UDP must not be used');
      },
      (query, conn) => conn.end(framed(answerFor(query)))
    );
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, tcpOnly: true });
    await transport.query({ name: 'example.test', type: 'TXT' });
    expect(server.queries).toHaveLength(1);
  });

  it('stops at REFUSED without retrying', async () => {
    const server = await startServer((query, reply) => reply(answerFor(query, { flags: 5, answers: [] })));
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}`, retries: 2 });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toBe(`no usable answer from 127.0.0.1:${server.port} for example.test TXT: server answered REFUSED`);
    expect(server.queries).toHaveLength(1);
  });

  it('reports SERVFAIL', async () => {
    const server = await startServer((query, reply) => reply(answerFor(query, { flags: 2, answers: [] })));
    const transport = createStubTransport({ server: `127.0.0.1:${server.port}` });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toMatch(/: server answered SERVFAIL$/);
  });

  it('reports a closed UDP port as unreachable', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const transport = createStubTransport({ server: `127.0.0.1:${port}`, timeoutMs: 1000, retries: 1 });
    const error = await expectNetworkError(transport.query({ name: 'example.test', type: 'TXT' }));
    expect(error.message).toBe(
      `no usable answer from 127.0.0.1:${port} for example.test TXT after 2 attempts: UDP port unreachable (connection refused)`
    );
  });

  it('talks to an IPv6 server given as [::1]:PORT', async () => {
    const server = await startServer((query, reply) => reply(answerFor(query)), undefined, '::1');
    const transport = createStubTransport({ server: `[::1]:${server.port}` });
    const response = await transport.query({ name: 'example.test', type: 'TXT' });
    expect(response.length).toBeGreaterThan(12);
    const error = await expectNetworkError(
      createStubTransport({ server: `[::1]:${server.port}`, timeoutMs: 100, retries: 0, tcpOnly: true }).query({
        name: 'example.test',
        type: 'TXT',
      })
    );
    expect(error.message).toBe(`no usable answer from [::1]:${server.port} for example.test TXT after 1 attempt: TCP connection refused`);
  });

  it('rejects bad options as usage errors', () => {
    expect(() => createStubTransport({ server: '127.0.0.1', timeoutMs: 0 })).toThrow(/timeout 0 ms/);
    expect(() => createStubTransport({ server: '127.0.0.1', retries: -1 })).toThrow(/retries -1/);
    expect(() => createStubTransport({ server: { host: '127.0.0.1', port: 70000 } })).toThrow(/port 70000/);
  });
});

describe('resolv.conf', () => {
  it('takes the first nameserver, skipping comments and non-addresses', () => {
    const text = [
      '# generated',
      'search example.test',
      '; nameserver 192.0.2.99',
      'nameserver   not-an-address',
      'nameserver 192.0.2.1 # primary',
      'nameserver 2001:db8::1',
    ].join('\n');
    expect(parseResolvConf(text)).toEqual([
      { host: '192.0.2.1', port: 53 },
      { host: '2001:db8::1', port: 53 },
    ]);
    expect(parseResolvConf('nameserver fe80::1%eth0\n')).toEqual([{ host: 'fe80::1%eth0', port: 53 }]);
  });

  it('reads a file, and falls back to 127.0.0.1 like glibc', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resolv-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'resolv.conf');
    writeFileSync(file, 'options edns0\nnameserver ::1\nnameserver 127.0.0.53\n');
    expect(resolverFromResolvConf(file)).toEqual({ host: '::1', port: 53 });
    writeFileSync(file, 'search example\n');
    expect(resolverFromResolvConf(file)).toEqual({ host: '127.0.0.1', port: 53 });
    expect(resolverFromResolvConf(join(dir, 'missing'))).toEqual({ host: '127.0.0.1', port: 53 });
    expect(() => resolverFromResolvConf(dir)).toThrow(/cannot read \(EISDIR\)/);
  });
});

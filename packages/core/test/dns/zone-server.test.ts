/**
 * The zone server on real loopback sockets, queried by our stub client and by raw sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { DimeError } from '../../src/errors/dime-error.js';
import { decodeMessage, encodeQuery } from '../../src/dns/message.js';
import { parseZoneFile } from '../../src/dns/zone-file.js';
import { txtStrings } from '../../src/dns/rdata.js';
import { createStubTransport } from '../../src/dns/stub-client.js';
import { startZoneServer, type ZoneServer } from '../../src/dns/zone-server.js';
import type { AuthoritativeZone } from '../../src/dns/authority.js';

const servers: ZoneServer[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});

const BIG = 'x'.repeat(200);

function zone(extra = ''): AuthoritativeZone {
  const text = [
    '$TTL 300',
    '@ SOA ns hostmaster 1 3600 600 86400 300',
    '@ NS ns',
    'ns A 127.0.0.1',
    '_dx TXT "ver=1 pok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"',
    ...Array.from({ length: 10 }, (_, i) => `big TXT "${i}${BIG}"`),
    extra,
  ].join('\n');
  return { origin: 'example.test.', records: parseZoneFile(text, { origin: 'example.test.' }) };
}

async function serve(zones: AuthoritativeZone[], host = '127.0.0.1'): Promise<ZoneServer> {
  const server = await startZoneServer({ zones, host });
  servers.push(server);
  return server;
}

function txtOf(response: Uint8Array): string[] {
  return decodeMessage(response)
    .answers.filter((rr) => rr.type === 'TXT')
    .map((rr) => txtStrings(rr.rdata).map((s) => Buffer.from(s).toString('latin1')).join(''));
}

describe('startZoneServer', () => {
  it('answers over UDP, authoritatively, with the question echoed', async () => {
    const server = await serve([zone()]);
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    const response = await createStubTransport({ server: server.address }).query({ name: '_dx.Example.test', type: 'TXT' });
    const message = decodeMessage(response);
    expect(message.flags.qr).toBe(true);
    expect(message.flags.aa).toBe(true);
    expect(message.flags.tc).toBe(false);
    expect(message.rcode).toBe('NOERROR');
    expect(message.question).toEqual([{ name: '_dx.Example.test.', type: 'TXT', class: 'IN' }]);
    expect(txtOf(response)).toEqual(['ver=1 pok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']);
  });

  it('says NXDOMAIN for a missing name and REFUSED outside its zones', async () => {
    const server = await serve([zone()]);
    const transport = createStubTransport({ server: server.address, retries: 0 });
    expect(decodeMessage(await transport.query({ name: 'nope.example.test', type: 'TXT' })).rcode).toBe('NXDOMAIN');
    await expect(transport.query({ name: 'example.org', type: 'TXT' })).rejects.toThrow(/server answered REFUSED$/);
  });

  it('sets TC when the answer exceeds the EDNS size, and serves it whole over TCP', async () => {
    const server = await serve([zone()]);
    const raw = createSocket('udp4');
    const udpAnswer = await new Promise<Uint8Array>((resolve) => {
      raw.once('message', (msg) => resolve(new Uint8Array(msg)));
      raw.send(encodeQuery({ id: 7, name: 'big.example.test', type: 'TXT' }), server.port, '127.0.0.1');
    });
    raw.close();
    const truncated = decodeMessage(udpAnswer);
    expect(truncated.id).toBe(7);
    expect(truncated.flags.tc).toBe(true);
    expect(truncated.answers).toEqual([]);
    expect(udpAnswer.length).toBeLessThanOrEqual(1232);

    const lines: string[] = [];
    const response = await createStubTransport({ server: server.address, log: (l) => lines.push(l) }).query({ name: 'big.example.test', type: 'TXT' });
    expect(txtOf(response).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `${i}${BIG}`));
    expect(response.length).toBeGreaterThan(1232);
    expect(lines).toContain('truncated UDP answer for big.example.test TXT; retrying over TCP');
  });

  it('answers several length-prefixed queries on one TCP connection, in order', async () => {
    const server = await serve([zone()]);
    const queries = [1, 2, 3].map((id) => encodeQuery({ id, name: id === 2 ? 'nope.example.test' : '_dx.example.test', type: 'TXT' }));
    const frames = Buffer.concat(queries.map((q) => Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q])));
    const received = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1');
      let data = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        data = Buffer.concat([data, chunk]);
        let offset = 0;
        let count = 0;
        while (offset + 2 <= data.length && offset + 2 + data.readUInt16BE(offset) <= data.length) {
          offset += 2 + data.readUInt16BE(offset);
          count++;
        }
        if (count === 3) {
          socket.end();
          resolve(data);
        }
      });
      socket.on('error', reject);
      // Split writes: framing must not depend on packet boundaries.
      socket.write(frames.subarray(0, 5));
      setTimeout(() => socket.write(frames.subarray(5)), 10);
    });
    const messages: ReturnType<typeof decodeMessage>[] = [];
    for (let offset = 0; offset < received.length; ) {
      const length = received.readUInt16BE(offset);
      messages.push(decodeMessage(new Uint8Array(received.subarray(offset + 2, offset + 2 + length))));
      offset += 2 + length;
    }
    expect(messages.map((m) => [m.id, m.rcode])).toEqual([
      [1, 'NOERROR'],
      [2, 'NXDOMAIN'],
      [3, 'NOERROR'],
    ]);
  });

  it('stays silent for responses and runts, and answers FORMERR to a malformed query', async () => {
    const server = await serve([zone()]);
    const raw = createSocket('udp4');
    const replies: Uint8Array[] = [];
    raw.on('message', (msg) => replies.push(new Uint8Array(msg)));
    await new Promise<void>((resolve) => raw.bind(0, '127.0.0.1', resolve));
    const response = encodeQuery({ id: 9, name: 'example.test', type: 'SOA' });
    response[2]! |= 0x80; // QR: a response must never be answered
    raw.send(response, server.port, '127.0.0.1');
    raw.send(Uint8Array.of(1, 2, 3), server.port, '127.0.0.1');
    const broken = encodeQuery({ id: 10, name: 'example.test', type: 'SOA' }).slice(0, 20);
    raw.send(broken, server.port, '127.0.0.1');
    // Then a good query: once its answer is in, the earlier packets have been handled.
    raw.send(encodeQuery({ id: 11, name: 'example.test', type: 'SOA' }), server.port, '127.0.0.1');
    for (let i = 0; i < 100 && replies.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    raw.close();
    expect(replies.map((r) => decodeMessage(r)).map((m) => [m.id, m.rcode])).toEqual([
      [10, 'FORMERR'],
      [11, 'NOERROR'],
    ]);
  });

  it('serves new zones after setZones', async () => {
    const server = await serve([zone()]);
    const transport = createStubTransport({ server: server.address });
    expect(decodeMessage(await transport.query({ name: 'new.example.test', type: 'TXT' })).rcode).toBe('NXDOMAIN');
    server.setZones([zone('new TXT "here"')]);
    expect(txtOf(await transport.query({ name: 'new.example.test', type: 'TXT' }))).toEqual(['here']);
  });

  it('listens on IPv6 loopback', async () => {
    const server = await serve([zone()], '::1');
    expect(server.address).toBe(`[::1]:${server.port}`);
    const response = await createStubTransport({ server: server.address, tcpOnly: true }).query({ name: '_dx.example.test', type: 'TXT' });
    expect(txtOf(response)).toHaveLength(1);
  });

  it('refuses a port in use with a NETWORK error, and frees its port on close', async () => {
    const server = await serve([zone()]);
    const error = await startZoneServer({ zones: [zone()], port: server.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DimeError);
    expect((error as DimeError).code).toBe('NETWORK');
    expect((error as DimeError).message).toBe(`zone server: cannot listen on 127.0.0.1:${server.port} (EADDRINUSE)`);
    await server.close();
    const again = await startZoneServer({ zones: [zone()], port: server.port });
    servers.push(again);
    expect(again.port).toBe(server.port);
  });
});

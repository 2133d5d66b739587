/**
 * DNS servers that misbehave on purpose, on 127.0.0.1, for the "no hang, exit 4, clear message"
 * tests of the stub client and `dime`. Each kind is one precise fault.
 */
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { decodeMessage, encodeResponse, type DnsMessage } from '@dime/core/dns';

export type HostileKind =
  | 'silent' // never answers
  | 'wrong-id' // answers correctly except for the id
  | 'wrong-question' // answers another question with the right id
  | 'truncated-then-tcp-close' // TC over UDP; over TCP, half an answer then FIN
  | 'garbage' // bytes that are no DNS message (one short, one with our id and junk)
  | 'refused'; // rcode REFUSED

export interface HostileServer {
  resolver: string;
  /** Queries received (UDP and TCP). */
  queries(): number;
  close(): Promise<void>;
}

function txtAnswer(query: DnsMessage, overrides: { id?: number; name?: string; tc?: boolean; rcode?: string } = {}): Uint8Array {
  const q = query.question[0]!;
  const name = overrides.name ?? q.name;
  return encodeResponse({
    id: overrides.id ?? query.id,
    flags: { rd: true, ra: true, cd: query.flags.cd, tc: overrides.tc ?? false },
    rcode: overrides.rcode ?? 'NOERROR',
    question: [{ ...q, name }],
    answers: overrides.tc || overrides.rcode
      ? []
      : [{ name, type: 'TXT', class: 'IN', ttl: 60, rdata: Uint8Array.of(5, 0x68, 0x65, 0x6c, 0x6c, 0x6f) }],
    edns: { udpSize: 1232, dnssecOk: true, version: 0 },
  });
}

export async function startHostileServer(kind: HostileKind): Promise<HostileServer> {
  let count = 0;
  const udp = createSocket('udp4');
  udp.on('message', (packet, rinfo) => {
    count++;
    let query: DnsMessage;
    try {
      query = decodeMessage(new Uint8Array(packet));
    } catch {
      return;
    }
    const reply = (bytes: Uint8Array): void => {
      udp.send(bytes, rinfo.port, rinfo.address);
    };
    switch (kind) {
      case 'silent':
        return;
      case 'wrong-id':
        reply(txtAnswer(query, { id: (query.id + 1) & 0xffff }));
        return;
      case 'wrong-question':
        reply(txtAnswer(query, { name: 'elsewhere.invalid.' }));
        return;
      case 'truncated-then-tcp-close':
        reply(txtAnswer(query, { tc: true }));
        return;
      case 'garbage': {
        // Too short for a header; our id then noise; our id and question then an answer that is noise.
        reply(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
        const noise = new Uint8Array(64).fill(0xa5);
        noise[0] = query.id >> 8;
        noise[1] = query.id & 0xff;
        reply(noise);
        const headed = new Uint8Array(packet.length + 16).fill(0xa5);
        headed.set(packet.subarray(0, packet.length - 11)); // header and question, without the OPT RR
        headed[2]! |= 0x80;
        headed.set([0, 1, 0, 0, 0, 0], 6); // ANCOUNT 1, no NS, no AR
        reply(headed);
        return;
      }
      case 'refused':
        reply(txtAnswer(query, { rcode: 'REFUSED' }));
        return;
    }
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = udp.address().port;

  let tcp: Server | undefined;
  if (kind === 'truncated-then-tcp-close') {
    tcp = createServer((conn) => {
      let buffered = Buffer.alloc(0);
      conn.on('error', () => {});
      conn.on('data', (chunk) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (buffered.length < 2 || buffered.length < 2 + buffered.readUInt16BE(0)) return;
        count++;
        const query = decodeMessage(new Uint8Array(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
        const answer = txtAnswer(query);
        const framed = Buffer.alloc(2 + answer.length);
        framed.writeUInt16BE(answer.length, 0);
        framed.set(answer, 2);
        conn.end(framed.subarray(0, 2 + Math.floor(answer.length / 2)));
      });
    });
    await new Promise<void>((resolve) => tcp!.listen(port, '127.0.0.1', resolve));
  }
  return {
    resolver: `127.0.0.1:${port}`,
    queries: () => count,
    async close() {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if (tcp) await new Promise<void>((resolve) => tcp!.close(() => resolve()));
    },
  };
}

/**
 * A scripted malicious DNS server on 127.0.0.1 (UDP and TCP on one port). It answers honestly from
 * a signed in-memory hierarchy (`answerFromZones`), then a script may rewrite, multiply, delay or
 * replace each answer, or take over the TCP connection. Used by dns-peers.test.ts against the stub
 * client and the validator.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { answerFromZones, decodeMessage, type AuthoritativeZone, type DnsMessage } from '@dime/core/dns';

export interface Exchange {
  via: 'udp' | 'tcp';
  query: DnsMessage;
  /** The honest answer's bytes. */
  honest: Uint8Array;
}

/**
 * What to do with one query: `send` datagrams/messages in order (TCP frames each), `silent`
 * (nothing), or `takeover` (TCP only: the script owns the socket).
 */
export type Action = { send: Uint8Array[]; delayMs?: number } | { silent: true } | { takeover: (socket: Socket) => void };

export type Script = (exchange: Exchange) => Action;

export interface HostileDns {
  /** `127.0.0.1:PORT` for `createStubTransport({server})`. */
  address: string;
  port: number;
  queries: { via: 'udp' | 'tcp'; name: string; type: string }[];
  /** Bytes the server has written (to bound floods). */
  bytesSent(): number;
  close(): Promise<void>;
}

export async function startHostileDns(zones: AuthoritativeZone[], script: Script): Promise<HostileDns> {
  const queries: HostileDns['queries'] = [];
  let sent = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const handle = (via: 'udp' | 'tcp', bytes: Uint8Array): Action => {
    let query: DnsMessage;
    try {
      query = decodeMessage(bytes);
    } catch {
      return { silent: true };
    }
    const q = query.question[0];
    queries.push({ via, name: q?.name ?? '', type: q?.type ?? '' });
    return script({ via, query, honest: answerFromZones(zones, bytes) });
  };

  const udp: UdpSocket = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    const action = handle('udp', new Uint8Array(msg));
    if ('send' in action) {
      const go = () => {
        for (const packet of action.send) {
          sent += packet.length;
          udp.send(packet, rinfo.port, rinfo.address);
        }
      };
      if (action.delayMs) later(action.delayMs, go);
      else go();
    }
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = udp.address().port;

  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const action = handle('tcp', new Uint8Array(buffered.subarray(2, 2 + length)));
        buffered = buffered.subarray(2 + length);
        if ('takeover' in action) {
          socket.removeAllListeners('data');
          action.takeover(socket);
          return;
        }
        if ('send' in action) {
          const go = () => {
            for (const m of action.send) {
              const frame = Buffer.alloc(2 + m.length);
              frame.writeUInt16BE(m.length, 0);
              frame.set(m, 2);
              sent += frame.length;
              if (!socket.destroyed) socket.write(frame);
            }
          };
          if (action.delayMs) later(action.delayMs, go);
          else go();
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    address: `127.0.0.1:${port}`,
    port,
    queries,
    bytesSent: () => sent,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

/** Sets the id of a wire message (a copy). */
export function withId(message: Uint8Array, id: number): Uint8Array {
  const copy = Uint8Array.from(message);
  copy[0] = id >> 8;
  copy[1] = id & 0xff;
  return copy;
}

/** Sets TC=1 on a copy. */
export function withTc(message: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(message);
  copy[2] = copy[2]! | 0x02;
  return copy;
}

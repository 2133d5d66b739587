/**
 * An authoritative DNS server for in-memory zones, over UDP and TCP on one port (RFC 1035 §4.2;
 * TCP messages carry a 2-byte length prefix, RFC 7766 §8, several queries per connection allowed).
 * The answers come from `answerFromZones`; this file is only sockets. Used by the lab and by tests;
 * it listens where it is told (loopback by default) and never answers a packet that is itself a
 * response, so two servers cannot ping-pong.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket as TcpSocket } from 'node:net';
import { DimeError } from '../errors/dime-error.js';
import { answerFromZones, type AuthoritativeZone } from './authority.js';

export interface ZoneServerOptions {
  zones: ReadonlyArray<AuthoritativeZone>;
  /** Default 127.0.0.1; `::1` for IPv6. */
  host?: string;
  /** Default 0: a free port (the same for UDP and TCP). */
  port?: number;
  /** A TCP connection silent this long is closed. */
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** One line per dropped or failed query (debugging). */
  log?: (line: string) => void;
}

export interface ZoneServer {
  readonly host: string;
  readonly port: number;
  /** `127.0.0.1:PORT` or `[::1]:PORT`: what `--resolver` takes. */
  readonly address: string;
  /** Serve other zones from now on (a test breaks a zone in place). */
  setZones(zones: ReadonlyArray<AuthoritativeZone>): void;
  close(): Promise<void>;
}

export const ZONE_SERVER_IDLE_TIMEOUT_MS = 10_000;
export const ZONE_SERVER_MAX_CONNECTIONS = 64;
/** Attempts to find a port free for both UDP and TCP when `port` is 0. */
const PORT_ATTEMPTS = 10;

/** The response bytes for one query, or undefined to stay silent. */
function respond(zones: ReadonlyArray<AuthoritativeZone>, query: Uint8Array, udp: boolean, log: (line: string) => void): Uint8Array | undefined {
  if (query.length < 12) {
    log(`dropped a ${query.length}-byte packet`);
    return undefined;
  }
  if ((query[2]! & 0x80) !== 0) {
    log('dropped a packet with QR set');
    return undefined;
  }
  try {
    return answerFromZones(zones, query, udp ? { udp: true } : {});
  } catch (err) {
    log(`no answer: ${(err as Error).message}`);
    // SERVFAIL keeping the id, the opcode and RD, so the client does not wait for a timeout.
    const out = query.slice(0, 12);
    out[2] = 0x80 | (query[2]! & 0x79);
    out[3] = 0x02;
    out.fill(0, 4, 12);
    return out;
  }
}

function bindUdp(socket: UdpSocket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function listenTcp(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Starts serving; resolves once both sockets listen. Failures are NETWORK errors naming the address. */
export async function startZoneServer(options: ZoneServerOptions): Promise<ZoneServer> {
  const host = options.host ?? '127.0.0.1';
  const family = isIP(host);
  if (family === 0) throw new DimeError('USAGE', `zone server: "${host}" is not an IP address`);
  const idleTimeoutMs = options.idleTimeoutMs ?? ZONE_SERVER_IDLE_TIMEOUT_MS;
  const maxConnections = options.maxConnections ?? ZONE_SERVER_MAX_CONNECTIONS;
  const log = options.log ?? (() => {});
  let zones = options.zones;
  const connections = new Set<TcpSocket>();

  const handleTcp = (conn: TcpSocket): void => {
    if (connections.size >= maxConnections) {
      conn.destroy();
      return;
    }
    connections.add(conn);
    conn.setTimeout(idleTimeoutMs, () => conn.destroy());
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => conn.destroy());
    let buffered = new Uint8Array(0);
    conn.on('data', (chunk: Buffer) => {
      const next = new Uint8Array(buffered.length + chunk.length);
      next.set(buffered);
      next.set(chunk, buffered.length);
      buffered = next;
      while (buffered.length >= 2) {
        const length = (buffered[0]! << 8) | buffered[1]!;
        if (buffered.length < 2 + length) break;
        const query = buffered.slice(2, 2 + length);
        buffered = buffered.slice(2 + length);
        const response = respond(zones, query, false, log);
        if (!response) {
          conn.destroy(); // a TCP peer sending non-queries is not worth keeping
          return;
        }
        const framed = new Uint8Array(2 + response.length);
        framed[0] = response.length >> 8;
        framed[1] = response.length & 0xff;
        framed.set(response, 2);
        conn.write(framed);
      }
    });
  };

  let udp: UdpSocket | undefined;
  let tcp: Server | undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < (options.port ? 1 : PORT_ATTEMPTS); attempt++) {
    const u = createSocket(family === 6 ? 'udp6' : 'udp4');
    const t = createServer(handleTcp);
    try {
      await bindUdp(u, host, options.port ?? 0);
      await listenTcp(t, host, u.address().port);
      udp = u;
      tcp = t;
      break;
    } catch (err) {
      lastError = err;
      u.close();
      t.close();
    }
  }
  if (!udp || !tcp) {
    const code = (lastError as NodeJS.ErrnoException | undefined)?.code ?? String(lastError);
    throw new DimeError('NETWORK', `zone server: cannot listen on ${host}:${options.port ?? 0} (${code})`, { cause: lastError });
  }
  const udpSocket = udp;
  const tcpServer = tcp;
  udpSocket.on('message', (packet: Buffer, rinfo) => {
    const response = respond(zones, new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength), true, log);
    if (response) udpSocket.send(response, rinfo.port, rinfo.address);
  });
  udpSocket.on('error', (err) => log(`UDP error: ${err.message}`));
  const port = udpSocket.address().port;
  let closed: Promise<void> | undefined;
  return {
    host,
    port,
    address: family === 6 ? `[${host}]:${port}` : `${host}:${port}`,
    setZones(next) {
      zones = next;
    },
    close() {
      closed ??= (async () => {
        for (const conn of connections) conn.destroy();
        await Promise.all([
          new Promise<void>((resolve) => udpSocket.close(() => resolve())),
          new Promise<void>((resolve) => tcpServer.close(() => resolve())),
        ]);
      })();
      return closed;
    },
  };
}

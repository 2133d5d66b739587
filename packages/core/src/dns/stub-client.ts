/**
 * The stub client: one DNS question to one recursive server, over UDP with TCP fallback (profile §4,
 * record-and-dnssec.md §4.9 "Transport"). Queries carry RD=1, CD=1 (we validate ourselves, RFC 6840
 * §5.9), EDNS0 with a 1232-byte payload and DO=1. A response is accepted only when it comes from the
 * server we asked (connected socket), echoes our random id, is a response (QR=1) and repeats our
 * question; anything else on UDP is ignored (a spoofer's packet must not cut a lookup short) and
 * remembered, so the final error says what went wrong instead of a bare "timeout".
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, isIP } from 'node:net';
import { randomInt } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { DimeError } from '../errors/dime-error.js';
import { decodeMessage, encodeQuery } from './message.js';
import type { DnsQuery, DnsTransport } from './transport.js';

export const DEFAULT_DNS_PORT = 53;
/** EDNS0 UDP payload size advertised (DNS flag day 2020 value). */
export const EDNS_UDP_PAYLOAD_SIZE = 1232;
export const DEFAULT_DNS_TIMEOUT_MS = 3000;
/** Extra attempts after the first one; every attempt waits up to `timeoutMs`. */
export const DEFAULT_DNS_RETRIES = 2;

const HEADER_BYTES = 12;
const FLAG_QR = 0x8000;
const FLAG_TC = 0x0200;
const RCODE_NAMES: Record<number, string> = {
  1: 'FORMERR',
  2: 'SERVFAIL',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
};

export interface ServerAddress {
  host: string;
  port: number;
}

export interface StubTransportOptions {
  /** `HOST`, `HOST:PORT`, `[V6]:PORT`, a bare IPv6 address, or `{host, port}`. */
  server: string | { host: string; port?: number };
  /** Per attempt (UDP wait, or TCP connect + read). */
  timeoutMs?: number;
  /** Attempts after the first; each attempt uses a fresh id and source port. */
  retries?: number;
  /** Skip UDP and ask over TCP only. */
  tcpOnly?: boolean;
  /** One line per query, response or ignored packet (for `-vv`). */
  log?: (line: string) => void;
}

/** Formats an address the way `--resolver` takes it: `127.0.0.1:53`, `[::1]:5353`. */
export function formatServerAddress(server: ServerAddress): string {
  return server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

/**
 * Parses `HOST[:PORT]` (`--resolver`): `192.0.2.1`, `192.0.2.1:5353`, `[2001:db8::1]:5353`,
 * `[::1]`, a bare `::1` (port 53), or `ns.example:53`. Throws USAGE naming the problem.
 */
export function parseServerAddress(text: string): ServerAddress {
  const value = text.trim();
  const fail = (why: string): never => {
    // The value is echoed back: escape control characters so the diagnostic stays one line.
    const message = `resolver "${text}": ${why}`.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    throw new DimeError('USAGE', message);
  };
  let host: string;
  let portText: string | undefined;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) fail('missing "]" after the IPv6 address');
    host = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) fail(`unexpected "${rest}" after "]"`);
      portText = rest.slice(1);
    }
    if (isIP(host) !== 6) fail(`"${host}" is not an IPv6 address`);
  } else if ((value.match(/:/g) ?? []).length > 1) {
    host = value; // a bare IPv6 address: no port possible without brackets
    if (isIP(host) !== 6) fail(`"${host}" is not an IPv6 address (write [ADDRESS]:PORT to give a port)`);
  } else {
    const colon = value.indexOf(':');
    host = colon < 0 ? value : value.slice(0, colon);
    if (colon >= 0) portText = value.slice(colon + 1);
  }
  if (host === '') fail('empty host');
  if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(host)) {
    fail(`"${host}" is neither an IP address nor a host name`);
  }
  let port = DEFAULT_DNS_PORT;
  if (portText !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      fail(`port "${portText}" is not a number from 1 to 65535`);
    }
    port = Number(portText);
  }
  return { host, port };
}

function normaliseServer(server: StubTransportOptions['server']): ServerAddress {
  if (typeof server === 'string') return parseServerAddress(server);
  const port = server.port ?? DEFAULT_DNS_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DimeError('USAGE', `resolver port ${port} is not a number from 1 to 65535`);
  }
  if (server.host === '') throw new DimeError('USAGE', 'resolver: empty host');
  return { host: server.host, port };
}

/** Why one attempt produced no answer; `final` ones are not worth retrying. */
class AttemptFailure extends Error {
  constructor(
    message: string,
    readonly final = false
  ) {
    super(message);
  }
}

/** What a received packet is, judged against the query we sent. */
type Verdict = { kind: 'answer' } | { kind: 'truncated' } | { kind: 'ignore'; why: string };

/** Lower-case ASCII letters so question names compare case-insensitively (RFC 1035 §2.3.3). */
function foldCase(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
}

/**
 * Length of the question section of `query` (which we built: one question, no compression), so the
 * response's question can be compared with it byte for byte, letters case-folded.
 */
function questionLength(query: Uint8Array): number {
  let offset = HEADER_BYTES;
  while (query[offset] !== 0) offset += 1 + query[offset]!;
  return offset + 1 + 4 - HEADER_BYTES;
}

function judge(response: Uint8Array, query: Uint8Array): Verdict {
  if (response.length < HEADER_BYTES) {
    return { kind: 'ignore', why: `a ${response.length}-byte packet, too short for a DNS header` };
  }
  const id = (response[0]! << 8) | response[1]!;
  const expectedId = (query[0]! << 8) | query[1]!;
  if (id !== expectedId) return { kind: 'ignore', why: `a response with id ${id} instead of ${expectedId}` };
  const flags = (response[2]! << 8) | response[3]!;
  if ((flags & FLAG_QR) === 0) return { kind: 'ignore', why: 'a packet without the QR (response) bit' };
  const qdcount = (response[4]! << 8) | response[5]!;
  const qlen = questionLength(query);
  if (qdcount !== 1) {
    // A truncated response may legitimately omit everything after the header, question included.
    if ((flags & FLAG_TC) !== 0 && qdcount === 0) return { kind: 'truncated' };
    return { kind: 'ignore', why: `a response with ${qdcount} questions instead of ours` };
  }
  if (response.length < HEADER_BYTES + qlen) return { kind: 'ignore', why: 'a response cut short inside its question' };
  // The name compares case-insensitively; type and class (the last 4 bytes) exactly.
  const nameEnd = HEADER_BYTES + qlen - 4;
  for (let i = HEADER_BYTES; i < HEADER_BYTES + qlen; i++) {
    const same = i < nameEnd ? foldCase(response[i]!) === foldCase(query[i]!) : response[i] === query[i];
    if (!same) return { kind: 'ignore', why: 'a response to a different question' };
  }
  if ((flags & FLAG_TC) !== 0) return { kind: 'truncated' };
  try {
    decodeMessage(response);
  } catch (err) {
    return { kind: 'ignore', why: `a malformed response (${(err as Error).message})` };
  }
  return { kind: 'answer' };
}

function rcodeOf(response: Uint8Array): number {
  return response[3]! & 0x0f;
}

/** Resolves a host name once per transport (IP literals pass through). */
async function resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }> {
  const family = isIP(host);
  if (family === 4 || family === 6) return { address: host, family };
  try {
    const found = await lookup(host);
    return { address: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (err) {
    throw new DimeError('NETWORK', `resolver host ${host}: cannot resolve its address (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: err,
    });
  }
}

function udpExchange(
  target: { address: string; family: 4 | 6; port: number },
  query: Uint8Array,
  timeoutMs: number,
  log: (line: string) => void
): Promise<Uint8Array | 'truncated'> {
  return new Promise((resolve, reject) => {
    const ignored = new IgnoredPackets();
    let socket: UdpSocket | undefined;
    let settled = false;
    const finish = (error: AttemptFailure | undefined, value?: Uint8Array | 'truncated'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      try {
        socket?.close();
      } catch {
        /* already closed */
      }
      if (error) reject(error);
      else resolve(value!);
    };
    const timer = setTimeout(() => {
      const extra = ignored.count > 0 ? `; ignored ${ignored.describe()}` : '';
      finish(new AttemptFailure(`no answer within ${timeoutMs} ms over UDP${extra}`));
    }, timeoutMs);
    socket = createSocket(target.family === 6 ? 'udp6' : 'udp4');
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const refused = err.code === 'ECONNREFUSED';
      finish(new AttemptFailure(refused ? 'UDP port unreachable (connection refused)' : `UDP error ${err.code ?? err.message}`));
    });
    socket.on('message', (packet: Buffer) => {
      const bytes = new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength);
      const verdict = judge(bytes, query);
      if (verdict.kind === 'ignore') {
        // A flood of junk must cost neither memory nor a screen of log lines.
        if (ignored.add(verdict.why) <= MAX_LOGGED_IGNORED) log(`ignored ${verdict.why}`);
        return;
      }
      finish(undefined, verdict.kind === 'truncated' ? 'truncated' : Uint8Array.from(bytes));
    });
    // A connected socket drops datagrams from any other address and port.
    socket.connect(target.port, target.address, () => {
      socket!.send(query, (err) => {
        if (err) finish(new AttemptFailure(`UDP send failed (${(err as NodeJS.ErrnoException).code ?? err.message})`));
      });
    });
  });
}

function tcpExchange(
  target: { address: string; family: 4 | 6; port: number },
  query: Uint8Array,
  timeoutMs: number
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let buffered = new Uint8Array(0);
    let expected = -1;
    const socket = tcpConnect({ host: target.address, port: target.port, family: target.family });
    const finish = (error: AttemptFailure | undefined, value?: Uint8Array): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value!);
    };
    const timer = setTimeout(() => {
      const got = expected < 0 ? `${buffered.length} bytes` : `${buffered.length - 2} of ${expected} bytes`;
      finish(new AttemptFailure(`no complete answer within ${timeoutMs} ms over TCP (received ${got})`));
    }, timeoutMs);
    socket.on('connect', () => {
      const framed = new Uint8Array(2 + query.length);
      framed[0] = query.length >> 8;
      framed[1] = query.length & 0xff;
      framed.set(query, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk: Buffer) => {
      const next = new Uint8Array(buffered.length + chunk.length);
      next.set(buffered);
      next.set(chunk, buffered.length);
      buffered = next;
      if (expected < 0 && buffered.length >= 2) expected = (buffered[0]! << 8) | buffered[1]!;
      if (expected >= 0 && buffered.length >= 2 + expected) {
        const message = buffered.slice(2, 2 + expected);
        const verdict = judge(message, query);
        if (verdict.kind === 'ignore') finish(new AttemptFailure(`TCP server sent ${verdict.why}`));
        else if (verdict.kind === 'truncated') finish(new AttemptFailure('TCP response is itself truncated (TC=1)'));
        else finish(undefined, message);
      }
    });
    socket.on('end', () => {
      const got = expected < 0 ? 'before sending a length' : `after ${buffered.length - 2} of ${expected} bytes`;
      finish(new AttemptFailure(`TCP connection closed ${got}`));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const what = err.code === 'ECONNREFUSED' ? 'TCP connection refused' : `TCP error ${err.code ?? err.message}`;
      finish(new AttemptFailure(what));
    });
  });
}

/** Ignored packets logged per attempt with `log`; the rest are only counted. */
const MAX_LOGGED_IGNORED = 10;
/** Distinct reasons kept per attempt; more are counted as "other". */
const MAX_IGNORED_REASONS = 8;

/** What was ignored during one attempt, grouped: `3 × a response with a wrong id`. */
class IgnoredPackets {
  private readonly counts = new Map<string, number>();
  count = 0;

  /** Records one packet; returns how many were ignored so far. */
  add(why: string): number {
    // Ids differ per packet; group on the shape of the reason.
    let key = why.replace(/ id \d+ instead of \d+/, ' a wrong id');
    if (!this.counts.has(key) && this.counts.size >= MAX_IGNORED_REASONS) key = 'other packets';
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return ++this.count;
  }

  describe(): string {
    return [...this.counts].map(([reason, n]) => (n > 1 ? `${n} × ${reason}` : reason)).join(', ');
  }
}

/**
 * A DnsTransport that asks one server. Every call is independent (fresh id, fresh source port).
 * The promise rejects only with DimeError('NETWORK'), whose message names the server, the question,
 * the number of attempts and what came back.
 */
export function createStubTransport(options: StubTransportOptions): DnsTransport {
  const server = normaliseServer(options.server);
  const timeoutMs = options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_DNS_RETRIES;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new DimeError('USAGE', `timeout ${timeoutMs} ms: expected a positive integer`);
  if (!Number.isInteger(retries) || retries < 0) throw new DimeError('USAGE', `retries ${retries}: expected 0 or more`);
  const log = options.log ?? (() => {});
  const where = formatServerAddress(server);
  let resolved: Promise<{ address: string; family: 4 | 6 }> | undefined;

  return {
    async query(query: DnsQuery): Promise<Uint8Array> {
      resolved ??= resolveHost(server.host);
      const { address, family } = await resolved;
      const target = { address, family, port: server.port };
      const label = `${query.name} ${query.type}`;
      const attempts = retries + 1;
      const problems: string[] = [];
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const wire = encodeQuery({ id: randomInt(0, 0x10000), name: query.name, type: query.type, udpSize: EDNS_UDP_PAYLOAD_SIZE });
        try {
          let response: Uint8Array;
          if (options.tcpOnly) {
            log(`query ${label} to ${where} over TCP (attempt ${attempt})`);
            response = await tcpExchange(target, wire, timeoutMs);
          } else {
            log(`query ${label} to ${where} over UDP (attempt ${attempt})`);
            const udp = await udpExchange(target, wire, timeoutMs, log);
            if (udp === 'truncated') {
              log(`truncated UDP answer for ${label}; retrying over TCP`);
              try {
                response = await tcpExchange(target, wire, timeoutMs);
              } catch (err) {
                throw new AttemptFailure(`UDP answer truncated and ${(err as Error).message}`);
              }
            } else {
              response = udp;
            }
          }
          const rcode = rcodeOf(response);
          if (rcode !== 0 && rcode !== 3) {
            const name = RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
            throw new AttemptFailure(`server answered ${name}`, true);
          }
          log(`answer for ${label}: ${response.length} bytes, ${rcode === 3 ? 'NXDOMAIN' : 'NOERROR'}`);
          return response;
        } catch (err) {
          if (!(err instanceof AttemptFailure)) throw err;
          log(`attempt ${attempt} for ${label} failed: ${err.message}`);
          if (err.final) {
            throw new DimeError('NETWORK', `no usable answer from ${where} for ${label}: ${err.message}`, {
              details: { server: where, name: query.name, type: query.type },
            });
          }
          problems.push(err.message);
        }
      }
      const distinct = [...new Set(problems)];
      const summary = distinct.length === 1 ? distinct[0]! : distinct.map((p, i) => `(${i + 1}) ${p}`).join('; ');
      throw new DimeError('NETWORK', `no usable answer from ${where} for ${label} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${summary}`, {
        details: { server: where, name: query.name, type: query.type, attempts },
      });
    },
  };
}

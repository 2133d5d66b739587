/**
 * A man in the middle between `dime` and a real resolver: forwards each query (UDP and TCP) and lets
 * a test rewrite the response, the way an on-path attacker or a broken middlebox would (strip the
 * NSEC proof of a wildcard answer, drop an RRSIG, …). Responses are re-encoded by our message codec.
 */
import { createSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { decodeMessage, encodeMessage, type DnsMessage, type DnsMessageInput } from '@dime/core/dns';

export type Rewrite = (response: DnsMessage) => DnsMessageInput;

export interface DnsProxy {
  resolver: string;
  close(): Promise<void>;
}

function parseHostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i), port: Number(text.slice(i + 1)) };
}

function rewriteBytes(bytes: Uint8Array, rewrite: Rewrite): Uint8Array {
  try {
    return encodeMessage(rewrite(decodeMessage(bytes)));
  } catch {
    return bytes; // not ours to judge: pass it on unchanged
  }
}

function frame(bytes: Uint8Array): Buffer {
  const out = Buffer.alloc(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  out.set(bytes, 2);
  return out;
}

/** Reads one length-prefixed message from a fresh TCP connection to the upstream. */
function askOverTcp(upstream: { host: string; port: number }, query: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(upstream.port, upstream.host, () => socket.write(frame(query)));
    let data = Buffer.alloc(0);
    socket.setTimeout(5000, () => socket.destroy(new Error('upstream TCP timeout')));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        socket.end();
        resolve(new Uint8Array(data.subarray(2, 2 + data.readUInt16BE(0))));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('upstream closed')));
  });
}

export async function startDnsProxy(upstreamText: string, rewrite: Rewrite): Promise<DnsProxy> {
  const upstream = parseHostPort(upstreamText);
  const udp = createSocket('udp4');
  udp.on('message', (query, client) => {
    const out = createSocket('udp4');
    const timer = setTimeout(() => out.close(), 5000);
    out.on('message', (answer) => {
      clearTimeout(timer);
      out.close();
      udp.send(rewriteBytes(new Uint8Array(answer), rewrite), client.port, client.address);
    });
    out.on('error', () => {});
    out.send(query, upstream.port, upstream.host);
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = udp.address().port;
  const tcp: Server = createServer((conn) => {
    let data = Buffer.alloc(0);
    conn.on('error', () => {});
    conn.on('data', async (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 2 || data.length < 2 + data.readUInt16BE(0)) return;
      const query = new Uint8Array(data.subarray(2, 2 + data.readUInt16BE(0)));
      data = Buffer.alloc(0);
      try {
        conn.write(frame(rewriteBytes(await askOverTcp(upstream, query), rewrite)));
      } catch {
        conn.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', resolve));
  return {
    resolver: `127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** A rewrite that strips the denial proofs from the answers to these questions only. */
export function stripDenialProofsFor(names: readonly string[], type: string): Rewrite {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return (response) => {
    const q = response.question[0];
    return q && q.type === type && wanted.has(q.name.toLowerCase()) ? stripDenialProofs(response) : response;
  };
}

/** Response without the NSEC/NSEC3 records (and their RRSIGs) of the authority section. */
export function stripDenialProofs(response: DnsMessage): DnsMessageInput {
  const isProof = (type: string) => type === 'NSEC' || type === 'NSEC3';
  const covered = (rdataTypeCovered: Uint8Array) => {
    const code = (rdataTypeCovered[0]! << 8) | rdataTypeCovered[1]!;
    return code === 47 || code === 50;
  };
  return {
    ...response,
    authorities: response.authorities.filter((rr) => !isProof(rr.type) && !(rr.type === 'RRSIG' && covered(rr.rdata))),
  };
}

/** `_dx.example.test.` → `_Dx.ExAmPlE.TeSt.`: letters alternate in case, everything else kept. */
export function flipCase(name: string): string {
  let upper = false;
  return name.replace(/[a-z]/gi, (ch) => ((upper = !upper) ? ch.toUpperCase() : ch.toLowerCase()));
}

/**
 * What a resolver may legally do to an answer: owner names in another letter case (RFC 4343), RRs in
 * another order (RFC 2181 §5), names compressed differently. Validation must not change.
 */
export function scrambleResponse(response: DnsMessage): DnsMessageInput {
  const scramble = (rrs: DnsMessage['answers']) => [...rrs].reverse().map((rr) => ({ ...rr, name: flipCase(rr.name) }));
  return {
    ...response,
    question: response.question.map((q) => ({ ...q, name: flipCase(q.name) })),
    answers: scramble(response.answers),
    authorities: scramble(response.authorities),
    additionals: scramble(response.additionals),
  };
}

/**
 * Hostile DNS peers on 127.0.0.1 against the real stub client (UDP, TCP on TC) and the validator
 * (profile §4): wrong ids, answers to other questions, unsigned answers for a signed zone, RRSIG
 * floods, huge NSEC3 iterations, endless or trickling TCP, packet floods. Each lookup must end with
 * the documented status (exit class: secure/insecure 0, bogus 1, indeterminate 4) within the stub's
 * timeouts, and with bounded heap growth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createStubTransport, decodeMessage, encodeResponse, encodeRrsig, decodeRrsig, type ResourceRecord } from '@dime/core/dns';
import { validateLookup, type LookupResult } from '@dime/core/dnssec';
import { buildWorld, NOW, type World } from '../../packages/core/test/dnssec/world.js';
import { startHostileDns, withId, withTc, type HostileDns, type Script } from './dns-server.js';

const TIMEOUT_MS = 400;
const RETRIES = 1;
/** Worst case for one query: every attempt times out. */
const QUERY_BOUND_MS = TIMEOUT_MS * (RETRIES + 1);
/** Heap growth allowed for one hostile lookup (the flood tests send tens of MB). */
const HEAP_CEILING_MB = 48;

const EXIT_CLASS: Record<LookupResult['status'], number> = { secure: 0, insecure: 0, bogus: 1, indeterminate: 4 };

const servers: HostileDns[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});

let cachedWorld: World | undefined;
function world(): World {
  return (cachedWorld ??= buildWorld());
}

async function lookup(w: World, script: Script, name = '_dx.example.test', type = 'TXT') {
  const server = await startHostileDns(w.zones, script);
  servers.push(server);
  const transport = createStubTransport({ server: server.address, timeoutMs: TIMEOUT_MS, retries: RETRIES });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = await validateLookup(name, type, { transport, anchors: w.anchors, now: NOW });
  const elapsedMs = performance.now() - started;
  const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  return { result, elapsedMs, heapGrowthMb, server, exit: EXIT_CLASS[result.status] };
}

const honest: Script = ({ honest }) => ({ send: [honest] });

function rewrite(bytes: Uint8Array, change: (rrs: ResourceRecord[], section: 'answers' | 'authorities' | 'additionals') => ResourceRecord[]): Uint8Array {
  const m = decodeMessage(bytes);
  return encodeResponse({
    ...m,
    answers: change(m.answers, 'answers'),
    authorities: change(m.authorities, 'authorities'),
    additionals: change(m.additionals, 'additionals'),
  });
}

describe('hostile DNS server vs stub client + validator', () => {
  it('control: the honest server gives secure, exit 0', async () => {
    const { result, exit } = await lookup(world(), honest);
    expect(result.status).toBe('secure');
    expect(exit).toBe(0);
    expect(result.chain.map((c) => c.zone)).toEqual(['.', 'test.', 'example.test.']);
  });

  it('wrong ids on every answer: indeterminate (exit 4) after the retries, naming the wrong ids', async () => {
    const { result, elapsedMs, exit, server } = await lookup(world(), ({ query, honest }) => ({
      send: Array.from({ length: 20 }, (_, i) => withId(honest, (query.id + 1 + i) & 0xffff)),
    }));
    expect(result.status).toBe('indeterminate');
    expect(exit).toBe(4);
    expect(result.reason).toMatch(/wrong id/);
    expect(server.queries.length).toBe(RETRIES + 1);
    expect(elapsedMs).toBeLessThan(QUERY_BOUND_MS + 2500);
  });

  // 100, not more: the kernel's default UDP receive buffer (212 KB, about 1 KB of overhead per
  // datagram on loopback) would drop the honest answer behind a longer burst — a race any stub loses.
  it('100 wrong-id datagrams before the right one: ignored, the lookup is secure', async () => {
    const { result } = await lookup(world(), ({ query, honest }) => ({
      send: [...Array.from({ length: 100 }, (_, i) => withId(honest.subarray(0, 64), (query.id + 1 + i) & 0xffff)), honest],
    }));
    expect(result.status).toBe('secure');
  });

  it('answers to another question with the right id: indeterminate (exit 4)', async () => {
    const { result, exit, elapsedMs } = await lookup(world(), ({ query, honest }) => {
      const m = decodeMessage(honest);
      const spoofed = encodeResponse({ ...m, id: query.id, question: [{ name: '_dx.evil.test.', type: 'TXT', class: 'IN' }] });
      return { send: [spoofed] };
    });
    expect(result.status).toBe('indeterminate');
    expect(exit).toBe(4);
    expect(result.reason).toMatch(/different question/);
    expect(elapsedMs).toBeLessThan(QUERY_BOUND_MS + 2500);
  });

  it('unsigned answers for a signed zone (every RRSIG stripped): bogus (exit 1)', async () => {
    const { result, exit } = await lookup(world(), ({ honest }) => ({ send: [rewrite(honest, (rrs) => rrs.filter((r) => r.type !== 'RRSIG'))] }));
    expect(result.status).toBe('bogus');
    expect(exit).toBe(1);
    expect(result.reason).toMatch(/RRSIG|signature|unsigned/i);
  });

  it('RRSIG flood (400 bad RRSIGs with the right key tag, over TCP): bogus by the work limit, quickly', async () => {
    const w = world();
    const flood = (honest: Uint8Array) =>
      rewrite(honest, (rrs, section) => {
        if (section !== 'answers') return rrs;
        const real = rrs.find((r) => r.type === 'RRSIG');
        if (!real) return rrs;
        const f = decodeRrsig(real.rdata);
        const junk = Array.from({ length: 400 }, (_, i) => {
          const signature = Uint8Array.from(f.signature);
          signature[i % signature.length] ^= 1 + (i >> 6);
          return { ...real, rdata: encodeRrsig({ ...f, signature }) };
        });
        return [...rrs.filter((r) => r.type !== 'RRSIG'), ...junk];
      });
    const { result, exit, elapsedMs, heapGrowthMb } = await lookup(w, ({ via, query, honest }) => {
      if (query.question[0]?.type !== 'TXT') return { send: [honest] };
      return { send: [via === 'udp' ? withTc(encodeResponse({ ...decodeMessage(honest), answers: [], authorities: [], additionals: [] })) : flood(honest)] };
    });
    expect(result.status).toBe('bogus');
    expect(exit).toBe(1);
    expect(result.reason).toMatch(/work limit|RRSIGs/);
    expect(elapsedMs).toBeLessThan(5000);
    expect(heapGrowthMb).toBeLessThan(HEAP_CEILING_MB);
  });

  it('NSEC3 with 500 iterations (above 150): a proven NXDOMAIN is insecure per RFC 9276, exit 0', async () => {
    const w = buildWorld({ example: { nsec: 'nsec3', nsec3: { iterations: 500 } } });
    const { result, exit, elapsedMs } = await lookup(w, honest, 'nope.example.test', 'A');
    expect(result.status).toBe('insecure');
    expect(exit).toBe(0);
    expect(result.reason).toMatch(/500 iterations/);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('NSEC3 iterations rewritten to 65535 on the wire: no 65535-iteration hashing storm, ends within bounds', async () => {
    const w = buildWorld({ example: { nsec: 'nsec3', nsec3: { iterations: 0 } } });
    const { result, elapsedMs } = await lookup(
      w,
      ({ honest }) => ({
        send: [
          rewrite(honest, (rrs) =>
            rrs.map((r) => {
              if (r.type !== 'NSEC3') return r;
              const rdata = Uint8Array.from(r.rdata);
              rdata[2] = 0xff; // iterations, bytes 2–3 of the RDATA (RFC 5155 §3.2)
              rdata[3] = 0xff;
              return { ...r, rdata };
            })
          ),
        ],
      }),
      'nope.example.test',
      'A'
    );
    // Unsigned-for-the-new-bytes NSEC3s: either rejected as bogus or skipped as insecure, never a hang.
    expect(['bogus', 'insecure']).toContain(result.status);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('endless TCP (length 65535, then one byte every 20 ms): indeterminate after the TCP timeout, exit 4', async () => {
    const { result, exit, elapsedMs } = await lookup(world(), ({ via, honest }) => {
      if (via === 'udp') return { send: [withTc(honest)] };
      return {
        takeover: (socket) => {
          socket.write(Buffer.from([0xff, 0xff]));
          const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(Buffer.from([0x41]))), 20);
          socket.on('close', () => clearInterval(timer));
        },
      };
    });
    expect(result.status).toBe('indeterminate');
    expect(exit).toBe(4);
    expect(result.reason).toMatch(/TCP/);
    expect(elapsedMs).toBeLessThan(2 * QUERY_BOUND_MS + 3000);
  });

  it('endless TCP firehose (20 MB of junk after a length prefix): rejected, heap bounded', async () => {
    const { result, exit, heapGrowthMb } = await lookup(world(), ({ via, honest }) => {
      if (via === 'udp') return { send: [withTc(honest)] };
      return {
        takeover: (socket) => {
          socket.write(Buffer.from([0xff, 0xff]));
          const junk = Buffer.alloc(1 << 20, 0x41);
          let left = 20;
          const pump = () => {
            while (left > 0 && !socket.destroyed) {
              left--;
              if (!socket.write(junk)) return void socket.once('drain', pump);
            }
          };
          pump();
        },
      };
    });
    expect(result.status).toBe('indeterminate');
    expect(exit).toBe(4);
    expect(heapGrowthMb).toBeLessThan(HEAP_CEILING_MB);
  });

  it('a TCP server that accepts and never answers: indeterminate within the timeouts', async () => {
    const { result, elapsedMs } = await lookup(world(), ({ via, honest }) => (via === 'udp' ? { send: [withTc(honest)] } : { silent: true }));
    expect(result.status).toBe('indeterminate');
    expect(elapsedMs).toBeLessThan(2 * QUERY_BOUND_MS + 3000);
  });

  it('a flood of 20,000 wrong-id datagrams per query: indeterminate, heap bounded', async () => {
    const { result, heapGrowthMb, server } = await lookup(world(), ({ query, honest }) => ({
      send: Array.from({ length: 20000 }, (_, i) => withId(honest.subarray(0, 64), (query.id + 1 + i) & 0xffff)),
    }));
    expect(result.status).toBe('indeterminate');
    expect(server.bytesSent()).toBeGreaterThan(2 * 20000 * 60);
    expect(heapGrowthMb).toBeLessThan(HEAP_CEILING_MB);
  });

  it('garbage datagrams (not DNS) with the right id: ignored as malformed, indeterminate', async () => {
    const { result } = await lookup(world(), ({ query }) => ({
      send: [new Uint8Array([query.id >> 8, query.id & 0xff, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 0x0c, 0xc0, 0x0c])],
    }));
    expect(result.status).toBe('indeterminate');
  });
});

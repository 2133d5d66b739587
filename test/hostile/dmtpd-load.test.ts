/**
 * `dmtpd serve` (the built bin, its own process) under load on loopback (issue 7): 1,000 concurrent
 * TLS sessions doing SGNT, slow-loris clients (stalled handshakes, lines dribbled a byte at a time),
 * oversized lines, garbage before and after the TLS handshake, and `dmtpd publish` running at the
 * same time. It must keep serving a well-behaved probe client, close the abusive sessions, stay under
 * the RSS ceiling, and lose no published signet. Measured figures are printed.
 *
 * Bounded everywhere: fixed numbers of sessions and requests; the whole file runs in well under a
 * minute on 2 shared cores. Needs the build (`tsc -b`): the server is `packages/dmtpd/bin/dmtpd.js`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import {
  DmtpClient,
  armorSignetObject,
  createOrgSignet,
  createSsr,
  fingerprints,
  keysFromMaterial,
  signSsr,
  type SignetObject,
} from '@dime/core';
import { initDx, openDxStore, publishSignet } from '../../packages/dmtpd/src/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DMTPD = join(ROOT, 'packages/dmtpd/bin/dmtpd.js');
const DMTPD_DIST = join(ROOT, 'packages/dmtpd/dist/index.js');
const run = promisify(execFile);

const SESSIONS = 1000;
const REQUESTS_PER_SESSION = 3;
const CONNECT_BATCH = 100;
const SLOW_HANDSHAKES = 20;
const SLOW_LINES = 20;
const OVERSIZED = 20;
const GARBAGE_BEFORE_TLS = 20;
const GARBAGE_AFTER_TLS = 20;
const PUBLISHED_DURING_LOAD = 40;
const IDLE_TIMEOUT_MS = 3000;
/** Sessions waiting for the others to connect send NOOP this often, so the idle timeout spares them. */
const KEEPALIVE_MS = 1000;
/** Peak RSS the server may reach (VmHWM), with 1,000+ TLS sessions open. */
const RSS_CEILING_MB = 256;

const DX_HOST = 'dx.example.test';
const seed = (n: number) => new Uint8Array(32).fill(n);
const orgKeys = keysFromMaterial('org-keys', seed(1), seed(2));
const org = createOrgSignet(orgKeys, 'example.test', { name: 'Example' });
const alice = signSsr(createSsr(keysFromMaterial('user-keys', seed(3), seed(4))), orgKeys, 'alice@example.test', {});
const late: SignetObject[] = Array.from({ length: PUBLISHED_DURING_LOAD }, (_, i) => {
  const s = new Uint8Array(32);
  s[0] = 9;
  s[1] = i;
  return signSsr(createSsr(keysFromMaterial('user-keys', s, s)), orgKeys, `late${i}@example.test`, {});
});

let dir: string;
let server: ChildProcess | undefined;
let port = 0;
let serverLog = '';

function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

beforeAll(async () => {
  if (!existsSync(DMTPD_DIST)) throw new Error(`${DMTPD_DIST} is missing: run \`npx tsc -b\` before this test`);
  dir = mkdtempSync(join(tmpdir(), 'dime-load-'));
  initDx({ dir, domain: 'example.test', dx: DX_HOST });
  const { store } = openDxStore(dir);
  publishSignet(store, org.bytes);
  publishSignet(store, alice.bytes);
  store.close();
  late.forEach((s, i) => writeFileSync(join(dir, `late${i}.signet`), armorSignetObject(s)));
  server = spawn(process.execPath, [DMTPD, 'serve', '--dir', dir, '--listen', '127.0.0.1:0', '--max-connections', String(SESSIONS + 200), '--idle-timeout', String(IDLE_TIMEOUT_MS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.on('data', (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-20000)));
  port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    server!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolvePort(Number(m[1]));
    });
    server!.once('exit', (code) => reject(new Error(`dmtpd serve exited ${code}: ${serverLog}`)));
  });
}, 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A raw TLS session reading CRLF lines. */
class Session {
  readonly socket: TLSSocket;
  private buffer = '';
  private waiters: ((line: string) => void)[] = [];
  private lines: string[] = [];
  closed = false;
  closedAt = 0;

  constructor() {
    this.socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      let lf: number;
      while ((lf = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, lf).replace(/\r$/, '');
        this.buffer = this.buffer.slice(lf + 1);
        const w = this.waiters.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.closed = true;
      this.closedAt = performance.now();
      for (const w of this.waiters.splice(0)) w('<closed>');
    });
  }

  next(timeoutMs = 20_000): Promise<string> {
    const ready = this.lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.closed) return Promise.resolve('<closed>');
    return new Promise((resolveLine) => {
      const timer = setTimeout(() => resolveLine('<timeout>'), timeoutMs);
      this.waiters.push((line) => {
        clearTimeout(timer);
        resolveLine(line);
      });
    });
  }

  send(text: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }
}

function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolveClosed) => {
    const timer = setTimeout(() => resolveClosed(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolveClosed(true);
    });
  });
}

describe('dmtpd under load on loopback', () => {
  it('serves 1,000 concurrent SGNT sessions, a probe, and publish while under abuse; stays under its RSS ceiling', async () => {
    const figures: Record<string, string | number> = {};
    const started = performance.now();
    const aliceFull = fingerprints(alice).full!;
    const orgReplyPrefix = '250 OK [';

    // ── abusers, started first so they are in place during the load ──
    const stalledHandshakes = Array.from({ length: SLOW_HANDSHAKES }, () => {
      const s = netConnect({ host: '127.0.0.1', port });
      s.on('error', () => undefined);
      s.on('connect', () => s.write(Buffer.from([0x16, 0x03, 0x01]))); // three bytes of a record header, then nothing
      return s;
    });
    const dribblers = Array.from({ length: SLOW_LINES }, () => new Session());
    const dribbleTimers: NodeJS.Timeout[] = [];
    await Promise.all(
      dribblers.map(async (d) => {
        expect(await d.next()).toMatch(/^220 /);
        // One byte of a command every 250 ms, never a line end: the slow-loris pattern.
        const text = 'SGNT <alice@example.test> '.repeat(40);
        let i = 0;
        dribbleTimers.push(setInterval(() => d.send(text[i++ % text.length]!), 250));
      })
    );
    const dribbleStart = performance.now();

    const garbageBefore = Array.from({ length: GARBAGE_BEFORE_TLS }, () => {
      const s = netConnect({ host: '127.0.0.1', port });
      s.on('error', () => undefined);
      // Random bytes, but never a TLS handshake record type (0x16) first: such a prefix makes the
      // server wait for the rest of a record until its handshake timeout instead of failing at once.
      const junk = randomBytes(4096);
      if (junk[0] === 0x16) junk[0] = 0x47;
      s.on('connect', () => s.write(junk));
      return s;
    });

    // ── the load: 1,000 sessions opened in batches, all held open together, then SGNT × 3 each ──
    const sessions: Session[] = [];
    const tConnect = performance.now();
    const keepalive = setInterval(() => {
      for (const s of sessions) s.send('NOOP\r\n');
    }, KEEPALIVE_MS);
    for (let b = 0; b < SESSIONS; b += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, SESSIONS - b) }, () => new Session());
      const banners = await Promise.all(batch.map((s) => s.next()));
      for (const banner of banners) expect(banner).toBe(`220 <${DX_HOST}> DMTPv1 TSDMTP`);
      sessions.push(...batch);
    }
    clearInterval(keepalive);
    const concurrent = sessions.filter((s) => !s.closed).length;
    figures['sessions open at once'] = concurrent;
    expect(concurrent).toBe(SESSIONS);
    figures['1000 sessions connected (s)'] = ((performance.now() - tConnect) / 1000).toFixed(1);
    figures['server RSS with 1000+ sessions open (MB)'] = rssOf(server!.pid!).rssMb.toFixed(0);

    // publish during load: the operator's bin, in four runs, while the sessions hammer SGNT
    const publishing = (async () => {
      const files = late.map((_, i) => join(dir, `late${i}.signet`));
      for (let k = 0; k < files.length; k += 10) {
        await run(process.execPath, [DMTPD, 'publish', '--dir', dir, ...files.slice(k, k + 10)], { timeout: 30_000 });
      }
    })();

    // a well-behaved probe during the load
    const probe = (async () => {
      const t = performance.now();
      const client = await DmtpClient.connect({ host: DX_HOST, address: '127.0.0.1', port, rejectUnauthorized: false, connectTimeoutMs: 15_000, readTimeoutMs: 15_000 });
      const got = await client.getSignet('alice@example.test', aliceFull);
      await client.quit();
      return { full: got.fingerprints.full, ms: performance.now() - t };
    })();

    // oversized lines and garbage after the handshake, alongside
    const oversized = Array.from({ length: OVERSIZED }, async () => {
      const s = new Session();
      await s.next();
      s.send(`SGNT <${'a'.repeat(64 * 1024)}@example.test>\r\nNOOP\r\n`);
      const first = await s.next();
      const second = await s.next();
      s.socket.destroy();
      return [first, second];
    });
    const garbageAfter = Array.from({ length: GARBAGE_AFTER_TLS }, async () => {
      const s = new Session();
      await s.next();
      for (let i = 0; i < 30; i++) s.send(Buffer.concat([randomBytes(200).map((b) => (b === 10 ? 11 : b)), Buffer.from('\r\n')]));
      const replies: string[] = [];
      for (;;) {
        const line = await s.next(10_000);
        replies.push(line);
        if (line.startsWith('421') || line.startsWith('<')) break;
      }
      const closed = await closedWithin(s.socket, 5000);
      s.socket.destroy();
      return { replies, closed };
    });

    const tLoad = performance.now();
    const bad: string[] = [];
    const results = await Promise.all(
      sessions.map(async (s, i) => {
        let ok = 0;
        // Drain the NOOP keepalive answers first.
        s.send('MODE\r\n');
        for (let line = await s.next(); line !== '200 OK DMTPv1'; line = await s.next()) {
          if (line !== '250 OK') bad.push(line);
          if (line.startsWith('<')) break;
        }
        for (let r = 0; r < REQUESTS_PER_SESSION; r++) {
          s.send((i + r) % 2 === 0 ? `SGNT <alice@example.test> [${aliceFull}]\r\n` : 'SGNT <example.test>\r\n');
          const reply = await s.next();
          if (reply.startsWith(orgReplyPrefix) && reply.endsWith(']')) ok++;
          else bad.push(reply.slice(0, 80));
        }
        s.send('QUIT\r\n');
        const bye = await s.next();
        return ok + (bye === '221 BYE' ? 0 : -100);
      })
    );
    const loadMs = performance.now() - tLoad;
    const answered = results.reduce((a, b) => a + Math.max(b, 0), 0);
    figures['SGNT answered'] = `${answered}/${SESSIONS * REQUESTS_PER_SESSION}`;
    figures['SGNT phase (s)'] = (loadMs / 1000).toFixed(1);
    figures['SGNT req/s under abuse'] = Math.round((SESSIONS * REQUESTS_PER_SESSION) / (loadMs / 1000));
    expect(bad.slice(0, 3)).toEqual([]);
    expect(answered).toBe(SESSIONS * REQUESTS_PER_SESSION);
    expect(results.every((r) => r === REQUESTS_PER_SESSION)).toBe(true);

    const probed = await probe;
    figures['probe SGNT during load (ms)'] = Math.round(probed.ms);
    expect(probed.full).toBe(aliceFull);

    for (const [first, second] of await Promise.all(oversized)) {
      expect(first).toBe('500 LINE TOO LONG.');
      expect(second).toBe('250 OK');
    }
    for (const g of await Promise.all(garbageAfter)) {
      expect(g.replies.at(-1)).toMatch(/^421 /);
      expect(g.replies.slice(0, -1).every((l) => /^50[01] /.test(l))).toBe(true);
      expect(g.closed).toBe(true);
    }
    const garbageClosed = await Promise.all(garbageBefore.map((s) => closedWithin(s, 5000)));
    expect(garbageClosed.every(Boolean)).toBe(true);

    await publishing;

    // slow-loris: a dribbled line never completes, so the idle timeout (per complete line) ends it
    const dribblersClosed = await Promise.all(dribblers.map((d) => closedWithin(d.socket, IDLE_TIMEOUT_MS * 4)));
    for (const t of dribbleTimers) clearInterval(t);
    figures['slow-loris line sessions closed'] = `${dribblersClosed.filter(Boolean).length}/${SLOW_LINES}`;
    figures['slow-loris closed after (s, max)'] = (Math.max(...dribblers.map((d) => (d.closedAt || performance.now()) - dribbleStart)) / 1000).toFixed(1);
    expect(dribblersClosed.every(Boolean)).toBe(true);
    // stalled handshakes: the handshake timeout (10 s in dmtpd) ends them
    const stalledClosed = await Promise.all(stalledHandshakes.map((s) => closedWithin(s, 15_000)));
    figures['stalled handshakes closed'] = `${stalledClosed.filter(Boolean).length}/${SLOW_HANDSHAKES}`;
    expect(stalledClosed.every(Boolean)).toBe(true);

    // publish during load lost nothing: every row is there and served
    const { store } = openDxStore(dir);
    try {
      const rows = late.map((_, i) => store.all(`late${i}@example.test`).length);
      figures['published during load (rows found)'] = `${rows.reduce((a, b) => a + b, 0)}/${PUBLISHED_DURING_LOAD}`;
      expect(rows).toEqual(late.map(() => 1));
    } finally {
      store.close();
    }
    const client = await DmtpClient.connect({ host: DX_HOST, address: '127.0.0.1', port, rejectUnauthorized: false });
    for (const i of [0, PUBLISHED_DURING_LOAD - 1]) {
      const got = await client.getSignet(`late${i}@example.test`, fingerprints(late[i]!).full);
      expect(got.fingerprints.full).toBe(fingerprints(late[i]!).full);
    }
    await client.quit();

    const { peakMb } = rssOf(server!.pid!);
    figures['server peak RSS (MB)'] = peakMb.toFixed(0);
    figures['RSS ceiling (MB)'] = RSS_CEILING_MB;
    figures['total (s)'] = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`dmtpd load figures:\n${Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
    expect(peakMb).toBeLessThan(RSS_CEILING_MB);
    expect(server!.exitCode).toBeNull();
  }, 120_000);
});

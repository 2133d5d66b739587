/** Shared material for the DMTP tests: a certificate, real signets made with the signet API, a store. */
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../../src/dmtp/certificate.js';
import type { SignetStore, VerifyAnswer } from '../../src/dmtp/session.js';
import { createOrgSignet, createSsr, signSsr } from '../../src/signet/sign.js';
import { generateKeys, type SignetKeys } from '../../src/signet/keys.js';
import { fingerprints, type Fingerprints } from '../../src/signet/fingerprint.js';
import type { SignetObject } from '../../src/signet/types.js';

export const DX_HOST = 'dx.example.test';
export const DOMAIN = 'example.test';
export const ALICE = 'alice@example.test';

let certificate: SelfSignedCertificate | undefined;
export function testCertificate(): SelfSignedCertificate {
  certificate ??= createSelfSignedCertificate({ hostname: DX_HOST });
  return certificate;
}

export interface Identity {
  keys: SignetKeys;
  signet: SignetObject;
  fingerprints: Required<Fingerprints>;
}

export interface World {
  org: Identity;
  /** Alice's first signet, then her rotated one (new keys, custody signature by the old key). */
  alice: Identity;
  aliceRotated: Identity;
}

function identity(keys: SignetKeys, signet: SignetObject): Identity {
  return { keys, signet, fingerprints: fingerprints(signet) as Required<Fingerprints> };
}

export function makeWorld(): World {
  const orgKeys = generateKeys('org-keys');
  const org = createOrgSignet(orgKeys, DOMAIN, { name: 'Example Org' });
  const aliceKeys = generateKeys('user-keys');
  const alice = signSsr(createSsr(aliceKeys), orgKeys, ALICE, { name: 'Alice' });
  const rotatedKeys = generateKeys('user-keys');
  const rotated = signSsr(createSsr(rotatedKeys, { custody: aliceKeys }), orgKeys, ALICE, { name: 'Alice' });
  return { org: identity(orgKeys, org), alice: identity(aliceKeys, alice), aliceRotated: identity(rotatedKeys, rotated) };
}

/** A store in memory with the semantics of profile §5 (the SQLite one lives in dmtpd). */
export class MemoryStore implements SignetStore {
  private readonly entries: { name: string; signet: SignetObject; fps: string[] }[] = [];

  add(name: string, signet: SignetObject): this {
    this.entries.push({ name, signet, fps: Object.values(fingerprints(signet)) });
    return this;
  }

  private of(name: string) {
    return this.entries.filter((entry) => entry.name === name);
  }

  lookup(name: string, fingerprint?: string): Uint8Array | undefined {
    const all = this.of(name).filter((entry) => fingerprint === undefined || entry.fps.includes(fingerprint));
    return all[all.length - 1]?.signet.bytes;
  }

  verify(name: string, fingerprint: string): VerifyAnswer {
    const all = this.of(name);
    const current = all[all.length - 1];
    if (!current || !all.some((entry) => entry.fps.includes(fingerprint))) return { status: 'unknown' };
    if (current.fps.includes(fingerprint)) return { status: 'current' };
    return { status: 'update', full: fingerprints(current.signet).full! };
  }

  history(address: string, start?: string, end?: string): Uint8Array[] | undefined {
    const all = this.of(address);
    const from = start === undefined ? 0 : all.findIndex((entry) => entry.fps.includes(start));
    let to = all.length - 1;
    if (end !== undefined) to = all.map((entry) => entry.fps.includes(end)).lastIndexOf(true);
    if (from < 0 || to < 0 || to < from) return undefined;
    return all.slice(from, to + 1).map((entry) => entry.signet.bytes);
  }
}

export function worldStore(world: World): MemoryStore {
  return new MemoryStore().add(DOMAIN, world.org.signet).add(ALICE, world.alice.signet).add(ALICE, world.aliceRotated.signet);
}

import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { connect as netConnect, type Socket } from 'node:net';

/** A raw test peer: writes bytes, reads CRLF lines with a deadline, and knows when the server hung up. */
export class WirePeer {
  private buffer = '';
  private waiters: (() => void)[] = [];
  ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket | TLSSocket) {
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      this.buffer += data;
      this.notify();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        this.notify();
        resolve();
      })
    );
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Wraps a socket the test connected itself (e.g. with libdime's TLS parameters). */
  static wrap(socket: Socket | TLSSocket): WirePeer {
    return new WirePeer(socket);
  }

  static tls(port: number, host = '127.0.0.1'): Promise<WirePeer> {
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({ host, port, servername: DX_HOST, rejectUnauthorized: false }, () => resolve(new WirePeer(socket)));
      socket.once('error', reject);
    });
  }

  static plain(port: number, host = '127.0.0.1'): Promise<WirePeer> {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port }, () => resolve(new WirePeer(socket)));
      socket.once('error', reject);
    });
  }

  /** Upgrades a plaintext peer to TLS on the same socket (after `220 READY`). */
  startTls(): Promise<WirePeer> {
    return new Promise((resolve, reject) => {
      this.socket.removeAllListeners('data');
      const socket = tlsConnect({ socket: this.socket as Socket, rejectUnauthorized: false }, () => resolve(new WirePeer(socket)));
      socket.once('error', reject);
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** The next line including its CRLF; rejects after `ms` or when the peer closed with no line. */
  async line(ms = 3000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const lf = this.buffer.indexOf('\n');
      if (lf >= 0) {
        const line = this.buffer.slice(0, lf + 1);
        this.buffer = this.buffer.slice(lf + 1);
        return line;
      }
      if (this.ended) throw new Error(`closed; pending ${JSON.stringify(this.buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line within ${ms} ms; pending ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  get pending(): string {
    return this.buffer;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * The DMTP server transport (profile §5, dmtp.md §1, §6.1): implicit TLS (port 26) and, optionally, a
 * dual-mode listener (plaintext banner, `STARTTLS <HOST> MODE=DMTPv1`, TLS, `250 OK DMTPv1`). Every
 * session is a `DmtpSession` fed by a `LineSplitter`; this file owns sockets, timers and limits:
 * idle timeout, connection cap, line cap, and a graceful close that says `421` to every open session.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { formatReply } from './commands.js';
import { LineSplitter, type SplitEvent } from './line-splitter.js';
import { DmtpSession, type SignetStore } from './session.js';
import { DMTP_CIPHERS, DMTP_ECDH_CURVES, DMTP_MAX_TLS_VERSION, DMTP_MIN_TLS_VERSION, formatHostPort } from './tls-options.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_CONNECTIONS = 256;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_CLOSE_GRACE_MS = 2_000;
/** Command lines up to 4096 bytes including CRLF are accepted (profile §5). */
export const SERVER_MAX_LINE_LENGTH = 4096;

export interface ListenAddress {
  host: string;
  port: number;
}

export interface DmtpServerOptions {
  /** The DX host name, shown in the banner. */
  hostname: string;
  store: SignetStore;
  /** PEM private key and certificate chain (RSA by default, for libdime). */
  key: string | Uint8Array;
  cert: string | Uint8Array;
  /** Implicit-TLS listener; omit to run only the dual-mode one. */
  listen?: ListenAddress;
  /** Dual-mode (STARTTLS) listener. */
  dual?: ListenAddress;
  product?: string;
  idleTimeoutMs?: number;
  maxConnections?: number;
  maxViolations?: number;
  handshakeTimeoutMs?: number;
  /** One line per finished session (peer, listener, TLS version, counts, how it ended). */
  log?: (line: string) => void;
}

type ListenerKind = 'dmtp' | 'dual';
type EndReason = 'quit' | 'idle-timeout' | 'violations' | 'shutdown' | 'peer-closed' | 'over-capacity' | 'handshake-failed' | 'error';

/**
 * A running server. `start()` resolves once every listener is bound; `address`/`dualAddress` carry the
 * real ports (port 0 picks a free one).
 */
export class DmtpServer {
  readonly options: Readonly<DmtpServerOptions>;
  private readonly secureContext: SecureContext;
  private readonly listeners: Server[] = [];
  private readonly connections = new Set<Connection>();
  private boundAddress: ListenAddress | undefined;
  private boundDualAddress: ListenAddress | undefined;
  private closing: Promise<void> | undefined;

  private constructor(options: DmtpServerOptions) {
    this.options = options;
    this.secureContext = createSecureContext({
      key: toPem(options.key),
      cert: toPem(options.cert),
      minVersion: DMTP_MIN_TLS_VERSION,
      maxVersion: DMTP_MAX_TLS_VERSION,
      ciphers: DMTP_CIPHERS,
      ecdhCurve: DMTP_ECDH_CURVES,
      honorCipherOrder: true,
    });
  }

  static async start(options: DmtpServerOptions): Promise<DmtpServer> {
    if (!options.listen && !options.dual) throw new RangeError('DmtpServer needs a listen or a dual address');
    const server = new DmtpServer(options);
    try {
      if (options.listen) server.boundAddress = await server.bind(options.listen, 'dmtp');
      if (options.dual) server.boundDualAddress = await server.bind(options.dual, 'dual');
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  /** The implicit-TLS listener's bound address. */
  get address(): ListenAddress | undefined {
    return this.boundAddress;
  }

  /** The dual-mode listener's bound address. */
  get dualAddress(): ListenAddress | undefined {
    return this.boundDualAddress;
  }

  /** Open connections (sessions and connections still in their handshake). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops listening, sends `421` to every open session, waits up to `graceMs` for the peers to go,
   * then cuts the rest. Safe to call twice.
   */
  close(graceMs = DEFAULT_CLOSE_GRACE_MS): Promise<void> {
    this.closing ??= this.shutdown(graceMs);
    return this.closing;
  }

  private async shutdown(graceMs: number): Promise<void> {
    const stopped = this.listeners.map((listener) => new Promise<void>((resolve) => listener.close(() => resolve())));
    const ended = [...this.connections].map((connection) => connection.shutdown(graceMs));
    await Promise.all([...stopped, ...ended]);
  }

  private bind(address: ListenAddress, kind: ListenerKind): Promise<ListenAddress> {
    const listener = createServer({ noDelay: true }, (socket) => this.accept(socket, kind));
    this.listeners.push(listener);
    return new Promise((resolve, reject) => {
      listener.once('error', reject);
      listener.listen({ host: address.host, port: address.port, exclusive: true }, () => {
        listener.off('error', reject);
        listener.on('error', () => undefined);
        const info = listener.address() as AddressInfo;
        resolve({ host: info.address, port: info.port });
      });
    });
  }

  private accept(socket: Socket, kind: ListenerKind): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const cap = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const overCapacity = this.connections.size >= cap;
    // Over the cap a peer still gets a `421` after its handshake, but only up to a second cap's worth;
    // beyond that the TCP connection is dropped at once so refusals cost nothing.
    if (overCapacity && this.connections.size >= 2 * cap) {
      socket.destroy();
      return;
    }
    const connection = new Connection(this, socket, kind, overCapacity, this.secureContext);
    this.connections.add(connection);
    socket.once('close', () => this.connections.delete(connection));
  }

  /** @internal used by connections */
  log(line: string): void {
    this.options.log?.(line);
  }
}

function toPem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value);
}

/** One client connection: the raw TCP socket, later the TLS socket over it, and its session. */
class Connection {
  private stream: Socket | TLSSocket;
  private splitter = new LineSplitter(SERVER_MAX_LINE_LENGTH);
  private readonly session: DmtpSession;
  private readonly started = Date.now();
  private readonly peer: string;
  private queue: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private endReason: EndReason | undefined;
  private ready = false;
  private upgrading = false;
  private tlsVersion = 'none';
  /** Set while the peer is not reading its replies: reading stops until the output drains. */
  private drained: Promise<void> | undefined;
  private closedPromise: Promise<void>;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);

  constructor(
    private readonly server: DmtpServer,
    private readonly raw: Socket,
    private readonly kind: ListenerKind,
    private readonly overCapacity: boolean,
    private readonly secureContext: SecureContext
  ) {
    const options = server.options;
    this.peer = formatHostPort(raw.remoteAddress ?? '?', raw.remotePort ?? 0);
    this.session = new DmtpSession({
      hostname: options.hostname,
      store: options.store,
      dual: kind === 'dual',
      ...(options.product === undefined ? {} : { product: options.product }),
      ...(options.maxViolations === undefined ? {} : { maxViolations: options.maxViolations }),
    });
    this.stream = raw;
    this.closedPromise = new Promise((resolve) => raw.once('close', () => resolve()));
    raw.on('error', () => this.setEnd('error'));
    raw.once('close', () => this.finished());
    if (kind === 'dmtp') {
      this.startTls(() => this.begin());
    } else {
      this.begin();
    }
  }

  /** Sends the greeting (or a refusal when over the cap) and starts reading lines. */
  private begin(): void {
    this.ready = true;
    if (this.overCapacity) {
      this.send(formatReply(421, `<${this.server.options.hostname}> TOO MANY CONNECTIONS, TRY AGAIN LATER.`));
      this.end('over-capacity');
      return;
    }
    this.send(this.session.greeting());
    this.stream.on('data', this.onData);
    this.touch();
  }

  private startTls(onSecure: () => void): void {
    const tls = new TLSSocket(this.raw, { isServer: true, secureContext: this.secureContext });
    this.stream = tls;
    const timeout = this.server.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    this.handshakeTimer = setTimeout(() => {
      this.setEnd('handshake-failed');
      this.raw.destroy();
    }, timeout);
    tls.on('error', () => {
      this.setEnd(this.ready ? 'error' : 'handshake-failed');
      this.raw.destroy();
    });
    tls.once('secure', () => {
      clearTimeout(this.handshakeTimer);
      this.tlsVersion = tls.getProtocol() ?? 'unknown';
      onSecure();
    });
  }

  private receive(chunk: Buffer): void {
    if (this.upgrading) return;
    const events = this.splitter.push(chunk);
    // Only a complete line (or an over-long one) counts as activity: a slow-loris peer dribbling a
    // byte at a time must not keep its session alive past the idle timeout.
    if (events.length > 0) this.touch();
    for (const event of events) this.queue = this.queue.then(() => this.handle(event));
  }

  private async handle(event: SplitEvent): Promise<void> {
    // Lines already read wait too, so at most one reply is queued past the socket's high-water mark.
    if (this.drained) await Promise.race([this.drained, this.closedPromise]);
    if (this.session.isClosed || this.upgrading || this.endReason) return;
    const output = event.kind === 'overflow' ? this.session.handleOverflow() : await this.session.handleLine(event);
    if (this.session.isClosed && output.action !== 'close') return; // shut down while the store answered
    if (output.reply) this.send(output.reply);
    if (output.action === 'close') {
      this.end(output.reply.startsWith('421') ? 'violations' : 'quit');
    } else if (output.action === 'starttls') {
      this.upgrade();
    }
  }

  /**
   * STARTTLS: stop reading plaintext, throw away anything the peer pipelined after the command (it
   * must not be read as if it had come through TLS), and run the handshake on the same socket.
   */
  private upgrade(): void {
    this.upgrading = true;
    this.raw.off('data', this.onData);
    this.raw.pause();
    this.splitter.takeRemainder();
    this.startTls(() => {
      this.splitter = new LineSplitter(SERVER_MAX_LINE_LENGTH);
      this.upgrading = false;
      this.send(this.session.tlsStarted());
      this.stream.on('data', this.onData);
      this.touch();
    });
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    const idle = this.server.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.idleTimer = setTimeout(() => {
      if (this.endReason) return;
      this.send(this.session.timeoutReply());
      this.end('idle-timeout');
    }, idle);
  }

  /**
   * Writes a reply. A peer that pipelines commands without reading the replies (each SGNT reply is
   * far larger than its command) would otherwise make us buffer them all: when the socket is full,
   * stop reading until it drains.
   */
  private send(text: string): void {
    if (this.stream.destroyed || !this.stream.writable) return;
    if (this.stream.write(text) || this.drained) return;
    const stream = this.stream;
    stream.pause();
    this.drained = new Promise<void>((resolve) => {
      stream.once('drain', () => {
        this.drained = undefined;
        if (stream === this.stream && !this.upgrading && !this.endReason) stream.resume();
        resolve();
      });
    });
  }

  private setEnd(reason: EndReason): void {
    this.endReason ??= reason;
  }

  /** Graceful end: TLS close_notify and FIN after the queued replies; cut after the grace period. */
  private end(reason: EndReason, graceMs = DEFAULT_CLOSE_GRACE_MS): void {
    this.setEnd(reason);
    clearTimeout(this.idleTimer);
    this.stream.off('data', this.onData);
    this.stream.end();
    setTimeout(() => this.raw.destroy(), graceMs).unref();
  }

  shutdown(graceMs: number): Promise<void> {
    if (!this.endReason) {
      if (this.ready && !this.upgrading) {
        this.send(this.session.shutdownReply());
        this.end('shutdown', graceMs);
      } else {
        this.setEnd('shutdown');
        this.raw.destroy();
      }
    }
    return this.closedPromise;
  }

  private finished(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.handshakeTimer);
    this.setEnd('peer-closed');
    const seconds = ((Date.now() - this.started) / 1000).toFixed(3);
    this.server.log(
      `session peer=${this.peer} listener=${this.kind} tls=${this.tlsVersion} commands=${this.session.commands} ` +
        `violations=${this.session.violations} end=${this.endReason} duration=${seconds}s`
    );
  }
}

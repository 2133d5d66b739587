/**
 * The DMTP client (profile §5, dmtp.md §1.5, §2.2, §3, §6.2): connects with implicit TLS (port 26) or
 * in dual mode (plaintext banner, STARTTLS, TLS), checks the banner for the `DMTPv1` token and speaks
 * lock-step SGNT/VRFY/HIST/NOOP/RSET/QUIT. It fixes what made libdime's resolver hang or trust too
 * much: replies may end in LF or CRLF, every reply has a read timeout and a size cap, a multi-line
 * banner is understood, and a received signet must carry the fingerprint that was asked for.
 *
 * Certificate trust is the caller's decision (the DIME policy of profile §4 needs the record): pass
 * `rejectUnauthorized`/`ca`/`servername` for PKIX, and/or `checkCertificate` to inspect the peer's DER
 * before the banner is read.
 *
 * Errors (DimeError): connect/read timeouts, refused or reset connections and failed handshakes are
 * NETWORK; a peer breaking the protocol is PROTOCOL (both exit 4); a certificate Node rejected is
 * CERT_UNTRUSTED; `450` is NOT_FOUND; a signet without the requested fingerprint, or naming someone
 * else in its identifier field, is FINGERPRINT_MISMATCH. See README.md in this folder.
 *
 * ```ts
 * const client = await DmtpClient.connect({ host: 'dx.example.com', rejectUnauthorized: false,
 *   checkCertificate: (peer) => pinned(peer.der) });
 * try {
 *   const org = await client.getSignet('example.com');
 *   const user = await client.getSignet('alice@example.com', fingerprint);
 * } finally {
 *   await client.quit();
 * }
 * ```
 */
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { DimeError, isDimeError } from '../errors/dime-error.js';
import { decodeSignetObject, signetIdentifier } from '../signet/object.js';
import { fingerprints as signetFingerprints, hasFingerprint, type Fingerprints } from '../signet/fingerprint.js';
import type { SignetObject } from '../signet/types.js';
import {
  CRLF,
  formatCommand,
  isPositive,
  parseHistReply,
  parseSignetReplyText,
  parseVrfyReplyText,
  quoteLine,
  ReplyAssembler,
  replyText,
  type DmtpCommand,
  type DmtpReply,
  type VrfyResult,
} from './commands.js';
import { LineSplitter, type SplitEvent } from './line-splitter.js';
import { isUserName, normalizeSignetName, normalizeWireFingerprint } from './names.js';
import { DMTP_CIPHERS, DMTP_ECDH_CURVES, DMTP_MAX_TLS_VERSION, DMTP_MIN_TLS_VERSION, formatHostPort } from './tls-options.js';

/** Standard DMTP port (implicit TLS). */
export const DMTP_PORT = 26;
/** Dual-mode port (plaintext banner and STARTTLS). */
export const DMTP_DUAL_PORT = 25;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_READ_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_REPLY_BYTES = 1024 * 1024;
/** How long QUIT waits for `221` before the connection is closed anyway. */
const QUIT_WAIT_MS = 2_000;

/** The peer certificate as the caller's trust policy needs it. */
export interface PeerCertificate {
  /** DER of the leaf certificate (what `tls=` signs the SHA-512 of). */
  der: Uint8Array;
  x509: X509Certificate;
  /** Whether Node's PKIX check (against `ca` or the bundled roots, with the host name) passed. */
  authorized: boolean;
  authorizationError?: string;
  protocol: string;
  cipher: string;
}

export interface DmtpClientOptions {
  /** The DX host name: dialled (unless `address` is given), sent as SNI and in STARTTLS. */
  host: string;
  /** Port; default 26 (25 is the usual dual-mode port, used with `starttls`). */
  port?: number;
  /** An IP address to dial instead of resolving `host` (discovery resolves names itself). */
  address?: string;
  family?: 4 | 6;
  /** Dual mode: plaintext banner, `STARTTLS <host> MODE=DMTPv1`, then TLS. */
  starttls?: boolean;
  /** TCP connect plus TLS handshake, each; default 5000 ms. */
  connectTimeoutMs?: number;
  /** Each reply (banner included) must be complete within this; default 10000 ms. */
  readTimeoutMs?: number;
  /** Largest reply accepted, all lines together; default 1 MiB. */
  maxReplyBytes?: number;
  /** Node's PKIX verification during the handshake; default true. Pass false to decide yourself. */
  rejectUnauthorized?: boolean;
  /** Trusted roots for PKIX (PEM); default Node's bundled roots. */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** SNI and the name PKIX checks; default `host` (none when `host` is an IP); false sends none. */
  servername?: string | false;
  /** Called after each handshake, before the banner (or post-STARTTLS line) is read; throw to refuse. */
  checkCertificate?: (peer: PeerCertificate) => void | Promise<void>;
  /** Receives every wire line: `C: …` sent, `S: …` received (the `-vvvvv` log). */
  wireLog?: (line: string) => void;
}

/** A signet fetched by SGNT or HIST: the bytes as received, decoded, with its fingerprints. */
export interface FetchedSignet {
  bytes: Uint8Array;
  signet: SignetObject;
  fingerprints: Fingerprints;
}

const CERT_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|ISSUER/;

export class DmtpClient {
  private socket: Socket | TLSSocket;
  private splitter: LineSplitter;
  private readonly events: SplitEvent[] = [];
  private wake: (() => void) | undefined;
  private failure: DimeError | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private bannerReply: DmtpReply | undefined;
  private peer: PeerCertificate | undefined;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  readonly host: string;
  readonly port: number;
  readonly target: string;

  private constructor(
    private readonly options: DmtpClientOptions,
    socket: Socket
  ) {
    this.host = options.host;
    this.port = options.port ?? DMTP_PORT;
    this.target = formatHostPort(options.address ?? options.host, this.port);
    this.socket = socket;
    this.splitter = new LineSplitter(this.maxReplyBytes);
  }

  /** Connects, completes TLS (directly or through STARTTLS) and checks the banner. */
  static async connect(options: DmtpClientOptions): Promise<DmtpClient> {
    const socket = await openTcp(options);
    const client = new DmtpClient(options, socket);
    try {
      await client.handshake();
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  /** The banner reply (for dual mode, the plaintext one). */
  get banner(): DmtpReply {
    return this.bannerReply!;
  }

  /** The DX's certificate, negotiated protocol and cipher. */
  get peerCertificate(): PeerCertificate {
    return this.peer!;
  }

  private get maxReplyBytes(): number {
    return this.options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  }

  private get readTimeoutMs(): number {
    return this.options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  }

  private async handshake(): Promise<void> {
    if (!this.options.starttls) {
      await this.startTls();
      this.bannerReply = await this.readReply('banner');
      checkBanner(this.bannerReply);
      return;
    }
    this.listen(this.socket);
    this.bannerReply = await this.readReply('banner');
    checkBanner(this.bannerReply);
    this.write(`STARTTLS <${this.host}> MODE=DMTPv1`);
    const ready = await this.readReply('STARTTLS');
    if (!isPositive(ready)) throw new DimeError('PROTOCOL', `STARTTLS refused by ${this.target}: ${ready.code} ${replyText(ready)}`);
    // Bytes after the STARTTLS reply and before the handshake would be plaintext posing as TLS data.
    if (this.events.length > 0 || this.splitter.pendingLength > 0) {
      throw new DimeError('PROTOCOL', `${this.target} sent data after its STARTTLS reply`);
    }
    this.socket.off('data', this.onData);
    await this.startTls();
    const mode = await this.readReply('STARTTLS');
    const tokens = replyText(mode).trim().split(/[ \t]+/);
    if (!isPositive(mode) || tokens[0] !== 'OK' || tokens.length !== 2 || tokens[1]!.toUpperCase() !== 'DMTPV1') {
      throw new DimeError('PROTOCOL', `after STARTTLS ${this.target} did not confirm DMTPv1: ${mode.code} ${quoteLine(replyText(mode))}`);
    }
  }

  private async startTls(): Promise<void> {
    const options = this.options;
    const servername = options.servername === false ? undefined : (options.servername ?? (isIP(options.host) ? undefined : options.host));
    const plain = this.socket;
    const tls = tlsConnect({
      socket: plain,
      ...(servername === undefined ? {} : { servername }),
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      ...(options.ca === undefined ? {} : { ca: toCa(options.ca) }),
      minVersion: DMTP_MIN_TLS_VERSION,
      maxVersion: DMTP_MAX_TLS_VERSION,
      ciphers: DMTP_CIPHERS,
      ecdhCurve: DMTP_ECDH_CURVES,
      // PKIX checks the DX name even when no SNI is sent (an IP host, or servername false).
      checkServerIdentity: (_hostname, cert) => checkIdentity(servername ?? options.host, cert),
    });
    tls.on('error', () => undefined); // reported through the handshake promise or listen()
    this.socket = tls;
    this.splitter = new LineSplitter(this.maxReplyBytes);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new DimeError('NETWORK', `TLS handshake with ${this.target} timed out after ${options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS} ms`));
        tls.destroy();
      }, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
      tls.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      tls.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(tlsError(error, this.target));
      });
      plain.once('close', () => {
        clearTimeout(timer);
        reject(new DimeError('NETWORK', `${this.target} closed the connection during the TLS handshake`));
      });
    });
    const raw = tls.getPeerCertificate(true);
    if (!raw || !raw.raw) throw new DimeError('PROTOCOL', `${this.target} presented no certificate`);
    const der = new Uint8Array(raw.raw);
    const authError = tls.authorizationError;
    this.peer = {
      der,
      x509: new X509Certificate(raw.raw),
      authorized: tls.authorized,
      ...(authError ? { authorizationError: String(authError) } : {}),
      protocol: tls.getProtocol() ?? 'unknown',
      cipher: tls.getCipher().name,
    };
    this.listen(tls);
    await options.checkCertificate?.(this.peer);
  }

  private listen(stream: Socket | TLSSocket): void {
    stream.on('data', this.onData);
    stream.on('error', (error: NodeJS.ErrnoException) => this.fail(new DimeError('NETWORK', `connection to ${this.target} failed: ${error.code ?? error.message}`)));
    stream.on('end', () => this.fail(new DimeError('NETWORK', `${this.target} closed the connection`)));
    stream.on('close', () => this.fail(new DimeError('NETWORK', `${this.target} closed the connection`)));
  }

  private receive(chunk: Buffer): void {
    for (const event of this.splitter.push(chunk)) {
      if (event.kind === 'line') this.options.wireLog?.(`S: ${printable(event.text)}`);
      this.events.push(event);
    }
    this.wake?.();
  }

  private fail(error: DimeError): void {
    this.failure ??= error;
    this.wake?.();
  }

  private write(line: string): void {
    if (this.failure) throw this.failure;
    this.options.wireLog?.(`C: ${line}`);
    this.socket.write(`${line}${CRLF}`);
  }

  /** Reads one complete reply within the read timeout; `what` names the command in errors. */
  private async readReply(what: string): Promise<DmtpReply> {
    const assembler = new ReplyAssembler();
    const deadline = Date.now() + this.readTimeoutMs;
    let size = 0;
    for (;;) {
      const event = this.events.shift();
      if (event) {
        if (event.kind === 'overflow') throw this.broken(new DimeError('PROTOCOL', `${what} reply from ${this.target}: line longer than ${this.maxReplyBytes} bytes`));
        if (event.hasNul) throw this.broken(new DimeError('PROTOCOL', `${what} reply from ${this.target}: NUL byte inside ${quoteLine(printable(event.text))}`));
        size += event.text.length + 2;
        if (size > this.maxReplyBytes) throw this.broken(new DimeError('PROTOCOL', `${what} reply from ${this.target}: more than ${this.maxReplyBytes} bytes`));
        let reply: DmtpReply | undefined;
        try {
          reply = assembler.push(event.text);
        } catch (error) {
          throw this.broken(isDimeError(error) ? new DimeError('PROTOCOL', `${what} reply from ${this.target}: ${error.message}`) : (error as Error));
        }
        if (reply) return reply;
        continue;
      }
      if (this.failure) throw this.failure;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.broken(new DimeError('NETWORK', `no ${what} reply from ${this.target} within ${this.readTimeoutMs} ms`));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }

  /** Marks the connection unusable (the stream is out of step) and closes it. */
  private broken(error: Error): Error {
    if (error instanceof DimeError) this.failure ??= error;
    this.close();
    return error;
  }

  /** Sends one command (structured, or a raw line) and returns its reply; commands run one at a time. */
  command(command: DmtpCommand | string): Promise<DmtpReply> {
    const line = typeof command === 'string' ? command : formatCommand(command).slice(0, -2);
    if (/[\r\n]/.test(line)) throw new DimeError('BAD_INPUT', 'a DMTP command is one line');
    const what = line.split(' ', 1)[0]!.toUpperCase();
    const run = async (): Promise<DmtpReply> => {
      if (this.closed && !this.failure) throw new DimeError('NETWORK', `connection to ${this.target} is closed`);
      this.write(line);
      return this.readReply(what);
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /**
   * `SGNT <name>` or `SGNT <name> [fp]`: the current signet, or the newest one having `fingerprint` in
   * any of its four kinds. The reply must be `2xx OK [B64]` holding a signet of the right type (org for a
   * domain, user for an address) that has the fingerprint asked for.
   */
  async getSignet(name: string, fingerprint?: string): Promise<FetchedSignet> {
    const wanted = fingerprint === undefined ? undefined : normalizeWireFingerprint(fingerprint);
    const normalized = checkName(name);
    const reply = await this.command(wanted === undefined ? { verb: 'SGNT', name: normalized } : { verb: 'SGNT', name: normalized, fingerprint: wanted });
    this.expectPositive(reply, `SGNT <${normalized}>${wanted ? ` [${wanted}]` : ''}`);
    const fetched = decodeFetched(parseSignetReplyText(replyText(reply)), normalized, this.target);
    if (wanted !== undefined && !hasFingerprint(fetched.signet, wanted)) {
      throw new DimeError('FINGERPRINT_MISMATCH', `${this.target} answered SGNT <${normalized}> [${wanted}] with a signet that does not have that fingerprint (its full fingerprint is ${fetched.fingerprints.full})`);
    }
    return fetched;
  }

  /** `VRFY <name> [fp]`: `{current: true}` or `{current: false, newest}` (the current `full` fingerprint). */
  async verifyFingerprint(name: string, fingerprint: string): Promise<VrfyResult> {
    const normalized = checkName(name);
    const wanted = normalizeWireFingerprint(fingerprint);
    const reply = await this.command({ verb: 'VRFY', name: normalized, fingerprint: wanted });
    this.expectPositive(reply, `VRFY <${normalized}> [${wanted}]`);
    return parseVrfyReplyText(replyText(reply));
  }

  /**
   * `HIST <address> [start] [end]`: the signets from the one having `start` to the one having `end`
   * (default the current one), oldest first. The first and last must carry `start` and `end`.
   * Custody links are not verified here; that is the caller's policy.
   */
  async history(address: string, start?: string, end?: string): Promise<FetchedSignet[]> {
    const normalized = checkName(address);
    if (!isUserName(normalized)) throw new DimeError('BAD_INPUT', `name ${normalized}: history is only kept for user signets`);
    const command: { verb: 'HIST'; address: string; start?: string; end?: string } = { verb: 'HIST', address: normalized };
    if (start !== undefined) command.start = normalizeWireFingerprint(start, 'start fingerprint');
    if (end !== undefined) command.end = normalizeWireFingerprint(end, 'end fingerprint');
    const reply = await this.command(command);
    this.expectPositive(reply, `HIST <${normalized}>`);
    const chain = parseHistReply(reply).map((bytes) => decodeFetched(bytes, normalized, this.target));
    if (chain.length === 0) throw new DimeError('PROTOCOL', `${this.target} answered HIST <${normalized}> with no signet`);
    if (command.start !== undefined && !hasFingerprint(chain[0]!.signet, command.start)) {
      throw new DimeError('FINGERPRINT_MISMATCH', `${this.target}: HIST <${normalized}> does not start with the signet having ${command.start}`);
    }
    if (command.end !== undefined && !hasFingerprint(chain[chain.length - 1]!.signet, command.end)) {
      throw new DimeError('FINGERPRINT_MISMATCH', `${this.target}: HIST <${normalized}> does not end with the signet having ${command.end}`);
    }
    return chain;
  }

  async noop(): Promise<void> {
    this.expectPositive(await this.command({ verb: 'NOOP' }), 'NOOP');
  }

  async rset(): Promise<void> {
    this.expectPositive(await this.command({ verb: 'RSET' }), 'RSET');
  }

  /** `MODE`: the mode word after `OK` (`DMTPv1`). */
  async mode(): Promise<string> {
    const reply = await this.command({ verb: 'MODE' });
    this.expectPositive(reply, 'MODE');
    const tokens = replyText(reply).trim().split(/[ \t]+/);
    if (tokens[0] !== 'OK' || tokens.length !== 2) throw new DimeError('PROTOCOL', `MODE reply is not OK <MODE>: ${quoteLine(replyText(reply))}`);
    return tokens[1]!;
  }

  /**
   * Sends QUIT, waits briefly for `221`, then closes (TLS close_notify and FIN). Never throws: a
   * connection that is already broken is simply closed.
   */
  async quit(): Promise<void> {
    if (this.closed) return;
    // Behind any command still in flight, so two readers never share the stream.
    await this.chain;
    if (this.closed) return;
    if (!this.failure) {
      try {
        this.write('QUIT');
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.min(QUIT_WAIT_MS, this.readTimeoutMs));
        });
        await Promise.race([this.readReply('QUIT'), grace]).finally(() => clearTimeout(timer));
      } catch {
        /* the peer may hang up first; closing is all that is left to do */
      }
    }
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
    const socket = this.socket;
    setTimeout(() => socket.destroy(), 500).unref();
  }

  /** Closes at once, without QUIT. */
  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private expectPositive(reply: DmtpReply, what: string): void {
    if (isPositive(reply)) return;
    const text = `${reply.code} ${replyText(reply)}`;
    if (reply.code === 450) throw new DimeError('NOT_FOUND', `${what}: ${this.target} answered ${text}`);
    throw new DimeError('PROTOCOL', `${what}: ${this.target} answered ${text}`);
  }
}

function checkName(name: string): string {
  const normalized = normalizeSignetName(name);
  if (!normalized) throw new DimeError('BAD_INPUT', `name ${JSON.stringify(name)}: not a domain or an address`);
  return normalized;
}

function decodeFetched(bytes: Uint8Array, name: string, target: string): FetchedSignet {
  let signet: SignetObject;
  try {
    signet = decodeSignetObject(bytes);
  } catch (error) {
    throw new DimeError('PROTOCOL', `${target} sent a malformed signet for ${name}: ${(error as Error).message}`);
  }
  const expected = isUserName(name) ? 'user' : 'org';
  if (signet.type !== expected) throw new DimeError('PROTOCOL', `${target} sent ${withArticle(signet.type)} object for ${name}, expected ${withArticle(expected)} signet`);
  // A signet naming someone else is not the one asked for (a crypto-only signet names no one).
  const identifier = signetIdentifier(signet);
  if (identifier !== undefined && normalizeSignetName(identifier) !== name) {
    throw new DimeError('FINGERPRINT_MISMATCH', `${target} answered for ${name} with the signet of ${JSON.stringify(identifier)}`);
  }
  return { bytes, signet, fingerprints: signetFingerprints(signet) };
}

/** `an org`, `a user`, `an ssr` (said "es-es-ar"), `an org-keys`, `a user-keys`: object types in messages. */
function withArticle(type: string): string {
  return `${type.startsWith('user') ? 'a' : 'an'} ${type}`;
}

/** A 220 banner whose text has a `DMTPv1` token after its first (host) token, on any line (dmtp.md §2.2). */
function checkBanner(reply: DmtpReply): void {
  const text = `${reply.code} ${reply.lines.join(' / ')}`;
  if (reply.code !== 220) {
    const code = reply.code >= 400 ? 'NETWORK' : 'PROTOCOL';
    throw new DimeError(code, `the DX refused the session: ${quoteLine(text, 120)}`);
  }
  const ok = reply.lines.some((line) => line.trim().split(/[ \t]+/).slice(1).includes('DMTPv1'));
  if (!ok) throw new DimeError('PROTOCOL', `incompatible banner (no DMTPv1 token): ${quoteLine(text, 120)}`);
}

function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function toCa(ca: string | Uint8Array | Array<string | Uint8Array>): Array<string | Buffer> {
  return (Array.isArray(ca) ? ca : [ca]).map((item) => (typeof item === 'string' ? item : Buffer.from(item)));
}

function checkIdentity(name: string, cert: import('node:tls').PeerCertificate): Error | undefined {
  const x509 = new X509Certificate(cert.raw);
  const matches = isIP(name) ? x509.checkIP(name) !== undefined : x509.checkHost(name) !== undefined;
  if (matches) return undefined;
  const error = new Error(`certificate does not name ${name}`) as NodeJS.ErrnoException;
  error.code = 'ERR_TLS_CERT_ALTNAME_INVALID';
  return error;
}

function tlsError(error: NodeJS.ErrnoException, target: string): DimeError {
  const code = error.code ?? '';
  if (CERT_ERROR.test(code)) return new DimeError('CERT_UNTRUSTED', `certificate of ${target} not trusted: ${error.message}`);
  return new DimeError('NETWORK', `TLS handshake with ${target} failed: ${error.message}`);
}

function openTcp(options: DmtpClientOptions): Promise<Socket> {
  const host = options.address ?? options.host;
  const port = options.port ?? DMTP_PORT;
  const target = formatHostPort(host, port);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port, noDelay: true, ...(options.family ? { family: options.family } : {}) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DimeError('NETWORK', `connect to ${target} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.on('error', () => undefined); // surfaces through the TLS socket or listen()
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const reason = error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message);
      reject(new DimeError('NETWORK', `connect to ${target} failed: ${reason}`, { cause: error }));
    });
  });
}

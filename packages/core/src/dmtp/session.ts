/**
 * The DMTP server session as a state machine without sockets (profile §5, dmtp.md §2.3, §3, §6.1): it
 * takes command lines and answers with reply text plus what the transport must do next. The server
 * (`server.ts`) owns the sockets and timers; tests can drive a session line by line.
 *
 * States: a session on the implicit-TLS port starts `encrypted`. A dual-mode session starts in
 * plaintext, where only STARTTLS, MODE, NOOP, RSET, HELP and QUIT are allowed; after STARTTLS the
 * transport runs the handshake and calls `tlsStarted()`. EHLO is never required before SGNT, VRFY or
 * HIST (the libdime resolver never sends it).
 */
import { base64Encode } from '../bytes/encoding.js';
import { formatReply, INVALID_COMMAND, parseCommand, type DmtpCommand } from './commands.js';
import type { SplitLine } from './line-splitter.js';
import { isUserName } from './names.js';

/** VRFY's answer: the fingerprint is the current signet's, an older one's (with the current `full`), or unknown. */
export type VerifyAnswer = { status: 'current' } | { status: 'update'; full: string } | { status: 'unknown' };

/**
 * What a session needs from signet storage. Names arrive normalised (lower case); fingerprints arrive
 * as 86-character unpadded base64 and match any of the four kinds exactly (profile §5). Signets are
 * the binary serialisation. Methods may be synchronous or return promises.
 */
export interface SignetStore {
  /** The current signet of `name`, or with `fingerprint` the newest signet of `name` having it. */
  lookup(name: string, fingerprint?: string): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  verify(name: string, fingerprint: string): VerifyAnswer | Promise<VerifyAnswer>;
  /**
   * Signets of `address` in publish order from the one having `start` (default: the first published)
   * to the one having `end` (default: the current one); undefined when either is unknown or `end`
   * comes before `start`.
   */
  history(address: string, start?: string, end?: string): Uint8Array[] | undefined | Promise<Uint8Array[] | undefined>;
}

export interface SessionOptions {
  /** The DX host name shown in the banner. */
  hostname: string;
  store: SignetStore;
  /** Product token after `DMTPv1` in the banner. */
  product?: string;
  /** Dual mode: plaintext banner, STARTTLS required before signet commands. */
  dual?: boolean;
  /** Bad commands (500/501, over-long lines) tolerated before `421` ends the session. */
  maxViolations?: number;
}

export type SessionAction = 'continue' | 'close' | 'starttls';

export interface SessionOutput {
  /** Wire text to send (CRLF-terminated lines); empty when nothing is to be sent. */
  reply: string;
  action: SessionAction;
}

export const DEFAULT_PRODUCT = 'TSDMTP';
export const DEFAULT_MAX_VIOLATIONS = 10;

const NOT_FOUND = formatReply(450, 'SIGNET NOT FOUND.');
const OK = formatReply(250, 'OK');
const PLAINTEXT_ALLOWED = new Set(['STARTTLS', 'MODE', 'NOOP', 'RSET', 'HELP', 'QUIT']);

const HELP_TOPICS: Record<string, string> = {
  SGNT: 'SGNT <NAME> [FINGERPRINT]',
  VRFY: 'VRFY <NAME> [FINGERPRINT]',
  HIST: 'HIST <ADDRESS> [START] [END]',
  EHLO: 'EHLO <HOST>',
  MODE: 'MODE',
  NOOP: 'NOOP',
  RSET: 'RSET',
  HELP: 'HELP [COMMAND]',
  QUIT: 'QUIT',
  STARTTLS: 'STARTTLS <HOST> MODE=DMTPv1',
};

export class DmtpSession {
  readonly hostname: string;
  readonly product: string;
  readonly dual: boolean;
  private readonly store: SignetStore;
  private readonly maxViolations: number;
  private tls: boolean;
  private closed = false;
  private violationCount = 0;
  private commandCount = 0;
  private lastVerb: string | undefined;

  constructor(options: SessionOptions) {
    if (!/^[\x21-\x7e]+$/.test(options.hostname)) throw new RangeError(`hostname ${JSON.stringify(options.hostname)}`);
    this.hostname = options.hostname;
    this.product = options.product ?? DEFAULT_PRODUCT;
    this.dual = options.dual ?? false;
    this.store = options.store;
    this.maxViolations = options.maxViolations ?? DEFAULT_MAX_VIOLATIONS;
    this.tls = !this.dual;
  }

  get encrypted(): boolean {
    return this.tls;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get commands(): number {
    return this.commandCount;
  }

  get violations(): number {
    return this.violationCount;
  }

  /** The verb of the last command handled (for the session log). */
  get lastCommand(): string | undefined {
    return this.lastVerb;
  }

  /** The first line: `220 <HOST> DMTPv1 PRODUCT`, or `220 <HOST> ESMTP DMTPv1 PRODUCT` in dual mode. */
  greeting(): string {
    return formatReply(220, `<${this.hostname}> ${this.dual ? 'ESMTP ' : ''}DMTPv1 ${this.product}`);
  }

  /** After the STARTTLS handshake: the session is encrypted and says so (dmtp.md §1.5). */
  tlsStarted(): string {
    this.tls = true;
    return formatReply(250, 'OK DMTPv1');
  }

  /** An over-long command line (profile §5): `500` and a violation. */
  handleOverflow(): SessionOutput {
    return this.violation(formatReply(500, 'LINE TOO LONG.'));
  }

  /** `421` for an idle session (the transport closes it). */
  timeoutReply(): string {
    this.closed = true;
    return formatReply(421, `<${this.hostname}> IDLE TIMEOUT, CLOSING.`);
  }

  /** `421` for a server going down (the transport closes it). */
  shutdownReply(): string {
    this.closed = true;
    return formatReply(421, `<${this.hostname}> SERVICE SHUTTING DOWN.`);
  }

  /** Handles one complete line. Store failures become `451`, never an exception. */
  async handleLine(line: SplitLine | string): Promise<SessionOutput> {
    if (this.closed) return { reply: '', action: 'close' };
    const text = typeof line === 'string' ? line : line.text;
    if (typeof line !== 'string' && line.hasNul) return this.violation(formatReply(INVALID_COMMAND.code, INVALID_COMMAND.text));
    const parsed = parseCommand(text);
    this.commandCount++;
    if (!parsed.ok) {
      this.lastVerb = text.split(/[ \t]/, 1)[0]?.toUpperCase().slice(0, 16) || '(empty)';
      return this.violation(formatReply(parsed.rejection.code, parsed.rejection.text));
    }
    this.lastVerb = parsed.command.verb;
    if (!this.tls && !PLAINTEXT_ALLOWED.has(parsed.command.verb)) {
      return this.reply(formatReply(503, 'DMTP COMMAND REQUIRES STARTTLS FIRST.'));
    }
    try {
      return await this.dispatch(parsed.command);
    } catch {
      return this.reply(formatReply(451, 'INTERNAL SERVER ERROR.'));
    }
  }

  private reply(reply: string, action: SessionAction = 'continue'): SessionOutput {
    if (action === 'close') this.closed = true;
    return { reply, action };
  }

  private violation(reply: string): SessionOutput {
    this.violationCount++;
    if (this.violationCount >= this.maxViolations) {
      return this.reply(formatReply(421, `<${this.hostname}> TOO MANY INVALID COMMANDS, CLOSING.`), 'close');
    }
    return this.reply(reply);
  }

  private async dispatch(command: DmtpCommand): Promise<SessionOutput> {
    switch (command.verb) {
      case 'SGNT': {
        const signet = await this.store.lookup(command.name, command.fingerprint);
        return this.reply(signet ? formatReply(250, `OK [${base64Encode(signet)}]`) : NOT_FOUND);
      }
      case 'VRFY': {
        const answer = await this.store.verify(command.name, command.fingerprint);
        if (answer.status === 'current') return this.reply(formatReply(250, 'CURRENT'));
        if (answer.status === 'update') return this.reply(formatReply(250, `UPDATE [${answer.full}]`));
        return this.reply(NOT_FOUND);
      }
      case 'HIST': {
        if (!isUserName(command.address)) return this.violation(formatReply(501, 'INVALID HIST PARAMETER.'));
        const chain = await this.store.history(command.address, command.start, command.end);
        if (!chain || chain.length === 0) return this.reply(NOT_FOUND);
        return this.reply(formatReply(250, [...chain.map((signet) => `[${base64Encode(signet)}]`), 'OK']));
      }
      case 'EHLO':
        return this.reply(formatReply(250, [`<${this.hostname}>`, 'SGNT', 'VRFY', 'HIST', 'OK']));
      case 'MODE':
        return this.reply(formatReply(200, 'OK DMTPv1'));
      case 'NOOP':
      case 'RSET':
        return this.reply(OK);
      case 'HELP': {
        if (command.topic === undefined) {
          const verbs = Object.keys(HELP_TOPICS).filter((verb) => verb !== 'STARTTLS' || this.dual);
          return this.reply(formatReply(214, [`AVAILABLE COMMANDS: ${verbs.join(' ')}`, 'OK']));
        }
        const usage = HELP_TOPICS[command.topic];
        return usage ? this.reply(formatReply(214, [usage, 'OK'])) : this.reply(formatReply(504, 'UNKNOWN HELP TOPIC.'));
      }
      case 'QUIT':
        return this.reply(formatReply(221, 'BYE'), 'close');
      case 'STARTTLS':
        if (this.tls) return this.reply(formatReply(454, 'SESSION IS ALREADY ENCRYPTED.'));
        return this.reply(formatReply(220, 'READY'), 'starttls');
    }
  }
}

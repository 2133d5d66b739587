/**
 * DMTP command and reply grammar (dmtp.md §2, profile §5): pure parse and format, no I/O.
 *
 * Commands: a verb (matched case-insensitively) and arguments separated by SP/HTAB runs. An argument is
 * an angle argument `<text>`, a square argument `[text]` or a keyword `KEY=VALUE` (libdime's command
 * library spelling, dmtp.md §2.4 CMDLIB). Both the positional form that the libdime resolver sends
 * (`SGNT <alice@example.com> [FP]`) and the keyword form (`SGNT USER=<alice@example.com>
 * FINGERPRINT=[FP]`) parse to the same command.
 *
 * Replies: `CODE SP TEXT`, multi-line as `CODE-TEXT` lines closed by a `CODE SP TEXT` line with the same
 * code (dmtp.md §2.2). Everything we send ends in CRLF.
 */
import { base64Decode, base64Encode } from '../bytes/encoding.js';
import { DimeError, isDimeError } from '../errors/dime-error.js';
import { isUserName, normalizeAddress, normalizeDomainName, normalizeSignetName, normalizeWireFingerprint } from './names.js';

export const CRLF = '\r\n';

export type DmtpCommand =
  | { verb: 'SGNT'; name: string; fingerprint?: string }
  | { verb: 'VRFY'; name: string; fingerprint: string }
  | { verb: 'HIST'; address: string; start?: string; end?: string }
  | { verb: 'EHLO'; host: string }
  | { verb: 'MODE' }
  | { verb: 'NOOP' }
  | { verb: 'RSET' }
  | { verb: 'HELP'; topic?: string }
  | { verb: 'QUIT' }
  | { verb: 'STARTTLS'; host: string; mode: 'DMTPv1' };

export type DmtpVerb = DmtpCommand['verb'];

export const DMTP_VERBS: readonly DmtpVerb[] = ['SGNT', 'VRFY', 'HIST', 'EHLO', 'MODE', 'NOOP', 'RSET', 'HELP', 'QUIT', 'STARTTLS'];

/** A rejected command line: the reply to send (500 unknown verb, 501 bad arguments). */
export interface CommandRejection {
  code: 500 | 501;
  text: string;
}

export type ParsedCommand = { ok: true; command: DmtpCommand } | { ok: false; rejection: CommandRejection };

export const INVALID_COMMAND: CommandRejection = { code: 500, text: 'INVALID COMMAND' };

interface Arguments {
  angles: string[];
  squares: string[];
  keywords: Map<string, string>;
  bare: string[];
}

class ArgumentError extends Error {
  constructor(readonly kind: 'syntax' | 'parameter') {
    super(kind);
  }
}

/** Splits arguments into their three shapes; a repeated keyword or a bracket left open is a syntax error. */
function splitArguments(tokens: string[]): Arguments {
  const args: Arguments = { angles: [], squares: [], keywords: new Map(), bare: [] };
  for (const token of tokens) {
    if (token.startsWith('<')) {
      if (!token.endsWith('>') || token.length < 3) throw new ArgumentError('syntax');
      args.angles.push(token.slice(1, -1));
    } else if (token.startsWith('[')) {
      if (!token.endsWith(']') || token.length < 3) throw new ArgumentError('syntax');
      args.squares.push(token.slice(1, -1));
    } else if (/^[A-Za-z]+=/.test(token)) {
      const eq = token.indexOf('=');
      const key = token.slice(0, eq).toUpperCase();
      if (args.keywords.has(key)) throw new ArgumentError('syntax');
      args.keywords.set(key, unwrap(token.slice(eq + 1)));
    } else {
      args.bare.push(token);
    }
  }
  return args;
}

/** A keyword value may be written `<v>`, `[v]` or bare. */
function unwrap(value: string): string {
  if ((value.startsWith('<') && value.endsWith('>')) || (value.startsWith('[') && value.endsWith(']'))) {
    if (value.length < 3) throw new ArgumentError('syntax');
    return value.slice(1, -1);
  }
  if (value.length === 0 || /[<>[\]]/.test(value)) throw new ArgumentError('syntax');
  return value;
}

function onlyKeywords(args: Arguments, allowed: string[]): void {
  for (const key of args.keywords.keys()) if (!allowed.includes(key)) throw new ArgumentError('syntax');
}

function fingerprintArg(value: string): string {
  try {
    return normalizeWireFingerprint(value);
  } catch {
    throw new ArgumentError('parameter');
  }
}

/** The signet name of SGNT/VRFY: `<name>`, `USER=<address>` or `DOMAIN=<domain>`, exactly one. */
function nameArg(args: Arguments): string {
  const user = args.keywords.get('USER');
  const domain = args.keywords.get('DOMAIN');
  const given = [...args.angles, ...(user === undefined ? [] : [user]), ...(domain === undefined ? [] : [domain])];
  if (given.length !== 1) throw new ArgumentError('syntax');
  const raw = given[0]!;
  const name = user !== undefined ? normalizeAddress(raw) : domain !== undefined ? normalizeDomainName(raw) : normalizeSignetName(raw);
  if (!name) throw new ArgumentError('parameter');
  return name;
}

function parseSgnt(args: Arguments): DmtpCommand {
  onlyKeywords(args, ['USER', 'DOMAIN', 'FINGERPRINT']);
  const fps = [...args.squares, ...(args.keywords.has('FINGERPRINT') ? [args.keywords.get('FINGERPRINT')!] : [])];
  if (args.bare.length > 0 || fps.length > 1) throw new ArgumentError('syntax');
  const name = nameArg(args);
  return fps.length === 0 ? { verb: 'SGNT', name } : { verb: 'SGNT', name, fingerprint: fingerprintArg(fps[0]!) };
}

function parseVrfy(args: Arguments): DmtpCommand {
  onlyKeywords(args, ['USER', 'DOMAIN', 'FINGERPRINT']);
  const fps = [...args.squares, ...(args.keywords.has('FINGERPRINT') ? [args.keywords.get('FINGERPRINT')!] : [])];
  if (args.bare.length > 0 || fps.length !== 1) throw new ArgumentError('syntax');
  const name = nameArg(args);
  return { verb: 'VRFY', name, fingerprint: fingerprintArg(fps[0]!) };
}

function parseHist(args: Arguments): DmtpCommand {
  onlyKeywords(args, ['USER', 'START', 'STOP']);
  const user = args.keywords.get('USER');
  const names = [...args.angles, ...(user === undefined ? [] : [user])];
  if (args.bare.length > 0 || names.length !== 1) throw new ArgumentError('syntax');
  const start = args.keywords.get('START');
  const stop = args.keywords.get('STOP');
  // Positional squares fill START then END; mixing a positional with the same keyword is ambiguous.
  const squares = [...args.squares];
  if (squares.length > 2 || (start !== undefined && squares.length > 0) || (stop !== undefined && squares.length > 1)) {
    throw new ArgumentError('syntax');
  }
  const startFp = start ?? squares.shift();
  const endFp = stop ?? squares.shift();
  const address = normalizeAddress(names[0]!);
  if (!address) throw new ArgumentError('parameter');
  const command: { verb: 'HIST'; address: string; start?: string; end?: string } = { verb: 'HIST', address };
  if (startFp !== undefined) command.start = fingerprintArg(startFp);
  if (endFp !== undefined) command.end = fingerprintArg(endFp);
  return command;
}

function parseHostArg(args: Arguments, keywords: string[]): string {
  onlyKeywords(args, keywords);
  const host = args.keywords.get('HOST');
  const given = [...args.angles, ...args.bare, ...(host === undefined ? [] : [host])];
  if (given.length !== 1 || args.squares.length > 0) throw new ArgumentError('syntax');
  // EHLO may name an address literal ([IPv4]) in SMTP; DMTP peers name hosts. Accept a host or an IP.
  const raw = given[0]!;
  const name = normalizeDomainName(raw) ?? (/^[0-9a-fA-F:.]+$/.test(raw) ? raw : undefined);
  if (!name) throw new ArgumentError('parameter');
  return name;
}

function parseStarttls(args: Arguments): DmtpCommand {
  const host = parseHostArg(args, ['HOST', 'MODE']);
  const mode = args.keywords.get('MODE');
  // libdime sends MODE=DMTPv1, its command library MODE=DMTP (dmtp.md D11); both mean DMTP.
  if (mode !== undefined && !/^dmtp(v1)?$/i.test(mode)) throw new ArgumentError('parameter');
  return { verb: 'STARTTLS', host, mode: 'DMTPv1' };
}

function noArguments(tokens: string[], command: DmtpCommand): DmtpCommand {
  if (tokens.length > 0) throw new ArgumentError('syntax');
  return command;
}

/**
 * Parses one command line (terminator already removed). Never throws: a bad line gives the reply to
 * send, `500 INVALID COMMAND` for an unknown verb, `501 BAD <VERB> SYNTAX.` for malformed arguments and
 * `501 INVALID <VERB> PARAMETER.` for a well-formed argument with a bad value (dmtp.md §2.4).
 */
export function parseCommand(line: string): ParsedCommand {
  if (!/^[\x20-\x7e\t]*$/.test(line)) return { ok: false, rejection: INVALID_COMMAND };
  const tokens = line.split(/[ \t]+/).filter((token) => token.length > 0);
  const verb = tokens.shift()?.toUpperCase();
  if (verb === undefined || !(DMTP_VERBS as readonly string[]).includes(verb)) return { ok: false, rejection: INVALID_COMMAND };
  try {
    const command = parseVerb(verb as DmtpVerb, tokens);
    return { ok: true, command };
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    const text = error.kind === 'syntax' ? `BAD ${verb} SYNTAX.` : `INVALID ${verb} PARAMETER.`;
    return { ok: false, rejection: { code: 501, text } };
  }
}

function parseVerb(verb: DmtpVerb, tokens: string[]): DmtpCommand {
  switch (verb) {
    case 'SGNT':
      return parseSgnt(splitArguments(tokens));
    case 'VRFY':
      return parseVrfy(splitArguments(tokens));
    case 'HIST':
      return parseHist(splitArguments(tokens));
    case 'EHLO':
      return { verb: 'EHLO', host: parseHostArg(splitArguments(tokens), ['HOST']) };
    case 'STARTTLS':
      return parseStarttls(splitArguments(tokens));
    case 'MODE':
      return noArguments(tokens, { verb: 'MODE' });
    case 'RSET':
      return noArguments(tokens, { verb: 'RSET' });
    case 'QUIT':
      return noArguments(tokens, { verb: 'QUIT' });
    case 'NOOP':
      return { verb: 'NOOP' }; // SMTP lets NOOP carry a string; it is ignored.
    case 'HELP': {
      if (tokens.length > 1) throw new ArgumentError('syntax');
      const topic = tokens[0]?.toUpperCase();
      return topic === undefined ? { verb: 'HELP' } : { verb: 'HELP', topic };
    }
  }
}

/**
 * Formats a command in the positional form the libdime resolver sends (dmtp.md §2.1), CRLF-terminated.
 * Names and fingerprints are checked first so that nothing malformed reaches the wire (BAD_INPUT).
 */
export function formatCommand(command: DmtpCommand): string {
  return `${formatCommandText(command)}${CRLF}`;
}

function checkedName(name: string): string {
  const normalized = normalizeSignetName(name);
  if (!normalized) throw new DimeError('BAD_INPUT', `name ${JSON.stringify(name)}: not a domain or an address`);
  return normalized;
}

function formatCommandText(command: DmtpCommand): string {
  switch (command.verb) {
    case 'SGNT': {
      const name = checkedName(command.name);
      return command.fingerprint === undefined ? `SGNT <${name}>` : `SGNT <${name}> [${normalizeWireFingerprint(command.fingerprint)}]`;
    }
    case 'VRFY':
      return `VRFY <${checkedName(command.name)}> [${normalizeWireFingerprint(command.fingerprint)}]`;
    case 'HIST': {
      const address = checkedName(command.address);
      if (!isUserName(address)) throw new DimeError('BAD_INPUT', `name ${address}: history is only kept for user signets`);
      let text = `HIST <${address}>`;
      if (command.start !== undefined) text += ` [${normalizeWireFingerprint(command.start, 'start fingerprint')}]`;
      if (command.end !== undefined) {
        if (command.start === undefined) throw new DimeError('BAD_INPUT', 'end fingerprint: needs a start fingerprint');
        text += ` [${normalizeWireFingerprint(command.end, 'end fingerprint')}]`;
      }
      return text;
    }
    case 'EHLO':
      return `EHLO <${command.host}>`;
    case 'STARTTLS':
      return `STARTTLS <${command.host}> MODE=DMTPv1`;
    case 'HELP':
      return command.topic === undefined ? 'HELP' : `HELP ${command.topic}`;
    default:
      return command.verb;
  }
}

// ---------------------------------------------------------------------------------------------------
// Replies

export interface DmtpReply {
  code: number;
  /** The text of each line, in order (one entry for a single-line reply). */
  lines: string[];
}

/** The reply's text as libdime joins it: lines separated by `\n`. */
export function replyText(reply: DmtpReply): string {
  return reply.lines.join('\n');
}

export function isPositive(reply: DmtpReply): boolean {
  return reply.code >= 200 && reply.code < 300;
}

/**
 * Formats a reply: every line but the last as `CODE-TEXT`, the last as `CODE SP TEXT`, each ending in
 * CRLF. Text is never empty (libdime cannot parse a bare `250`, dmtp.md B22) and never holds a line
 * break.
 */
export function formatReply(code: number, text: string | string[]): string {
  if (!Number.isInteger(code) || code < 200 || code > 599) throw new RangeError(`reply code ${code}`);
  const lines = typeof text === 'string' ? [text] : text;
  if (lines.length === 0) throw new RangeError('a reply needs at least one line');
  return lines
    .map((line, index) => {
      if (line.length === 0 || /[\r\n\0]/.test(line)) throw new RangeError(`reply line ${index + 1}: empty or holds a line break`);
      return `${code}${index === lines.length - 1 ? ' ' : '-'}${line}${CRLF}`;
    })
    .join('');
}

/**
 * Assembles reply lines into replies (client side). A line must be `CODE SP TEXT`, `CODE-TEXT` or a
 * bare `CODE` (RFC 5321 allows it); continuation lines must repeat the code. Violations are PROTOCOL
 * errors naming the line.
 */
export class ReplyAssembler {
  private code: number | undefined;
  private lines: string[] = [];

  /** True while a multi-line reply has started and not ended. */
  get inProgress(): boolean {
    return this.code !== undefined;
  }

  /** Feeds one line; returns the reply when the line completes it. */
  push(line: string): DmtpReply | undefined {
    const match = /^([2-5][0-9][0-9])(?:([ -])(.*))?$/s.exec(line);
    if (!match) throw new DimeError('PROTOCOL', `malformed reply line: ${quoteLine(line)}`);
    const code = Number(match[1]);
    if (this.code !== undefined && code !== this.code) {
      throw new DimeError('PROTOCOL', `multi-line reply changed its code from ${this.code} to ${code}: ${quoteLine(line)}`);
    }
    this.lines.push(match[3] ?? '');
    if (match[2] === '-') {
      this.code = code;
      return undefined;
    }
    const reply = { code, lines: this.lines };
    this.code = undefined;
    this.lines = [];
    return reply;
  }
}

/** A line shortened and escaped for an error message. */
export function quoteLine(line: string, max = 80): string {
  const shown = line.length > max ? `${line.slice(0, max)}…` : line;
  return JSON.stringify(shown);
}

/** `250 OK [B64]`: the signet reply (dmtp.md §3.1), B64 padded standard base64. */
export function formatSignetReply(signet: Uint8Array): string {
  return formatReply(250, `OK [${base64Encode(signet)}]`);
}

/**
 * The signet inside a positive SGNT reply's text: `OK`, optional whitespace, `[B64]`, nothing after
 * the `]` (dmtp.md §3.3). Unpadded base64 is tolerated, as libdime's decoder does.
 */
export function parseSignetReplyText(text: string): Uint8Array {
  const trimmed = text.replace(/^[ \t]+/, '');
  if (!/^OK(?:[ \t]|\[)/.test(trimmed)) throw new DimeError('PROTOCOL', `signet reply does not start with OK: ${quoteLine(text)}`);
  const body = trimmed.slice(2).replace(/^[ \t]+/, '');
  if (!body.startsWith('[')) throw new DimeError('PROTOCOL', `signet reply has no [: ${quoteLine(text)}`);
  if (!body.endsWith(']')) throw new DimeError('PROTOCOL', `signet reply has no closing ]: ${quoteLine(text)}`);
  return decodeBracketed(body.slice(1, -1), 'signet reply');
}

function decodeBracketed(b64: string, what: string): Uint8Array {
  if (b64.length === 0) throw new DimeError('PROTOCOL', `${what}: empty []`);
  try {
    return base64Decode(b64, what);
  } catch (error) {
    if (isDimeError(error)) throw new DimeError('PROTOCOL', error.message);
    throw error;
  }
}

export type VrfyResult = { current: true } | { current: false; newest: string };

/** `CURRENT` or `UPDATE [FP]` (brackets optional, dmtp.md B16). */
export function parseVrfyReplyText(text: string): VrfyResult {
  const tokens = text.trim().split(/[ \t]+/);
  if (tokens[0] === 'CURRENT' && tokens.length === 1) return { current: true };
  if (tokens[0] === 'UPDATE' && tokens.length === 2) {
    const raw = tokens[1]!.replace(/^\[(.*)\]$/, '$1');
    try {
      return { current: false, newest: normalizeWireFingerprint(raw, 'VRFY UPDATE fingerprint') };
    } catch (error) {
      if (isDimeError(error)) throw new DimeError('PROTOCOL', error.message);
      throw error;
    }
  }
  throw new DimeError('PROTOCOL', `VRFY reply is neither CURRENT nor UPDATE [FP]: ${quoteLine(text)}`);
}

/** The signets of a positive HIST reply: every line `[B64]`, the last one `OK` (dmtp.md §3.5). */
export function parseHistReply(reply: DmtpReply): Uint8Array[] {
  // A reply object built by hand may have no lines: that is a protocol error, not a TypeError.
  const last = (reply.lines[reply.lines.length - 1] ?? '').trim();
  if (!/^OK\b/.test(last)) throw new DimeError('PROTOCOL', `HIST reply does not end with OK: ${quoteLine(last)}`);
  return reply.lines.slice(0, -1).map((line, index) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) {
      throw new DimeError('PROTOCOL', `HIST reply line ${index + 1} is not [B64]: ${quoteLine(line)}`);
    }
    return decodeBracketed(trimmed.slice(1, -1), `HIST reply line ${index + 1}`);
  });
}

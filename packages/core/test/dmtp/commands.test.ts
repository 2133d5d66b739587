import { describe, expect, it } from 'vitest';
import {
  formatCommand,
  formatReply,
  formatSignetReply,
  parseCommand,
  parseHistReply,
  parseSignetReplyText,
  parseVrfyReplyText,
  ReplyAssembler,
} from '../../src/dmtp/commands.js';
import { DimeError } from '../../src/errors/dime-error.js';

// A real 86-character fingerprint shape: SHA-512 of "x" in unpadded base64.
const FP = 'pKvURIxJVi2CgRXROh/M6pJ/UrTVRZKX+LQ+QtqJI4vBNibkPcs43bCCSIkn7JBPtCBXRDmD6IWFF51QVRr+Yg';
const FP_HEX = Buffer.from(FP, 'base64').toString('hex');

function ok(line: string) {
  const parsed = parseCommand(line);
  if (!parsed.ok) throw new Error(`rejected: ${parsed.rejection.code} ${parsed.rejection.text}`);
  return parsed.command;
}

function rejected(line: string) {
  const parsed = parseCommand(line);
  if (parsed.ok) throw new Error(`accepted: ${JSON.stringify(parsed.command)}`);
  return `${parsed.rejection.code} ${parsed.rejection.text}`;
}

describe('parseCommand: positional forms (what libdime sends)', () => {
  it('SGNT with and without a fingerprint, names lower-cased', () => {
    expect(ok('SGNT <Example.COM>')).toEqual({ verb: 'SGNT', name: 'example.com' });
    expect(ok(`SGNT <alice@example.com> [${FP}]`)).toEqual({ verb: 'SGNT', name: 'alice@example.com', fingerprint: FP });
  });
  it('verbs are case-insensitive and SP/HTAB runs separate arguments', () => {
    expect(ok(`sgnt\t <alice@example.com>  [${FP}]`)).toEqual({ verb: 'SGNT', name: 'alice@example.com', fingerprint: FP });
  });
  it('fingerprints given as padded base64 or hex are normalised', () => {
    expect(ok(`VRFY <example.com> [${FP}==]`)).toEqual({ verb: 'VRFY', name: 'example.com', fingerprint: FP });
    expect(ok(`VRFY <example.com> [${FP_HEX}]`)).toEqual({ verb: 'VRFY', name: 'example.com', fingerprint: FP });
  });
  it('HIST with start, start and end, and none', () => {
    expect(ok(`HIST <alice@example.com> [${FP}]`)).toEqual({ verb: 'HIST', address: 'alice@example.com', start: FP });
    expect(ok(`HIST <alice@example.com> [${FP}] [${FP}]`)).toEqual({ verb: 'HIST', address: 'alice@example.com', start: FP, end: FP });
    expect(ok('HIST <alice@example.com>')).toEqual({ verb: 'HIST', address: 'alice@example.com' });
  });
  it('the other verbs', () => {
    expect(ok('EHLO <origin.example>')).toEqual({ verb: 'EHLO', host: 'origin.example' });
    expect(ok('EHLO origin.example')).toEqual({ verb: 'EHLO', host: 'origin.example' });
    expect(ok('MODE')).toEqual({ verb: 'MODE' });
    expect(ok('NOOP whatever')).toEqual({ verb: 'NOOP' });
    expect(ok('RSET')).toEqual({ verb: 'RSET' });
    expect(ok('HELP sgnt')).toEqual({ verb: 'HELP', topic: 'SGNT' });
    expect(ok('QUIT')).toEqual({ verb: 'QUIT' });
    expect(ok('STARTTLS <mx.example.com> MODE=DMTPv1')).toEqual({ verb: 'STARTTLS', host: 'mx.example.com', mode: 'DMTPv1' });
  });
});

describe('parseCommand: keyword forms (libdime command library)', () => {
  it('SGNT USER= / DOMAIN= with FINGERPRINT=', () => {
    expect(ok(`SGNT USER=<alice@example.com> FINGERPRINT=[${FP}]`)).toEqual({ verb: 'SGNT', name: 'alice@example.com', fingerprint: FP });
    expect(ok('SGNT DOMAIN=<example.com>')).toEqual({ verb: 'SGNT', name: 'example.com' });
    expect(ok(`VRFY DOMAIN=<example.com> FINGERPRINT=[${FP}]`)).toEqual({ verb: 'VRFY', name: 'example.com', fingerprint: FP });
  });
  it('HIST USER= START= STOP=', () => {
    expect(ok(`HIST USER=<alice@example.com> START=[${FP}] STOP=[${FP}]`)).toEqual({ verb: 'HIST', address: 'alice@example.com', start: FP, end: FP });
  });
  it('STARTTLS HOST= MODE=DMTP', () => {
    expect(ok('STARTTLS HOST=<mx.example.com> MODE=DMTP')).toEqual({ verb: 'STARTTLS', host: 'mx.example.com', mode: 'DMTPv1' });
  });
});

describe('parseCommand: rejections', () => {
  it.each([
    ['', '500 INVALID COMMAND'],
    ['MAIL FROM: <a.example>', '500 INVALID COMMAND'],
    ['SGNT', '501 BAD SGNT SYNTAX.'],
    ['SGNT <example.com', '501 BAD SGNT SYNTAX.'],
    ['SGNT <a.example> <b.example>', '501 BAD SGNT SYNTAX.'],
    ['SGNT <a.example> extra', '501 BAD SGNT SYNTAX.'],
    ['SGNT USER=<alice@example.com> USER=<bob@example.com>', '501 BAD SGNT SYNTAX.'],
    ['SGNT <bad_name!.example>', '501 INVALID SGNT PARAMETER.'],
    ['SGNT <.alice@example.com>', '501 INVALID SGNT PARAMETER.'],
    ['SGNT USER=<example.com>', '501 INVALID SGNT PARAMETER.'],
    ['SGNT <alice@example.com> [short]', '501 INVALID SGNT PARAMETER.'],
    ['VRFY <alice@example.com>', '501 BAD VRFY SYNTAX.'],
    ['HIST <alice@example.com> [a] [b] [c]', '501 BAD HIST SYNTAX.'],
    ['QUIT now', '501 BAD QUIT SYNTAX.'],
    ['STARTTLS', '501 BAD STARTTLS SYNTAX.'],
    ['STARTTLS <mx.example.com> MODE=SMTP', '501 INVALID STARTTLS PARAMETER.'],
    ['SGNT <caf\u00e9.example>', '500 INVALID COMMAND'],
  ])('%j → %s', (line, reply) => {
    expect(rejected(line)).toBe(reply);
  });
});

describe('formatCommand', () => {
  it('writes the positional form with CRLF', () => {
    expect(formatCommand({ verb: 'SGNT', name: 'Example.com' })).toBe('SGNT <example.com>\r\n');
    expect(formatCommand({ verb: 'SGNT', name: 'alice@example.com', fingerprint: FP_HEX })).toBe(`SGNT <alice@example.com> [${FP}]\r\n`);
    expect(formatCommand({ verb: 'HIST', address: 'alice@example.com', start: FP, end: FP })).toBe(`HIST <alice@example.com> [${FP}] [${FP}]\r\n`);
    expect(formatCommand({ verb: 'STARTTLS', host: 'mx.example.com', mode: 'DMTPv1' })).toBe('STARTTLS <mx.example.com> MODE=DMTPv1\r\n');
    expect(formatCommand({ verb: 'QUIT' })).toBe('QUIT\r\n');
  });
  it('refuses to put a malformed name or fingerprint on the wire', () => {
    expect(() => formatCommand({ verb: 'SGNT', name: 'a b' })).toThrow(/not a domain or an address/);
    expect(() => formatCommand({ verb: 'VRFY', name: 'example.com', fingerprint: 'abc' })).toThrow(/3 characters, expected 86/);
    expect(() => formatCommand({ verb: 'HIST', address: 'example.com' })).toThrow(/only kept for user signets/);
  });
});

describe('replies', () => {
  it('formats single and multi-line replies with CRLF and one code', () => {
    expect(formatReply(250, 'OK')).toBe('250 OK\r\n');
    expect(formatReply(214, ['AVAILABLE COMMANDS', 'OK'])).toBe('214-AVAILABLE COMMANDS\r\n214 OK\r\n');
    expect(formatSignetReply(new Uint8Array([6, 0xf0, 0, 0, 0]))).toBe('250 OK [BvAAAAA=]\r\n');
    expect(() => formatReply(250, '')).toThrow(RangeError);
    expect(() => formatReply(250, 'a\r\nb')).toThrow(RangeError);
  });

  it('assembles multi-line replies and insists on one code', () => {
    const assembler = new ReplyAssembler();
    expect(assembler.push('250-[AAAA]')).toBeUndefined();
    expect(assembler.inProgress).toBe(true);
    expect(assembler.push('250 OK')).toEqual({ code: 250, lines: ['[AAAA]', 'OK'] });
    expect(assembler.push('250')).toEqual({ code: 250, lines: [''] });
    assembler.push('250-x');
    expect(() => assembler.push('251 y')).toThrow(/changed its code from 250 to 251/);
    expect(() => new ReplyAssembler().push('hello')).toThrow(DimeError);
    expect(() => new ReplyAssembler().push('2500 OK')).toThrow(/malformed reply line/);
  });

  it('reads signet, VRFY and HIST reply texts', () => {
    expect(Array.from(parseSignetReplyText('OK [BvAAAAA=]'))).toEqual([6, 0xf0, 0, 0, 0]);
    expect(Array.from(parseSignetReplyText(' OK[BvAAAAA]'))).toEqual([6, 0xf0, 0, 0, 0]);
    expect(() => parseSignetReplyText('OK [BvAAAAA=')).toThrow(/no closing \]/);
    expect(() => parseSignetReplyText('OK [BvAAAAA=] ')).toThrow(/no closing \]/);
    expect(() => parseSignetReplyText('SGNT COMMAND COMPLETE')).toThrow(/does not start with OK/);
    expect(() => parseSignetReplyText('OK [!!!!]')).toThrow(/not base64/);
    expect(parseVrfyReplyText('CURRENT')).toEqual({ current: true });
    expect(parseVrfyReplyText(`UPDATE [${FP}]`)).toEqual({ current: false, newest: FP });
    expect(parseVrfyReplyText(`UPDATE ${FP}`)).toEqual({ current: false, newest: FP });
    expect(() => parseVrfyReplyText('MAYBE')).toThrow(/neither CURRENT nor UPDATE/);
    expect(parseHistReply({ code: 250, lines: ['[BvAAAAA=]', '[BvAAAAA=]', 'OK'] }).map((b) => b.length)).toEqual([5, 5]);
    expect(() => parseHistReply({ code: 250, lines: ['BvAAAAA=', 'OK'] })).toThrow(/line 1 is not \[B64\]/);
    expect(() => parseHistReply({ code: 250, lines: ['[BvAAAAA=]'] })).toThrow(/does not end with OK/);
  });

  it('every protocol failure is a PROTOCOL DimeError (exit 4)', () => {
    try {
      parseSignetReplyText('OK [AAAA');
      expect.unreachable();
    } catch (error) {
      expect((error as DimeError).code).toBe('PROTOCOL');
      expect((error as DimeError).exitCode).toBe(4);
    }
  });
});

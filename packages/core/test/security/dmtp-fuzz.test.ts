/**
 * Hostile input for DMTP framing and grammar (profile §5): the line splitter under any chunking and
 * any bytes (never holds more than its limit), command lines (parsed or rejected with a reply, never
 * thrown), reply lines and signet/VRFY/HIST reply bodies (value or PROTOCOL DimeError), and a server
 * session fed arbitrary lines (every reply is `CODE SP TEXT` CRLF; bad lines end it with 421).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DmtpSession,
  LineSplitter,
  ReplyAssembler,
  base64Encode,
  createOrgSignet,
  fingerprints,
  formatCommand,
  keysFromMaterial,
  parseCommand,
  parseHistReply,
  parseSignetReplyText,
  parseVrfyReplyText,
  type SignetStore,
  type SplitEvent,
} from '@dime/core';
import { FUZZ_SEED, Rng, check, checkAsync, fcParams, mutateTextDeep, runs } from './harness.js';

const org = createOrgSignet(keysFromMaterial('org-keys', new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)), 'example.test');
const fp = fingerprints(org);

const store: SignetStore = {
  lookup: (name, fingerprint) => (name === 'example.test' && (!fingerprint || Object.values(fp).includes(fingerprint)) ? org.bytes : undefined),
  verify: (name, fingerprint) => (name === 'example.test' && Object.values(fp).includes(fingerprint) ? { status: 'current' } : { status: 'unknown' }),
  history: () => undefined,
};

const COMMANDS = [
  'SGNT <example.test>',
  `SGNT <example.test> [${fp.full}]`,
  `VRFY <example.test> [${fp.crypto}]`,
  `HIST <alice@example.test> [${fp.id}] [${fp.full}]`,
  'SGNT DOMAIN=<example.test>',
  `SGNT USER=<alice@example.test> FINGERPRINT=[${fp.full}]`,
  'EHLO <client.example>',
  'MODE',
  'NOOP',
  'HELP SGNT',
  'STARTTLS <dx.example.test> MODE=DMTPv1',
  'QUIT',
];

describe('LineSplitter under hostile streams', () => {
  it('any chunking yields the same lines as one chunk, and never buffers more than the limit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 40 }), fc.integer({ min: 3, max: 200 }), (bytes, cuts, limit) => {
        // Bias towards line endings so lines actually complete.
        const data = bytes.map((b) => (b % 7 === 0 ? 0x0a : b % 11 === 0 ? 0x0d : b));
        const whole = new LineSplitter(limit).push(data);
        const splitter = new LineSplitter(limit);
        const events: SplitEvent[] = [];
        let at = 0;
        for (const cut of [...cuts, data.length]) {
          if (at >= data.length) break;
          events.push(...splitter.push(data.subarray(at, at + cut)));
          at += cut;
          expect(splitter.pendingLength).toBeLessThanOrEqual(limit);
        }
        // Overflow lengths depend on where the limit was crossed; compare lines and overflow counts.
        const shape = (e: SplitEvent[]) => e.map((x) => (x.kind === 'line' ? `L${x.text}` : 'O'));
        expect(shape(events)).toEqual(shape(whole));
        for (const e of events) if (e.kind === 'line') expect(e.text.length).toBeLessThan(limit);
      }),
      fcParams(600)
    );
  });

  it('an endless line (10 MB without LF) is reported once and holds no memory', () => {
    const splitter = new LineSplitter(4096);
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let overflows = 0;
    for (let i = 0; i < 160; i++) for (const e of splitter.push(chunk)) if (e.kind === 'overflow') overflows++;
    expect(overflows).toBe(1);
    expect(splitter.pendingLength).toBe(0);
    expect(splitter.isDiscarding).toBe(true);
    const after = splitter.push(new Uint8Array([0x0a, 0x4e, 0x4f, 0x4f, 0x50, 0x0d, 0x0a]));
    expect(after).toEqual([{ kind: 'line', text: 'NOOP', hasNul: false }]);
  });
});

describe('command grammar under mutation', () => {
  it('mutated command lines are parsed or rejected with a 5xx reply, never thrown', () => {
    const rng = new Rng(FUZZ_SEED + 30);
    let accepted = 0;
    for (let i = 0; i < runs(2500); i++) {
      const line = mutateTextDeep(rng, COMMANDS[i % COMMANDS.length]!, 3);
      const outcome = check('parseCommand', parseCommand, line);
      expect(outcome.ok, `parseCommand threw for ${JSON.stringify(line)}`).toBe(true);
      const parsed = (outcome as { value: ReturnType<typeof parseCommand> }).value;
      if (parsed.ok) {
        accepted++;
        // What we accept we can write back, and it reads back to the same command.
        const text = formatCommand(parsed.command);
        expect(text.endsWith('\r\n')).toBe(true);
        expect(parseCommand(text.slice(0, -2))).toEqual(parsed);
      } else {
        expect(parsed.rejection.code).toBeGreaterThanOrEqual(500);
        expect(parsed.rejection.text).not.toMatch(/[\r\n]/);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });

  it('arbitrary latin1 lines never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (line) => {
        expect(check('parseCommand', parseCommand, line).ok).toBe(true);
      }),
      fcParams(2000)
    );
  });
});

describe('reply parsing under mutation', () => {
  const signetReply = `OK [${base64Encode(org.bytes)}]`;

  it('reply lines assemble into replies or throw PROTOCOL', () => {
    const lines = ['220 <dx.example.test> DMTPv1 TSDMTP', `250 ${signetReply}`, '250-[AAAA]', '250 OK', '450 SIGNET NOT FOUND.', '221 BYE'];
    const rng = new Rng(FUZZ_SEED + 31);
    for (let i = 0; i < runs(2000); i++) {
      const assembler = new ReplyAssembler();
      for (let k = 0; k < 3; k++) {
        const outcome = check('ReplyAssembler.push', (l: string) => assembler.push(l), mutateTextDeep(rng, lines[rng.int(lines.length)]!, 2));
        if (!outcome.ok) {
          expect(outcome.error.code).toBe('PROTOCOL');
          break;
        }
      }
    }
  });

  it('signet, VRFY and HIST reply bodies return a value or throw PROTOCOL', () => {
    const rng = new Rng(FUZZ_SEED + 32);
    const vrfy = [`UPDATE [${fp.full}]`, 'CURRENT', `UPDATE ${fp.id}`];
    for (let i = 0; i < runs(2000); i++) {
      const s = check('parseSignetReplyText', parseSignetReplyText, mutateTextDeep(rng, signetReply, 2));
      if (!s.ok) expect(s.error.code).toBe('PROTOCOL');
      const v = check('parseVrfyReplyText', parseVrfyReplyText, mutateTextDeep(rng, vrfy[i % 3]!, 2));
      if (!v.ok) expect(v.error.code).toBe('PROTOCOL');
      const lines = [`[${base64Encode(org.bytes)}]`, '[AAAA]', 'OK'].map((l) => (rng.int(2) ? mutateTextDeep(rng, l, 1) : l));
      const h = check('parseHistReply', parseHistReply, { code: 250, lines });
      if (!h.ok) expect(h.error.code).toBe('PROTOCOL');
    }
  });
});

describe('server session fed hostile lines', () => {
  it('every reply is CODE SP TEXT CRLF, and repeated bad lines end the session with 421', async () => {
    const rng = new Rng(FUZZ_SEED + 33);
    for (let s = 0; s < runs(60); s++) {
      const session = new DmtpSession({ hostname: 'dx.example.test', store, dual: s % 2 === 1, maxViolations: 5 });
      for (let i = 0; i < 40 && !session.isClosed; i++) {
        const line = rng.int(3) === 0 ? COMMANDS[rng.int(COMMANDS.length)]! : mutateTextDeep(rng, COMMANDS[rng.int(COMMANDS.length)]!, 3);
        const outcome = await checkAsync('DmtpSession.handleLine', (l: string) => session.handleLine(l), line);
        expect(outcome.ok, `handleLine threw for ${JSON.stringify(line)}`).toBe(true);
        const out = (outcome as { value: { reply: string; action: string } }).value;
        if (out.reply !== '') {
          expect(out.reply.endsWith('\r\n')).toBe(true);
          for (const l of out.reply.slice(0, -2).split('\r\n')) expect(l).toMatch(/^[2-5]\d\d[ -]/);
        }
        if (out.action === 'starttls') session.tlsStarted();
      }
      expect(session.violations).toBeLessThanOrEqual(5);
    }
  });
});

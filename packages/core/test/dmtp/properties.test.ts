/** Properties of the framing and the grammar under arbitrary input (fast-check, bounded runs). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter, type SplitEvent } from '../../src/dmtp/line-splitter.js';
import { parseCommand, ReplyAssembler, formatCommand, type DmtpCommand } from '../../src/dmtp/commands.js';
import { DimeError } from '../../src/errors/dime-error.js';

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

describe('LineSplitter properties', () => {
  it('the events do not depend on how the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 20 }), fc.integer({ min: 3, max: 64 }), (bytes, cuts, max) => {
        const whole = new LineSplitter(max).push(bytes);
        const chunked = new LineSplitter(max);
        const events: SplitEvent[] = splitAt(bytes, cuts).flatMap((part) => chunked.push(part));
        expect(events).toEqual(whole);
      }),
      { numRuns: 300 }
    );
  });

  it('never buffers more than the limit and never emits a line longer than it', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 30 }), fc.integer({ min: 3, max: 50 }), (chunks, max) => {
        const splitter = new LineSplitter(max);
        for (const chunk of chunks) {
          for (const event of splitter.push(chunk)) if (event.kind === 'line') expect(event.text.length).toBeLessThanOrEqual(max - 1);
          expect(splitter.pendingLength).toBeLessThanOrEqual(max);
        }
      }),
      { numRuns: 300 }
    );
  });
});

describe('grammar properties', () => {
  it('parseCommand never throws and answers 500/501 to what it rejects', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^(SGNT|VRFY|HIST|EHLO|STARTTLS|HELP) [<>[\]=A-Za-z0-9@.+/ -]{0,120}$/)), (line) => {
        const parsed = parseCommand(line);
        if (!parsed.ok) expect([500, 501]).toContain(parsed.rejection.code);
      }),
      { numRuns: 1000 }
    );
  });

  it('formatCommand output parses back to the same command', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));
    const address = fc.tuple(fc.stringMatching(/^[a-z0-9_+-]{1,12}$/), domain).map(([local, d]) => `${local}@${d}`);
    const fp = fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64').replace(/=+$/, ''));
    const command: fc.Arbitrary<DmtpCommand> = fc.oneof(
      fc.record({ verb: fc.constant('SGNT' as const), name: fc.oneof(domain, address) }),
      fc.record({ verb: fc.constant('SGNT' as const), name: fc.oneof(domain, address), fingerprint: fp }),
      fc.record({ verb: fc.constant('VRFY' as const), name: fc.oneof(domain, address), fingerprint: fp }),
      fc.record({ verb: fc.constant('HIST' as const), address, start: fp, end: fp })
    );
    fc.assert(
      fc.property(command, (cmd) => {
        const parsed = parseCommand(formatCommand(cmd).slice(0, -2));
        expect(parsed).toEqual({ ok: true, command: cmd });
      }),
      { numRuns: 300 }
    );
  });

  it('ReplyAssembler either assembles or throws a PROTOCOL DimeError', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 10 }), (lines) => {
        const assembler = new ReplyAssembler();
        for (const line of lines) {
          try {
            assembler.push(line);
          } catch (error) {
            expect(error).toBeInstanceOf(DimeError);
            expect((error as DimeError).code).toBe('PROTOCOL');
            return;
          }
        }
      }),
      { numRuns: 500 }
    );
  });
});

import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitEvent } from '../../src/dmtp/line-splitter.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

function feed(splitter: LineSplitter, ...chunks: string[]): SplitEvent[] {
  return chunks.flatMap((chunk) => splitter.push(bytes(chunk)));
}

describe('LineSplitter', () => {
  it('splits CRLF and bare LF lines and drops one CR', () => {
    const events = feed(new LineSplitter(100), 'SGNT <a.example>\r\nNOOP\nRSET\r\r\n');
    expect(events).toEqual([
      { kind: 'line', text: 'SGNT <a.example>', hasNul: false },
      { kind: 'line', text: 'NOOP', hasNul: false },
      { kind: 'line', text: 'RSET\r', hasNul: false },
    ]);
  });

  it('keeps the remainder across chunks, even a CR split from its LF', () => {
    const splitter = new LineSplitter(100);
    expect(feed(splitter, 'SG', 'NT <x.ex', 'ample>\r')).toEqual([]);
    expect(splitter.pendingLength).toBe(17);
    expect(feed(splitter, '\nQU', 'IT\n')).toEqual([
      { kind: 'line', text: 'SGNT <x.example>', hasNul: false },
      { kind: 'line', text: 'QUIT', hasNul: false },
    ]);
    expect(splitter.pendingLength).toBe(0);
  });

  it('delivers byte-by-byte input identically', () => {
    const splitter = new LineSplitter(100);
    const text = '250-one\r\n250 two\n';
    const events = [...text].flatMap((c) => splitter.push(bytes(c)));
    expect(events.map((e) => (e.kind === 'line' ? e.text : '?'))).toEqual(['250-one', '250 two']);
  });

  it('accepts a line of exactly the maximum including CRLF, and reports one byte more as overflow', () => {
    const max = 4096;
    const ok = `${'A'.repeat(max - 2)}\r\n`;
    expect(feed(new LineSplitter(max), ok)).toEqual([{ kind: 'line', text: 'A'.repeat(max - 2), hasNul: false }]);
    const over = `${'A'.repeat(max - 1)}\r\nNOOP\r\n`;
    expect(feed(new LineSplitter(max), over)).toEqual([
      { kind: 'overflow', limit: max },
      { kind: 'line', text: 'NOOP', hasNul: false },
    ]);
  });

  it('discards the rest of an over-long line without buffering it, across chunks', () => {
    const splitter = new LineSplitter(10);
    expect(feed(splitter, 'ABCDEFGHIJK')).toEqual([{ kind: 'overflow', limit: 10 }]);
    expect(splitter.isDiscarding).toBe(true);
    expect(splitter.pendingLength).toBe(0);
    expect(feed(splitter, 'x'.repeat(100_000))).toEqual([]);
    expect(splitter.pendingLength).toBe(0);
    expect(feed(splitter, 'yy\nNOOP\n')).toEqual([{ kind: 'line', text: 'NOOP', hasNul: false }]);
  });

  it('drops NULs between lines and flags a NUL inside a line', () => {
    expect(feed(new LineSplitter(100), '250 OK\r\n\0\0', '221 BYE\r\n')).toEqual([
      { kind: 'line', text: '250 OK', hasNul: false },
      { kind: 'line', text: '221 BYE', hasNul: false },
    ]);
    expect(feed(new LineSplitter(100), 'NO\0OP\r\n')).toEqual([{ kind: 'line', text: 'NO\0OP', hasNul: true }]);
  });

  it('hands over the buffered remainder once (STARTTLS)', () => {
    const splitter = new LineSplitter(100);
    feed(splitter, 'STARTTLS <h> MODE=DMTPv1\r\nSGNT <inj');
    expect(Buffer.from(splitter.takeRemainder()).toString('latin1')).toBe('SGNT <inj');
    expect(splitter.pendingLength).toBe(0);
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new LineSplitter(0)).toThrow(RangeError);
  });
});

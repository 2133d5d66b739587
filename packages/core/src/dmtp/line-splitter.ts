/**
 * DMTP line framing (dmtp.md §2.1): bytes in, text lines out. A line ends at LF; one CR before the LF
 * is dropped, so LF and CRLF peers both work. TCP `data` events do not line up with lines, so the
 * unterminated remainder is kept across chunks.
 *
 * Limits: `maxLineLength` counts the bytes of a line including its terminator (libdime's 4096-byte
 * buffer does the same). A longer line is reported once as an overflow and the rest of it, up to the
 * next LF, is discarded without being buffered, so a peer can never make us hold more than the limit.
 *
 * NUL bytes: C peers sometimes send the string terminator after a line. NULs at the start of a line
 * (that is, between lines) are dropped; a NUL anywhere else marks the line `hasNul`, and the consumer
 * rejects it.
 */

/** A complete line, terminator removed. `text` is latin1 so every byte maps to one character. */
export interface SplitLine {
  kind: 'line';
  text: string;
  hasNul: boolean;
}

/** A line longer than the limit (`limit` bytes including its terminator); its bytes are discarded. */
export interface SplitOverflow {
  kind: 'overflow';
  limit: number;
}

export type SplitEvent = SplitLine | SplitOverflow;

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

export class LineSplitter {
  readonly maxLineLength: number;
  private parts: Uint8Array[] = [];
  private partsLength = 0;
  private discarding = false;

  constructor(maxLineLength: number) {
    if (!Number.isInteger(maxLineLength) || maxLineLength < 3) throw new RangeError(`maxLineLength must be an integer >= 3, got ${maxLineLength}`);
    this.maxLineLength = maxLineLength;
  }

  /** Bytes held for a line not yet terminated. */
  get pendingLength(): number {
    return this.partsLength;
  }

  /** True while the tail of an over-long line is being thrown away. */
  get isDiscarding(): boolean {
    return this.discarding;
  }

  /** Feeds one chunk and returns the events it completes, in order. */
  push(chunk: Uint8Array): SplitEvent[] {
    const events: SplitEvent[] = [];
    let start = 0;
    while (start < chunk.length) {
      if (this.discarding) {
        const lf = chunk.indexOf(LF, start);
        if (lf < 0) return events;
        this.discarding = false;
        start = lf + 1;
        continue;
      }
      // NULs between lines are a C peer's string terminators: skip them.
      if (this.partsLength === 0) {
        while (start < chunk.length && chunk[start] === NUL) start++;
        if (start >= chunk.length) break;
      }
      const lf = chunk.indexOf(LF, start);
      const end = lf < 0 ? chunk.length : lf + 1;
      const total = this.partsLength + (end - start);
      if (total > this.maxLineLength) {
        events.push({ kind: 'overflow', limit: this.maxLineLength });
        this.parts = [];
        this.partsLength = 0;
        if (lf < 0) {
          this.discarding = true;
          return events;
        }
        start = lf + 1;
        continue;
      }
      if (lf < 0) {
        this.parts.push(chunk.slice(start));
        this.partsLength = total;
        return events;
      }
      this.parts.push(chunk.subarray(start, lf));
      events.push(this.takeLine());
      start = lf + 1;
    }
    return events;
  }

  /**
   * Returns and forgets whatever is buffered (used at STARTTLS: bytes that followed the command in
   * plaintext must not leak into the TLS session, so the caller discards or rejects them).
   */
  takeRemainder(): Uint8Array {
    const rest = Buffer.concat(this.parts);
    this.parts = [];
    this.partsLength = 0;
    this.discarding = false;
    return new Uint8Array(rest.buffer, rest.byteOffset, rest.byteLength);
  }

  private takeLine(): SplitLine {
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.partsLength = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    const hasNul = bytes.indexOf(NUL) >= 0;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    return { kind: 'line', text, hasNul };
  }
}

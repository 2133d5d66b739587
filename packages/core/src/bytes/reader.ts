/** A bounds-checked cursor over bytes; every overrun becomes a BAD_INPUT naming `context`. */
import { badInput } from '../errors/dime-error.js';

export class ByteReader {
  readonly bytes: Uint8Array;
  offset: number;
  private readonly end: number;

  constructor(bytes: Uint8Array, offset = 0, end = bytes.length) {
    this.bytes = bytes;
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  get done(): boolean {
    return this.offset >= this.end;
  }

  private need(n: number, context: string): void {
    if (n > this.remaining) {
      throw badInput(`${context}: truncated (needs ${n} bytes, ${this.remaining} left)`);
    }
  }

  u8(context = 'u8'): number {
    this.need(1, context);
    return this.bytes[this.offset++]!;
  }

  u16(context = 'u16'): number {
    this.need(2, context);
    const v = (this.bytes[this.offset]! << 8) | this.bytes[this.offset + 1]!;
    this.offset += 2;
    return v;
  }

  u24(context = 'u24'): number {
    this.need(3, context);
    const b = this.bytes;
    const v = (b[this.offset]! << 16) | (b[this.offset + 1]! << 8) | b[this.offset + 2]!;
    this.offset += 3;
    return v;
  }

  u32(context = 'u32'): number {
    this.need(4, context);
    const b = this.bytes;
    const v =
      b[this.offset]! * 0x1000000 + ((b[this.offset + 1]! << 16) | (b[this.offset + 2]! << 8) | b[this.offset + 3]!);
    this.offset += 4;
    return v;
  }

  /** Unsigned big-endian integer of `width` bytes (1–4). */
  uint(width: number, context = 'uint'): number {
    switch (width) {
      case 1:
        return this.u8(context);
      case 2:
        return this.u16(context);
      case 3:
        return this.u24(context);
      case 4:
        return this.u32(context);
      default:
        throw new RangeError(`unsupported integer width ${width}`);
    }
  }

  /** A view (not a copy) of the next `n` bytes. */
  take(n: number, context = 'bytes'): Uint8Array {
    this.need(n, context);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  rest(): Uint8Array {
    return this.take(this.remaining);
  }

  /** Rejects leftover input: a signed structure must not carry unexplained bytes. */
  finish(context = 'input'): void {
    if (this.remaining !== 0) throw badInput(`${context}: ${this.remaining} trailing bytes`);
  }
}

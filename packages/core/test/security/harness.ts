/**
 * Fuzzing harness shared by the hostile-input tests: a seeded PRNG, byte and text mutators, and the
 * one rule every parser must follow — return a value or throw DimeError; never another exception,
 * never a hang, never unbounded memory.
 *
 * Scale: `DIME_FUZZ_SCALE` (default 1) multiplies every iteration count; `DIME_FUZZ_SEED` replaces
 * the fixed seed (the suite uses a fixed one so a failure reproduces; `scripts/fuzz-long.mjs` passes
 * a fresh one and prints it). A failure message carries the exact input in hex so it can be pasted
 * into `regressions.test.ts`.
 */
import { DimeError, concatBytes as concat, hexEncode } from '@dime/core';

export { concat };

export const FUZZ_SCALE = Math.max(1, Number(process.env.DIME_FUZZ_SCALE ?? '1') || 1);
export const FUZZ_SEED = Number(process.env.DIME_FUZZ_SEED ?? '20261203') >>> 0;

/** Iterations for a suite run, scaled for the long run. */
export function runs(base: number): number {
  return Math.round(base * FUZZ_SCALE);
}

/** fast-check parameters: fixed seed, scaled runs. */
export function fcParams(numRuns: number): { seed: number; numRuns: number } {
  return { seed: FUZZ_SEED, numRuns: runs(numRuns) };
}

/** Any single call slower than this is treated as a hang (a parser is linear; inputs are small). */
export const MAX_CALL_MS = 5_000;

/** mulberry32: small, fast, deterministic; enough for choosing mutations. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: DimeError };

/**
 * Runs `fn(input)` and enforces the contract. Throws an assertion error naming the parser and the
 * exact input (hex or JSON) when `fn` throws anything but DimeError or takes longer than MAX_CALL_MS.
 */
export function check<T>(parser: string, fn: (input: T) => unknown, input: T): Outcome {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = { ok: true, value: fn(input) };
  } catch (error) {
    if (!(error instanceof DimeError)) {
      const e = error as Error;
      throw new Error(`${parser}: threw ${e?.name ?? typeof error} (${e?.message ?? String(error)}) instead of DimeError for input ${describeInput(input)}`);
    }
    if (/[\r\n]/.test(error.message)) throw new Error(`${parser}: multi-line DimeError message for input ${describeInput(input)}`);
    outcome = { ok: false, error };
  }
  const elapsed = performance.now() - started;
  if (elapsed > MAX_CALL_MS) throw new Error(`${parser}: ${elapsed.toFixed(0)} ms for input ${describeInput(input)}`);
  return outcome;
}

/** Async variant for parsers behind promises. */
export async function checkAsync<T>(parser: string, fn: (input: T) => Promise<unknown>, input: T): Promise<Outcome> {
  try {
    return { ok: true, value: await fn(input) };
  } catch (error) {
    if (!(error instanceof DimeError)) {
      const e = error as Error;
      throw new Error(`${parser}: threw ${e?.name ?? typeof error} (${e?.message ?? String(error)}) instead of DimeError for input ${describeInput(input)}`);
    }
    return { ok: false, error };
  }
}

export function describeInput(input: unknown): string {
  if (input instanceof Uint8Array) return `hex:${hexEncode(input.length > 4096 ? input.subarray(0, 4096) : input)}${input.length > 4096 ? `… (${input.length} bytes)` : ''}`;
  const text = JSON.stringify(input);
  return text.length > 4096 ? `${text.slice(0, 4096)}… (${text.length} chars)` : text;
}

/** One mutation of `bytes`; `lengthOffsets` are positions of length fields worth editing. */
export function mutateBytes(rng: Rng, bytes: Uint8Array, lengthOffsets: readonly number[] = []): Uint8Array {
  const out = new Uint8Array(bytes);
  const n = out.length;
  switch (rng.int(9)) {
    case 0: {
      // flip 1..8 random bits
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips && n > 0; i++) out[rng.int(n)]! ^= 1 << rng.int(8);
      return out;
    }
    case 1:
      return out.subarray(0, rng.int(n + 1)); // truncate
    case 2: {
      // set a byte to an edge value
      if (n > 0) out[rng.int(n)] = rng.pick([0, 1, 0x7f, 0x80, 0xfe, 0xff, 0x40, 0xc0]);
      return out;
    }
    case 3: {
      // edit a known length field (or a random byte) to an edge value
      const at = lengthOffsets.length > 0 && rng.int(4) !== 0 ? rng.pick(lengthOffsets) : rng.int(Math.max(n, 1));
      if (at < n) out[at] = rng.pick([0, 1, 0xff, (out[at]! + 1) & 0xff, (out[at]! - 1) & 0xff, 0x80]);
      return out;
    }
    case 4: {
      // delete a slice
      const a = rng.int(n + 1);
      const b = Math.min(n, a + 1 + rng.int(16));
      return concat(out.subarray(0, a), out.subarray(b));
    }
    case 5: {
      // insert random bytes
      const a = rng.int(n + 1);
      return concat(out.subarray(0, a), rng.bytes(1 + rng.int(16)), out.subarray(a));
    }
    case 6: {
      // duplicate a slice in place (repeated fields, repeated RRs)
      const a = rng.int(n + 1);
      const b = Math.min(n, a + 1 + rng.int(80));
      return concat(out.subarray(0, b), out.subarray(a, b), out.subarray(b));
    }
    case 7: {
      // swap two slices (field reordering)
      const a = rng.int(n + 1);
      const b = Math.min(n, a + rng.int(80));
      const c = Math.min(n, b + rng.int(80));
      return concat(out.subarray(0, a), out.subarray(b, c), out.subarray(a, b), out.subarray(c));
    }
    default:
      return concat(out, rng.bytes(1 + rng.int(8))); // trailing garbage
  }
}

/** Applies 1..depth mutations. */
export function mutateBytesDeep(rng: Rng, bytes: Uint8Array, lengthOffsets: readonly number[] = [], depth = 3): Uint8Array {
  let out = bytes;
  const count = 1 + rng.int(depth);
  for (let i = 0; i < count; i++) out = mutateBytes(rng, out, lengthOffsets);
  return out;
}

const TEXT_PIECES = ['\r', '\n', '\r\n', '\r\r\n', '\t', ' ', ';', '=', '"', '\\', '\\0', '\\999', '(', ')', '\u0000', '\u00ff', 'é', '\ud800', '=', '-----', '[', ']', '@', '.', '*', '$ORIGIN', '$TTL', 'BEGIN', 'END'];

/** One textual mutation: edit characters, splice in syntax, duplicate or cut. */
export function mutateText(rng: Rng, text: string): string {
  const n = text.length;
  const at = rng.int(n + 1);
  switch (rng.int(6)) {
    case 0:
      return text.slice(0, at) + rng.pick(TEXT_PIECES) + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(Math.min(n, at + 1 + rng.int(12)));
    case 2:
      return text.slice(0, at);
    case 3: {
      const b = Math.min(n, at + 1 + rng.int(40));
      return text.slice(0, b) + text.slice(at, b) + text.slice(b);
    }
    case 4:
      return text.slice(0, at) + String.fromCharCode(rng.int(256)) + text.slice(at + 1);
    default: {
      const code = text.charCodeAt(at) || 65;
      return text.slice(0, at) + String.fromCharCode(code ^ (1 << rng.int(7))) + text.slice(at + 1);
    }
  }
}

export function mutateTextDeep(rng: Rng, text: string, depth = 3): string {
  let out = text;
  const count = 1 + rng.int(depth);
  for (let i = 0; i < count; i++) out = mutateText(rng, out);
  return out;
}

/** Heap after a forced GC when available (vitest forks run without --expose-gc: best effort). */
export function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** Bounded-memory guard for a fuzz loop: the retained heap may not grow by more than `ceilingMb`. */
export const FUZZ_HEAP_CEILING_MB = 64;

/** RRSIG validity windows in RFC 1982 serial-number arithmetic (RFC 4034 §3.1.5). */

/** a <= b in serial arithmetic modulo 2^32 (distance under 2^31). */
export function serialLessOrEqual(a: number, b: number): boolean {
  const d = ((b >>> 0) - (a >>> 0) + 0x100000000) % 0x100000000;
  return d < 0x80000000;
}

/** The 32-bit serial time of a Date. */
export function toSerialTime(date: Date): number {
  return (Math.floor(date.getTime() / 1000) % 0x100000000 + 0x100000000) % 0x100000000;
}

/**
 * A serial time shown as the absolute instant nearest to `near` (so 2106 wrap-around prints right).
 */
export function serialToDate(serial: number, near: Date): Date {
  const nowSec = Math.floor(near.getTime() / 1000);
  const base = nowSec - (nowSec % 0x100000000);
  let t = base + serial;
  if (t - nowSec > 0x80000000) t -= 0x100000000;
  else if (nowSec - t > 0x80000000) t += 0x100000000;
  return new Date(t * 1000);
}

export function formatInstant(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

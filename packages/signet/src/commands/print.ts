/** Small shared printers for the human output. */
import { FINGERPRINT_KINDS, type Fingerprints } from '@dime/core';

export function fingerprintLines(fps: Fingerprints, indent = ''): string {
  return FINGERPRINT_KINDS.filter((k) => fps[k] !== undefined)
    .map((k) => `${indent}${k.padEnd(7)}${fps[k]}\n`)
    .join('');
}

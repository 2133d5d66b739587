/**
 * Review regressions for `genrec`: it must not print a record that no TXT RR can hold (its own
 * --check-file rejected what it printed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { armorSignetObject, encodeKeys, generateKeys } from '@dime/core';
import { genrec } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'genrec-review-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keysPath = join(dir, 'org.key');
writeFileSync(keysPath, armorSignetObject(encodeKeys(generateKeys('org-keys'))));

/** `-y` flags for `count` syndicates of 30 characters each (a space, `syn=` and the name: 35 bytes). */
function syndicates(count: number): string[] {
  return Array.from({ length: count }, (_, i) => ['-y', `s${String(i).padStart(4, '0')}.syndicate.example.com.xx`]).flat();
}

describe('record size', () => {
  it('a record over one TXT RR (65535 bytes of RDATA) is a usage error naming the size', async () => {
    const r = await genrec('-k', keysPath, ...syndicates(2000), '--json');
    // "ver=1 pok=<43>" (53) + 2000 × " syn=<30>" (35) + " pol=experimental sub=strict" (28) = 70081 characters,
    // in 275 strings of at most 255 bytes: 70081 + 275 = 70356 bytes of RDATA.
    const message = 'record: 70356 bytes of TXT data, more than one TXT record holds (65535); give fewer -k/-c/-y/-d values';
    expect(r.code).toBe(2);
    expect(r.err).toBe(`genrec: error: ${message}\n`);
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'USAGE', message } });
  });

  it('a large record that fits (63081 characters, 63329 bytes of RDATA) is printed, and --check-file of its zone line accepts it', async () => {
    const made = await genrec('-k', keysPath, ...syndicates(1800), '--zone', 'example.com');
    expect(made.code).toBe(0);
    const zoneFile = join(dir, 'large.zone');
    writeFileSync(zoneFile, made.out);
    const checked = await genrec('--check-file', zoneFile, '--json');
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.out).syndicates).toHaveLength(1800);
  });
});

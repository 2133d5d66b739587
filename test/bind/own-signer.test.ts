/**
 * Zones signed by our `signZone`, served by our zone server, judged by BIND's `delv` and by `dime
 * lookup` (our validator) alike: every signing algorithm, NSEC and NSEC3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRecord, startZoneServer, type ZoneServer } from '@dime/core/dns';
import { skipWithoutBind } from './support.js';
import { buildOwnSignedHierarchy, type OwnSignedHierarchy } from './own-signer.js';
import { ensureDimeBuilt, runDime } from './run-dime.js';

const skip = skipWithoutBind('signer interop tests (delv)');

const CASES: Array<{ algorithm: number; nsec: 'nsec' | 'nsec3'; nsec3?: { iterations: number; salt: Uint8Array } }> = [
  { algorithm: 8, nsec: 'nsec3', nsec3: { iterations: 1, salt: Uint8Array.of(0xab, 0xcd) } },
  { algorithm: 8, nsec: 'nsec' },
  { algorithm: 10, nsec: 'nsec' },
  { algorithm: 13, nsec: 'nsec' },
  { algorithm: 13, nsec: 'nsec3', nsec3: { iterations: 0, salt: new Uint8Array(0) } },
  { algorithm: 14, nsec: 'nsec' },
  { algorithm: 15, nsec: 'nsec' },
  { algorithm: 15, nsec: 'nsec3', nsec3: { iterations: 0, salt: new Uint8Array(0) } },
  { algorithm: 16, nsec: 'nsec' },
];

/** Asynchronous on purpose: the zone server lives in this process and must keep answering. */
function delv(server: ZoneServer, anchors: string, name: string, type: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('delv', ['-a', anchors, '-p', String(server.port), '@127.0.0.1', name, type], { encoding: 'utf8', timeout: 20_000 }, (_err, stdout, stderr) =>
      resolve(`${stdout}${stderr}`)
    );
  });
}

describe.skipIf(skip).each(CASES)('our signer, algorithm $algorithm with $nsec', ({ algorithm, nsec, nsec3 }) => {
  let dir: string;
  let world: OwnSignedHierarchy;
  let server: ZoneServer;
  let anchors: { dsFile: string; bindFile: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dime-own-signer-'));
    world = buildOwnSignedHierarchy({ algorithm, nsec, ...(nsec3 ? { nsec3 } : {}) });
    anchors = world.writeAnchors(dir);
    server = await startZoneServer({ zones: world.zones });
    await ensureDimeBuilt();
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['.', 'test.', 'example.test.'])('dnssec-verify accepts zone %s as written by formatRecord', async (origin) => {
    const zone = world.zones.find((z) => z.origin === origin)!;
    const file = join(dir, `${origin === '.' ? 'root' : origin}zone`);
    writeFileSync(file, `${zone.records.map((rr) => formatRecord(rr)).join('\n')}\n`);
    const out = await new Promise<{ code: number; text: string }>((resolve) => {
      execFile('dnssec-verify', ['-o', origin, file], { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, text: `${stdout}${stderr}` })
      );
    });
    expect(out.text).toContain('Zone fully signed');
    expect(out.code).toBe(0);
  });

  it.each([
    ['_dx.example.test', 'TXT', '; fully validated'],
    ['foo.wild.example.test', 'TXT', '; fully validated'],
    ['nope.example.test', 'TXT', '; negative response, fully validated'],
    ['www.example.test', 'TXT', '; negative response, fully validated'],
    ['_dx.unsigned.test', 'TXT', '; unsigned answer'],
  ])('delv: %s %s', async (name, type, verdict) => {
    expect(await delv(server, anchors.bindFile, name, type)).toContain(verdict);
  });

  it.each([
    ['_dx.example.test', 'TXT', 'secure', 'NOERROR', 1],
    ['foo.wild.example.test', 'TXT', 'secure', 'NOERROR', 1],
    ['nope.example.test', 'TXT', 'secure', 'NXDOMAIN', 0],
    ['www.example.test', 'TXT', 'secure', 'NOERROR', 0],
    ['_dx.unsigned.test', 'TXT', 'insecure', 'NOERROR', 1],
  ])('dime lookup: %s %s', async (name, type, status, rcode, count) => {
    const run = await runDime(['lookup', name, type, '--resolver', server.address, '--trust-anchor', anchors.dsFile, '--json']);
    expect(run.json, run.stderr).toMatchObject({ status, rcode });
    expect(run.json.records).toHaveLength(count);
    expect(run.code).toBe(0);
  });
});

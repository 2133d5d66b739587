/**
 * Review of issue 4: a DNAME through a real recursive BIND. The resolver returns the signed DNAME and
 * an unsigned synthesised CNAME; delv calls it fully validated, and so must dime (it said bogus).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { skipWithoutBind } from './support.js';
import { ALL_AUTHORITATIVE_ADDRESSES, startBindWorld, standardZones, type BindWorld } from './world.js';
import { ensureDimeBuilt, runDime } from './run-dime.js';

const skip = skipWithoutBind('DNAME through BIND', ALL_AUTHORITATIVE_ADDRESSES);

describe.skipIf(skip)('DNAME (BIND, ED25519 + NSEC)', () => {
  let world: BindWorld;
  beforeAll(async () => {
    const zones = standardZones({ siblings: false, extraRecords: ['d DNAME example.test.'] });
    [world] = await Promise.all([startBindWorld({ variant: 'ed25519-nsec', zones }), ensureDimeBuilt()]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('delv and dime agree: an answer through a signed DNAME is secure', async () => {
    const port = world.resolver.split(':')[1]!;
    const delv = spawnSync('delv', ['-a', world.bindAnchorFile, '-p', port, '@127.0.0.1', 'www.d.example.test', 'A'], { encoding: 'utf8', timeout: 20_000 });
    expect(`${delv.stdout}${delv.stderr}`).toContain('; fully validated');
    const run = await runDime(['lookup', 'www.d.example.test', 'A', '--json', '--resolver', world.resolver, '--trust-anchor', world.trustAnchorFile]);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ status: 'secure', rcode: 'NOERROR' });
    expect(run.json.reason).toMatch(/^RRSIG A www\.example\.test by example\.test\/\d+ verified \(via CNAME www\.example\.test\)$/);
    const records = (run.json.records as string[]).map((l) => l.replace(/ \d+ IN /, ' IN '));
    expect(records).toEqual(['d.example.test. IN DNAME example.test.', 'www.d.example.test. IN CNAME www.example.test.', 'www.example.test. IN A 192.0.2.10']);
  });
});

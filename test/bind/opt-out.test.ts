/**
 * NSEC3 opt-out as .com and .net use it (RFC 5155 §6): `test.` is signed with `-A`, so the unsigned
 * delegation to unsigned.test has no NSEC3 of its own and is proven insecure only by an opt-out span.
 * BIND's `delv` and `dime` must reach the same verdicts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { skipWithoutBind } from './support.js';
import { ALL_AUTHORITATIVE_ADDRESSES, standardZones, startBindWorld, type BindWorld } from './world.js';
import { ensureDimeBuilt, runDime } from './run-dime.js';

const skip = skipWithoutBind('NSEC3 opt-out tests', ALL_AUTHORITATIVE_ADDRESSES);

describe.skipIf(skip)('NSEC3 opt-out (BIND, ECDSAP256SHA256)', () => {
  let world: BindWorld;
  beforeAll(async () => {
    const zones = [...standardZones({ siblings: false }), { name: 'unsigned.test.', signed: false }];
    [world] = await Promise.all([startBindWorld({ variant: 'ecdsap256sha256-nsec3-optout', zones }), ensureDimeBuilt()]);
  });
  afterAll(async () => {
    await world?.stop();
  });

  const [host, port] = ['127.0.0.1', () => world.resolver.split(':')[1]!];
  const delv = (name: string, type: string): string => {
    const r = spawnSync('delv', ['-a', world.bindAnchorFile, '-p', port(), `@${host}`, '+cd', name, type], { encoding: 'utf8', timeout: 20_000 });
    return `${r.stdout}${r.stderr}`;
  };
  const lookup = (name: string, type: string) =>
    runDime(['lookup', name, type, '--json', '--resolver', world.resolver, '--trust-anchor', world.trustAnchorFile]);

  it('is really opt-out: the DS query for unsigned.test gets an NSEC3 span with the opt-out flag, none of its own', () => {
    const out = execFileSync('dig', [`@${host}`, '-p', port(), '+dnssec', '+cd', '+time=2', '+tries=1', 'unsigned.test', 'DS'], { encoding: 'utf8' });
    expect(out).toMatch(/\sNSEC3\s+1 1 0 - /);
  });

  it('delv and dime agree: the opt-out delegation is insecure', async () => {
    expect(delv('_dx.unsigned.test', 'TXT')).toContain('; unsigned answer');
    const run = await lookup('_dx.unsigned.test', 'TXT');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ status: 'insecure', rcode: 'NOERROR' });
    expect(run.json.records).toHaveLength(1);
    expect(run.json.reason).toMatch(/opt-out/i);
    const chain = run.json.chain as Array<{ zone: string; status: string }>;
    expect(chain.map((l) => [l.zone, l.status])).toEqual([
      ['.', 'secure'],
      ['test.', 'secure'],
      ['unsigned.test.', 'insecure'],
    ]);
  });

  it('delv and dime agree: the signed child stays secure', async () => {
    expect(delv('_dx.example.test', 'TXT')).toContain('; fully validated');
    const run = await lookup('_dx.example.test', 'TXT');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ status: 'secure', rcode: 'NOERROR' });
  });

  it('an NXDOMAIN whose next closer lies in an opt-out span is insecure (as Unbound reads RFC 5155; delv says secure)', async () => {
    // An unsigned delegation may hide in the span, so the name's absence is not proven.
    expect(delv('nothere.test', 'TXT')).toContain('; negative response, fully validated');
    const run = await lookup('nothere.test', 'TXT');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ status: 'insecure', rcode: 'NXDOMAIN', records: [] });
    expect(run.json.reason).toMatch(/opt-out/);
  });

  // A wildcard expansion whose next closer lies in an opt-out span cannot be secure (RFC 5155 §9.2;
  // delv: "unsigned answer"; Unbound: insecure).
  it('delv calls a wildcard answer whose next closer lies in an opt-out span unsigned', () => {
    expect(delv('foo.wild.example.test', 'TXT')).toContain('; unsigned answer');
  });
  it('a wildcard answer whose next closer lies in an opt-out span is insecure, as delv says', async () => {
    const run = await lookup('foo.wild.example.test', 'TXT');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ status: 'insecure', rcode: 'NOERROR' });
    expect(run.json.records).toHaveLength(1);
    expect(run.json.reason).toBe('wildcard answer for foo.wild.example.test: next closer foo.wild.example.test lies in an NSEC3 opt-out span of example.test');
  });

  it('a wildcard NODATA whose next closer lies in an opt-out span is insecure too', async () => {
    const run = await lookup('foo.wild.example.test', 'A');
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ status: 'insecure', rcode: 'NOERROR', records: [] });
    expect(run.json.reason).toBe('NODATA A foo.wild.example.test (wildcard): next closer foo.wild.example.test lies in an NSEC3 opt-out span of example.test');
  });

  it('dime record: the record below the opt-out span is insecure, and refused with --require-dnssec', async () => {
    const base = ['record', 'unsigned.test', '--json', '--resolver', world.resolver, '--trust-anchor', world.trustAnchorFile];
    const ok = await runDime(base);
    expect(ok.code).toBe(0);
    expect(ok.json.dnssec).toBe('insecure');
    const strict = await runDime([...base, '--require-dnssec']);
    expect(strict.code).toBe(1);
    expect(strict.json.error.code).toBe('DNSSEC_INSECURE');
  });
});

/**
 * The harness itself, judged by BIND's own validator: `delv` with the world's root anchor must find
 * the healthy names "fully validated", the unsigned delegation "unsigned", and every broken zone
 * failing. If these fail, the dime tests against the world mean nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { skipWithoutBind } from './support.js';
import { ALL_AUTHORITATIVE_ADDRESSES, BIND_VARIANTS, VARIANTS, startBindWorld, type BindWorld } from './world.js';

const skip = skipWithoutBind('BIND world tests', ALL_AUTHORITATIVE_ADDRESSES);

function delv(world: BindWorld, name: string, type: string): string {
  const [host, port] = world.resolver.split(':');
  const result = spawnSync('delv', ['-a', world.bindAnchorFile, '-p', port!, `@${host}`, '+cd', name, type], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return `${result.stdout}${result.stderr}`;
}

function dig(world: BindWorld, ...args: string[]): string {
  const [host, port] = world.resolver.split(':');
  return execFileSync('dig', [`@${host}`, '-p', port!, '+time=2', '+tries=1', ...args], { encoding: 'utf8', timeout: 10_000 });
}

describe.skipIf(skip).each(BIND_VARIANTS)('BIND world %s', (variant) => {
  let world: BindWorld;
  beforeAll(async () => {
    world = await startBindWorld({ variant });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('serves the signed _dx record through the recursive resolver', () => {
    const out = dig(world, '+dnssec', '+cd', '_dx.example.test', 'TXT');
    expect(out).toContain('status: NOERROR');
    expect(out).toContain(world.zones['example.test.']!.dxText);
    const spec = VARIANTS[variant];
    expect(out).toMatch(new RegExp(`RRSIG\\s+TXT ${spec.algorithmNumber} 3 300 \\d{14} \\d{14} ${world.zones['example.test.']!.zsk} example\\.test\\.`));
  });

  it('uses NSEC3 exactly in the NSEC3 variant', () => {
    const out = dig(world, '+dnssec', '+cd', 'nope.example.test', 'TXT');
    expect(out).toContain('status: NXDOMAIN');
    if (VARIANTS[variant].nsec3) {
      expect(out).toMatch(/\sNSEC3\s+1 0 2 CAFE5A17 /);
      expect(out).not.toMatch(/\sIN\s+NSEC\s/);
    } else {
      expect(out).toMatch(/\sIN\s+NSEC\s/);
      expect(out).not.toMatch(/\sNSEC3\s/);
    }
  });

  it('answers the DS of example.test from test. (the parent), as on the Internet', () => {
    const out = dig(world, '+dnssec', '+cd', 'example.test', 'DS');
    expect(out).toMatch(new RegExp(`example\\.test\\.\\s+\\d+\\s+IN\\s+DS\\s+${world.zones['example.test.']!.ksk} `));
    expect(out).toMatch(/RRSIG\s+DS \d+ 2 300 \d{14} \d{14} \d+ test\./);
  });

  it('is fully validated by delv', () => {
    expect(delv(world, '_dx.example.test', 'TXT')).toContain('; fully validated');
    expect(delv(world, 'foo.wild.example.test', 'TXT')).toContain('; fully validated');
    expect(delv(world, 'nope.example.test', 'TXT')).toContain('; negative response, fully validated');
    expect(delv(world, 'www.example.test', 'TXT')).toContain('; negative response, fully validated');
  });

  it('has an insecure delegation to unsigned.test', () => {
    expect(delv(world, '_dx.unsigned.test', 'TXT')).toContain('; unsigned answer');
  });

  it.each(['expired.test', 'tampered.test', 'nokey.test', 'norrsig.test'])('breaks %s for delv', (zone) => {
    const out = delv(world, `_dx.${zone}`, 'TXT');
    expect(out).not.toContain('fully validated');
    expect(out).toMatch(/resolution failed|no valid signature|broken trust chain|insecurity proof failed|validation failed/);
  });

  it('wrote the anchors in three syntaxes', () => {
    const ksk = world.zones['.']!.ksk!;
    expect(readFileSync(world.trustAnchorFile, 'utf8')).toMatch(new RegExp(`^\\.\\s+IN DS ${ksk} ${VARIANTS[variant].algorithmNumber} 2 [0-9A-F]+ [0-9A-F]+\\n$`));
    expect(readFileSync(world.bindAnchorFile, 'utf8')).toMatch(new RegExp(`^trust-anchors \\{\\n  \\. static-ds ${ksk} \\d+ 2 "[0-9A-F]{64}";\\n\\};\\n$`));
    expect(readFileSync(world.dnskeyAnchorFile, 'utf8')).toMatch(/^\. IN DNSKEY 257 3 \d+ [A-Za-z0-9+/]/);
  });
});

/**
 * `dime lookup` and `dime record` (the built bin) against resolvers that never give a usable answer:
 * always exit 4 (`indeterminate`, error NETWORK), a one-line message that says what went wrong, and
 * never a hang (each run is killed after a hard limit, which would fail the test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDimeBuilt, runDime } from './run-dime.js';
import { startHostileServer, type HostileKind, type HostileServer } from './hostile-servers.js';

const TIMEOUT_MS = 300;
/** 3 attempts of TIMEOUT_MS for the first query, plus Node's start-up: far below this. */
const HARD_LIMIT_MS = 15_000;

const CASES: Array<[HostileKind, RegExp, number]> = [
  ['silent', /after 3 attempts: no answer within 300 ms over UDP$/, 3],
  ['wrong-id', /after 3 attempts: no answer within 300 ms over UDP; ignored a response with a wrong id$/, 3],
  ['wrong-question', /after 3 attempts: no answer within 300 ms over UDP; ignored a response to a different question$/, 3],
  ['truncated-then-tcp-close', /after 3 attempts: UDP answer truncated and TCP connection closed after \d+ of \d+ bytes$/, 6],
  [
    'garbage',
    /after 3 attempts: no answer within 300 ms over UDP; ignored a 4-byte packet, too short for a DNS header, a response with 42405 questions instead of ours, a malformed response \(.+\)$/,
    3,
  ],
  ['refused', /: server answered REFUSED$/, 1],
];

describe.each(CASES)('dime against a %s resolver', (kind, message, queries) => {
  let server: HostileServer;
  beforeAll(async () => {
    [server] = await Promise.all([startHostileServer(kind), ensureDimeBuilt()]);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('dime lookup: exit 4, indeterminate, a clear message', async () => {
    const before = server.queries();
    const run = await runDime(['lookup', '_dx.example.test', 'TXT', '--json', '--resolver', server.resolver, '--timeout', String(TIMEOUT_MS)], HARD_LIMIT_MS);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(4);
    expect(run.json).toMatchObject({ name: '_dx.example.test.', type: 'TXT', status: 'indeterminate', records: [], error: { code: 'NETWORK' } });
    const reason: string = run.json.reason;
    // The walk starts at the root key, so the first question, and the one that fails, is `. DNSKEY`.
    expect(reason.startsWith(`no answer for DNSKEY .: no usable answer from ${server.resolver} for . DNSKEY`)).toBe(true);
    expect(reason).toMatch(message);
    expect(run.json.error.message).toBe(`indeterminate: ${reason}`);
    expect(run.stderr).toBe(`dime: error: indeterminate: ${reason}\n`);
    // The first failing question ends the lookup: no retry storm.
    expect(server.queries() - before).toBe(queries);
  });

  it('dime record: exit 4, record fields null, the same message', async () => {
    const run = await runDime(['record', 'example.test', '--json', '--resolver', server.resolver, '--timeout', String(TIMEOUT_MS)], HARD_LIMIT_MS);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(4);
    expect(run.json).toMatchObject({ domain: 'example.test', source: 'dns', dnssec: 'indeterminate', version: null, pok: null, error: { code: 'NETWORK' } });
    expect(run.json.reason).toMatch(message);
    expect(run.stderr).toBe(`dime: error: indeterminate: ${run.json.reason}\n`);
  });

  it('prints the human form too, with the error on stderr', async () => {
    const run = await runDime(['lookup', '_dx.example.test', 'TXT', '--resolver', server.resolver, '--timeout', String(TIMEOUT_MS)], HARD_LIMIT_MS);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/^; indeterminate \(SERVFAIL\): no answer for DNSKEY \.: no usable answer from /);
    expect(run.stderr.split('\n')).toHaveLength(2);
  });
});

describe('dime against a closed port', () => {
  it('exits 4 with "port unreachable", quickly', async () => {
    await ensureDimeBuilt();
    const run = await runDime(['lookup', 'example.test', 'A', '--json', '--resolver', '127.0.0.1:9', '--timeout', '2000'], HARD_LIMIT_MS);
    expect(run.code).toBe(4);
    expect(run.json.reason).toMatch(/^no answer for DNSKEY \.: no usable answer from 127\.0\.0\.1:9 for \. DNSKEY after 3 attempts: UDP port unreachable \(connection refused\)$/);
    expect(run.elapsed).toBeLessThan(HARD_LIMIT_MS);
  });
});

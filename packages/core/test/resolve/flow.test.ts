/**
 * The resolution flow against a real DX on loopback and an in-memory signed hierarchy: org and user
 * signets, every fingerprint form, the failures the contract lists with their codes, VRFY, HIST with
 * custody, dual mode, a DX that is down; and DX discovery order with a scripted DNS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { parseZoneFile, type ResourceRecord } from '@dime/core/dns';
import { createSsr, generateKeys, signSsr } from '@dime/core/signet';
import { checkSignet, discoverDx, hostAddresses, resolveSignet, signetHistory, type DnsAnswer, type DnsLookup, type ResolveOptions } from '@dime/core/resolve';
import { parseRecord } from '@dime/core/record';
import { certificates, dnsWorld, identities, ListStore, pin, recordText, startDx, type Dx } from './world.js';

let dx: Dx;
beforeAll(async () => {
  dx = await startDx(certificates().good);
});
afterAll(async () => {
  await dx?.close();
});

function options(extra: ResolveOptions = {}): ResolveOptions {
  const { transport, anchors } = dnsWorld({ example: recordText({ tls: [pin(certificates().good.der)] }) });
  return { transport, anchors, port: dx.port, timeoutMs: 5000, ...extra };
}

const ids = identities();
const hex = (fp: string) => Buffer.from(fp, 'base64').toString('hex');

describe('resolveSignet', () => {
  it('a user signet by each of its four fingerprints, in 86/88/128-character forms', async () => {
    const fps = ids.aliceRotated.fps;
    const forms = [fps.ssr, `${fps.crypto}==`, hex(fps.full).toUpperCase(), fps.id];
    for (const fingerprint of forms) {
      const result = await resolveSignet('Alice@Example.Test', options({ fingerprint }));
      expect(result.error).toBeNull();
      expect(result.name).toBe('alice@example.test');
      expect(result.verified).toBe(true);
      expect(result.signet?.signet.type).toBe('user');
      expect(result.signet?.fingerprints).toEqual(fps);
      expect(result.signet?.state).toBe('id');
      expect(result.org?.fingerprints).toEqual(ids.org.fps);
    }
    const old = await resolveSignet('alice@example.test', options({ fingerprint: ids.alice.fps.full }));
    expect(old.signet?.fingerprints).toEqual(ids.alice.fps);
    const current = await resolveSignet('alice@example.test', options());
    expect(current.signet?.fingerprints).toEqual(fps);
  });

  it('the org signet, with and without its fingerprint', async () => {
    const plain = await resolveSignet('example.test', options());
    expect([plain.error, plain.signet?.fingerprints, plain.org?.fingerprints]).toEqual([null, ids.org.fps, ids.org.fps]);
    const byFp = await resolveSignet('example.test', options({ fingerprint: ids.org.fps.id }));
    expect(byFp.verified).toBe(true);
  });

  it('an unknown fingerprint: NOT_FOUND (exit 1)', async () => {
    const result = await resolveSignet('alice@example.test', options({ fingerprint: ids.mallory.fps.full }));
    expect(result.error?.code).toBe('NOT_FOUND');
    expect(result.error?.exitCode).toBe(1);
    expect(result.error?.message).toBe(`SGNT <alice@example.test> [${ids.mallory.fps.full}]: 127.0.0.1:${dx.port} answered 450 SIGNET NOT FOUND.`);
    expect(result.org?.fingerprints).toEqual(ids.org.fps);
  });

  it('a DX that answers with another signet than the one asked for: FINGERPRINT_MISMATCH', async () => {
    const lying = new ListStore().add('example.test', ids.org.signet).add('alice@example.test', ids.alice.signet);
    lying.lookup = (name) => (name === 'example.test' ? ids.org.signet.bytes : ids.alice.signet.bytes);
    const liar = await startDx(certificates().good, lying);
    try {
      const result = await resolveSignet('alice@example.test', { ...options({ fingerprint: ids.aliceRotated.fps.full }), port: liar.port });
      expect(result.error?.code).toBe('FINGERPRINT_MISMATCH');
      expect(result.error?.exitCode).toBe(1);
      expect(result.signet).toBeNull();
    } finally {
      await liar.close();
    }
  });

  it('a DX that answers with another user\'s signet (field 254 names bob): FINGERPRINT_MISMATCH', async () => {
    const bobKeys = generateKeys('user-keys');
    const bob = signSsr(createSsr(bobKeys), ids.orgKeys, 'bob@example.test');
    const swapping = new ListStore().add('example.test', ids.org.signet).add('alice@example.test', bob);
    const liar = await startDx(certificates().good, swapping);
    try {
      const result = await resolveSignet('alice@example.test', { ...options(), port: liar.port });
      expect(result.error?.code).toBe('FINGERPRINT_MISMATCH');
      expect(result.error?.message).toBe(`127.0.0.1:${liar.port} answered for alice@example.test with the signet of "bob@example.test"`);
      expect(result.signet).toBeNull();
    } finally {
      await liar.close();
    }
  });

  it('a record whose pok is not the org signet\'s: SIGNATURE_INVALID', async () => {
    const otherPok = generateKeys('org-keys');
    const { transport, anchors } = dnsWorld({ example: recordText({ pok: Buffer.from(otherPok.signingPublic).toString('base64').replace(/=+$/, ''), tls: [pin(certificates().good.der, otherPok)] }) });
    const result = await resolveSignet('alice@example.test', { transport, anchors, port: dx.port });
    expect(result.dx?.trust).toBe('dime-record');
    expect(result.error?.code).toBe('SIGNATURE_INVALID');
    expect(result.error?.message).toBe("org signet of example.test: its POK is not one of the record's pok= values (1 published)");
    expect(result.org).toBeNull();
  });

  it('a user signet signed by another org: SIGNATURE_INVALID', async () => {
    const result = await resolveSignet('mallory@example.test', options());
    expect(result.error?.code).toBe('SIGNATURE_INVALID');
    expect(result.error?.message).toBe('user signet of mallory@example.test: state invalid against the org signet of example.test, expected at least crypto; failing: field 6 (crypto), field 253 (full), field 255 (id)');
    expect(result.org?.fingerprints).toEqual(ids.org.fps);
    expect(result.signet).toBeNull();
  });

  it('--starttls: the same lookup through the dual-mode listener', async () => {
    const wire: string[] = [];
    const result = await resolveSignet('alice@example.test', options({ starttls: true, port: dx.dualPort, fingerprint: ids.aliceRotated.fps.crypto, wireLog: (line) => wire.push(line) }));
    expect(result.error).toBeNull();
    expect(result.dx).toMatchObject({ port: dx.dualPort, starttls: true, trust: 'dime-record' });
    expect(wire[0]).toMatch(/^S: 220 <dx\.example\.test> ESMTP DMTPv1 /);
    expect(wire[1]).toBe('C: STARTTLS <dx.example.test> MODE=DMTPv1');
    expect(wire).toContain(`C: SGNT <alice@example.test> [${ids.aliceRotated.fps.crypto}]`);
    expect(wire[wire.length - 2]).toBe('C: QUIT');
  });

  it('a DX that is down: NETWORK (exit 4)', async () => {
    const port = await closedPort();
    const result = await resolveSignet('example.test', options({ port, timeoutMs: 2000 }));
    expect(result.error?.code).toBe('NETWORK');
    expect(result.error?.exitCode).toBe(4);
    expect(result.error?.message).toMatch(new RegExp(`^no usable DX for example\\.test: dx\\.example\\.test:${port}: connect to 127\\.0\\.0\\.1:${port} failed: connection refused`));
    expect(result.record?.dnssec).toBe('secure');
  });

  it('a DX that accepts and stays silent: NETWORK (exit 4) after the timeout, no hang', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const result = await resolveSignet('example.test', options({ port, timeoutMs: 300 }));
      expect(result.error?.code).toBe('NETWORK');
      expect(result.error?.message).toBe(`no usable DX for example.test: dx.example.test:${port}: TLS handshake with 127.0.0.1:${port} timed out after 300 ms`);
    } finally {
      silent.close();
    }
  });

  it('a bad name or fingerprint is a usage error, thrown before any packet', async () => {
    await expect(resolveSignet('not a name', options())).rejects.toMatchObject({ code: 'USAGE' });
    await expect(resolveSignet('example.test', options({ fingerprint: 'abc' }))).rejects.toMatchObject({ code: 'USAGE', message: 'fingerprint: 3 characters, expected 86 (base64), 88 (padded base64) or 128 (hex)' });
  });
});

describe('checkSignet (VRFY) and signetHistory (HIST)', () => {
  it('-c: current, and outdated with the newest fingerprint (OUTDATED)', async () => {
    const current = await checkSignet('alice@example.test', { ...options(), fingerprint: ids.aliceRotated.fps.ssr });
    expect([current.current, current.requested, current.newest, current.error]).toEqual([true, ids.aliceRotated.fps.ssr, ids.aliceRotated.fps.ssr, null]);
    const old = await checkSignet('alice@example.test', { ...options(), fingerprint: ids.alice.fps.crypto });
    expect([old.current, old.newest]).toEqual([false, ids.aliceRotated.fps.full]);
    expect(old.error?.code).toBe('OUTDATED');
    expect(old.error?.exitCode).toBe(1);
    expect(old.error?.message).toBe(`the signet ${ids.alice.fps.crypto} of alice@example.test is out of date; the newest fingerprint is ${ids.aliceRotated.fps.full}`);
  });

  it('-H: the rotation chain verifies link by link', async () => {
    const result = await signetHistory('alice@example.test', { ...options(), fingerprint: ids.alice.fps.full });
    expect(result.error).toBeNull();
    expect(result.verified).toBe(true);
    expect(result.chain.map((link) => [link.fingerprints.full, link.custody, link.state])).toEqual([
      [ids.alice.fps.full, 'start', 'id'],
      [ids.aliceRotated.fps.full, 'ok', 'id'],
    ]);
    const upTo = await signetHistory('alice@example.test', { ...options(), fingerprint: ids.alice.fps.full, end: ids.alice.fps.id });
    expect(upTo.chain.map((link) => link.custody)).toEqual(['start']);
  });

  it('-H: a key change without custody, and a custody signature by the wrong key, are CUSTODY', async () => {
    const stranger = generateKeys('user-keys');
    const noCustody = signSsr(createSsr(generateKeys('user-keys')), ids.orgKeys, 'alice@example.test');
    const wrongCustody = signSsr(createSsr(generateKeys('user-keys'), { custody: stranger }), ids.orgKeys, 'alice@example.test');
    for (const [next, custody, text] of [
      [noCustody, 'missing', 'signet 2 changes the signing key without a custody signature by signet 1\'s key'],
      [wrongCustody, 'bad', 'the custody signature of signet 2 does not verify under signet 1\'s key'],
    ] as const) {
      const store = new ListStore().add('example.test', ids.org.signet).add('alice@example.test', ids.alice.signet).add('alice@example.test', next);
      const other = await startDx(certificates().good, store);
      try {
        const result = await signetHistory('alice@example.test', { ...options(), port: other.port, fingerprint: ids.alice.fps.ssr });
        expect(result.verified).toBe(false);
        expect(result.error?.code).toBe('CUSTODY');
        expect(result.error?.exitCode).toBe(1);
        expect(result.error?.message).toBe(`history of alice@example.test: ${text}`);
        expect(result.chain.map((link) => link.custody)).toEqual(['start', custody]);
      } finally {
        await other.close();
      }
    }
  });

  it('-H is for user signets, with a start fingerprint', async () => {
    await expect(signetHistory('example.test', { ...options(), fingerprint: ids.org.fps.full })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

/** A scripted DNS: answers from zone lines, every one `secure`, the rest NXDOMAIN. */
function scripted(lines: string, statuses: Record<string, DnsAnswer['status']> = {}): DnsLookup & { asked: string[] } {
  const records = parseZoneFile(lines, { origin: 'example.test.', defaultTtl: 300 });
  const asked: string[] = [];
  const lookup = async (name: string, type: string): Promise<DnsAnswer> => {
    asked.push(`${name} ${type}`);
    const found: ResourceRecord[] = records.filter((rr) => rr.name.toLowerCase() === name.toLowerCase() && rr.type === type);
    const status = statuses[`${name} ${type}`] ?? 'secure';
    return { status, reason: 'scripted', rcode: found.length > 0 ? 'NOERROR' : 'NXDOMAIN', records: status === 'bogus' ? [] : found };
  };
  return Object.assign(lookup, { asked });
}

describe('DX discovery (profile §5)', () => {
  const noDx = parseRecord('ver=1 pok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  const withDx = parseRecord('ver=1 pok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA dx=b.example.test dx=A.example.test.');
  const mx = 'example.test. MX 20 mx2\nexample.test. MX 10 mx1\nexample.test. MX 30 mx3\nexample.test. MX 40 mx4\n';
  const short = (list: { host: string; port: number; starttls: boolean }[]) => list.map((c) => `${c.host}:${c.port}${c.starttls ? '+tls' : ''}`);

  it('dx= hosts in record order on the DX port, no MX lookup', async () => {
    const lookup = scripted(mx);
    expect(short(await discoverDx('example.test', withDx, lookup))).toEqual(['b.example.test:26', 'a.example.test:26']);
    expect(short(await discoverDx('example.test', withDx, lookup, { port: 2626 }))).toEqual(['b.example.test:2626', 'a.example.test:2626']);
    expect(lookup.asked).toEqual([]);
  });

  it('without dx=: three MX by preference, each on 26, then dual mode on 25 and 587; then the domain', async () => {
    expect(short(await discoverDx('example.test', noDx, scripted(mx)))).toEqual([
      'mx1.example.test:26', 'mx1.example.test:25+tls', 'mx1.example.test:587+tls',
      'mx2.example.test:26', 'mx2.example.test:25+tls', 'mx2.example.test:587+tls',
      'mx3.example.test:26', 'mx3.example.test:25+tls', 'mx3.example.test:587+tls',
      'example.test:26',
    ]);
    expect(short(await discoverDx('example.test', noDx, scripted(mx), { port: 9026 }))).toEqual(['mx1.example.test:9026', 'mx2.example.test:9026', 'mx3.example.test:9026', 'example.test:9026']);
    expect(short(await discoverDx('example.test', noDx, scripted(mx), { starttls: true }))).toEqual(['mx1.example.test:25+tls', 'mx2.example.test:25+tls', 'mx3.example.test:25+tls', 'example.test:25+tls']);
  });

  it('no MX, a null MX, or a bogus MX answer: the domain itself', async () => {
    expect(short(await discoverDx('example.test', noDx, scripted('')))).toEqual(['example.test:26']);
    expect(short(await discoverDx('example.test', noDx, scripted('example.test. MX 0 .')))).toEqual(['example.test:26']);
    expect(short(await discoverDx('example.test', noDx, scripted(mx, { 'example.test. MX': 'bogus' })))).toEqual(['example.test:26']);
  });

  it('-d replaces discovery; -p and --starttls apply to it', async () => {
    expect(short(await discoverDx('example.test', withDx, scripted(mx), { dxHost: 'dx.other.test.', port: 25, starttls: true }))).toEqual(['dx.other.test:25+tls']);
  });

  it('host addresses through the same resolver: A then AAAA, -4/-6, bogus answers dropped', async () => {
    const zone = 'dx A 127.0.0.1\ndx AAAA ::1\nv6 AAAA ::1\nforged A 192.0.2.1\n';
    expect(await hostAddresses('dx.example.test', scripted(zone), undefined)).toEqual({ addresses: ['127.0.0.1', '::1'] });
    expect(await hostAddresses('dx.example.test', scripted(zone), 6)).toEqual({ addresses: ['::1'] });
    expect(await hostAddresses('v6.example.test', scripted(zone), 4)).toEqual({ addresses: [], reason: 'v6.example.test: A NXDOMAIN (no such name)' });
    expect(await hostAddresses('forged.example.test', scripted(zone, { 'forged.example.test. A': 'bogus' }), 4)).toEqual({ addresses: [], reason: 'forged.example.test: A bogus: scripted' });
    expect(await hostAddresses('::1', scripted(zone), 4)).toEqual({ addresses: [], reason: '::1 is not an IPv4 address' });
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}


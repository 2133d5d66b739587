/**
 * The DX certificate policy of profile §4, one test per table row, through the whole flow: records
 * served by an in-memory signed hierarchy and validated by our validator, a real DX on loopback
 * speaking DMTP over TLS. Plus the pure decision function, row by row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DimeError } from '@dime/core/errors';
import { decideDxTrust, resolveSignet, NOT_PINNED_MESSAGE, PIN_NEEDS_SECURE_MESSAGE, type ResolveOptions } from '@dime/core/resolve';
import { pokOf } from '@dime/core/signet';
import { certificates, dnsWorld, identities, pin, recordText, startDx, DX_HOST, type Dx, type DnsWorldOptions } from './world.js';

let dx: Dx;
let expiredDx: Dx;
beforeAll(async () => {
  dx = await startDx(certificates().good);
  expiredDx = await startDx(certificates().expired);
});
afterAll(async () => {
  await dx?.close();
  await expiredDx?.close();
});

function options(world: DnsWorldOptions, extra: ResolveOptions = {}): ResolveOptions & { transport: ReturnType<typeof dnsWorld>['transport'] } {
  const { transport, anchors } = dnsWorld(world);
  return { transport, anchors, port: dx.port, timeoutMs: 5000, ...extra };
}

const goodPin = () => pin(certificates().good.der);
const otherPin = () => pin(certificates().other.der);
const ca = () => [certificates().good.certPem];

describe('profile §4 DX certificate table, end to end', () => {
  it('row 1: secure record, a tls= matches → accept as dime-record (PKIX not needed)', async () => {
    const result = await resolveSignet('example.test', options({ example: recordText({ tls: [goodPin()] }) }));
    expect(result.error).toBeNull();
    expect(result.verified).toBe(true);
    expect(result.record?.dnssec).toBe('secure');
    expect(result.dx).toEqual({ host: DX_HOST, port: dx.port, address: '127.0.0.1', starttls: false, trust: 'dime-record' });
    expect(result.signet?.fingerprints).toEqual(identities().org.fps);
  });

  it('row 2: tls= present, none matches → reject "certificate not pinned by the record", secure or insecure, even when PKIX passes', async () => {
    for (const [name, world] of [
      ['example.test', { example: recordText({ tls: [otherPin()] }) }],
      ['plain.test', { plain: recordText({ tls: [otherPin()] }) }],
    ] as const) {
      const result = await resolveSignet(name, options(world, { ca: ca() }));
      expect(result.verified).toBe(false);
      expect(result.error?.code).toBe('CERT_UNTRUSTED');
      expect(result.error?.exitCode).toBe(1);
      expect(result.error?.message).toBe(`no usable DX for ${name}: ${DX_HOST}:${dx.port}: ${NOT_PINNED_MESSAGE} (1 tls= value tried against 1 pok)`);
      expect(result.dx).toBeNull();
      expect(result.signet).toBeNull();
    }
  });

  it('row 3: insecure record, a tls= matches, PKIX passes → accept as pkix', async () => {
    const result = await resolveSignet('plain.test', options({ plain: recordText({ tls: [goodPin()] }) }, { ca: ca() }));
    expect(result.error).toBeNull();
    expect(result.record?.dnssec).toBe('insecure');
    expect(result.dx?.trust).toBe('pkix');
    expect(result.signet?.fingerprints).toEqual(identities().plainOrg.fps);
  });

  it('row 4: insecure record, a tls= matches, PKIX fails → reject "a pin needs a secure record"', async () => {
    const result = await resolveSignet('plain.test', options({ plain: recordText({ tls: [goodPin()] }) }));
    expect(result.error?.code).toBe('CERT_UNTRUSTED');
    expect(result.error?.message).toMatch(new RegExp(`^no usable DX for plain.test: ${DX_HOST}:${dx.port}: ${PIN_NEEDS_SECURE_MESSAGE}: the record is insecure and PKIX fails: certificate does not chain to a trusted root \\(DEPTH_ZERO_SELF_SIGNED_CERT\\)$`));
  });

  it('row 5: no tls=, PKIX passes → accept as pkix, secure or insecure', async () => {
    const secure = await resolveSignet('example.test', options({}, { ca: ca() }));
    expect([secure.error, secure.record?.dnssec, secure.dx?.trust]).toEqual([null, 'secure', 'pkix']);
    const insecure = await resolveSignet('plain.test', options({}, { ca: ca() }));
    expect([insecure.error, insecure.record?.dnssec, insecure.dx?.trust]).toEqual([null, 'insecure', 'pkix']);
  });

  it('row 6: no tls=, PKIX fails → reject (untrusted root; a certificate not naming the host dialled)', async () => {
    const noRoot = await resolveSignet('example.test', options({}));
    expect(noRoot.error?.code).toBe('CERT_UNTRUSTED');
    expect(noRoot.error?.message).toBe(`no usable DX for example.test: ${DX_HOST}:${dx.port}: no tls= in the record and PKIX fails: certificate does not chain to a trusted root (DEPTH_ZERO_SELF_SIGNED_CERT)`);
    const byAddress = await resolveSignet('example.test', options({}, { ca: ca(), dxHost: '127.0.0.1' }));
    expect(byAddress.error?.code).toBe('CERT_UNTRUSTED');
    expect(byAddress.error?.message).toBe(`no usable DX for example.test: 127.0.0.1:${dx.port}: no tls= in the record and PKIX fails: certificate does not name 127.0.0.1`);
  });

  it('row 7: a bogus record stops before connecting (exit 1); an indeterminate one too (exit 4)', async () => {
    const opts = options({ forged: recordText({ tls: [goodPin()] }) });
    const bogus = await resolveSignet('forged.test', opts);
    expect(bogus.error?.code).toBe('DNSSEC_BOGUS');
    expect(bogus.error?.exitCode).toBe(1);
    expect(bogus.error?.message).toMatch(/^_dx\.forged\.test TXT is bogus: /);
    expect(bogus.record).toMatchObject({ domain: 'forged.test', source: 'dns', dnssec: 'bogus' });
    expect(bogus.record?.record).toBeUndefined();
    expect(bogus.dx).toBeNull();
    // No address was even looked up for a DX.
    expect(opts.transport.queries.some((q) => /^dx\./i.test(q.name))).toBe(false);

    const silent = await resolveSignet('example.test', {
      transport: { query: async () => Promise.reject(new DimeError('NETWORK', 'no answer from 127.0.0.1:53 after 3 attempts')) },
      anchors: dnsWorld().anchors,
      port: dx.port,
    });
    expect(silent.error?.code).toBe('NETWORK');
    expect(silent.error?.exitCode).toBe(4);
    expect(silent.record?.dnssec).toBe('indeterminate');
    expect(silent.dx).toBeNull();
  });

  it('a pinned certificate must be inside its dates, even with a secure record', async () => {
    const expired = certificates().expired;
    const result = await resolveSignet('example.test', { ...options({ example: recordText({ tls: [pin(expired.der)] }) }), port: expiredDx.port });
    expect(result.error?.code).toBe('CERT_UNTRUSTED');
    expect(result.error?.message).toMatch(new RegExp(`^no usable DX for example.test: ${DX_HOST}:${expiredDx.port}: pinned certificate expired \\d{4}-\\d\\d-\\d\\dT`));
  });

  it('--require-dnssec turns an insecure record into DNSSEC_INSECURE (exit 1), before connecting', async () => {
    const result = await resolveSignet('plain.test', options({}, { ca: ca(), requireDnssec: true }));
    expect(result.error?.code).toBe('DNSSEC_INSECURE');
    expect(result.error?.exitCode).toBe(1);
    expect(result.dx).toBeNull();
  });

  it('-i: a record file is secure (pin alone suffices); with -0 insecure (a pin then needs PKIX)', async () => {
    const text = `_dx.example.test. 3600 IN TXT "${recordText({ tls: [goodPin()] })}"\n`;
    const fromFile = await resolveSignet('example.test', options({ example: 'ver=1 pok=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, { recordText: text }));
    expect(fromFile.error).toBeNull();
    expect(fromFile.record).toMatchObject({ source: 'file', dnssec: 'secure' });
    expect(fromFile.dx?.trust).toBe('dime-record');
    const insecure = await resolveSignet('example.test', options({}, { recordText: text, recordInsecure: true }));
    expect(insecure.record).toMatchObject({ source: 'file', dnssec: 'insecure' });
    expect(insecure.error?.message).toMatch(PIN_NEEDS_SECURE_MESSAGE);
  });
});

describe('decideDxTrust (the table as a pure function)', () => {
  const ids = identities();
  const certs = certificates();
  const withTls = { pok: [pokOf(ids.orgKeys)], tls: [pin(certs.good.der)] };
  const noTls = { pok: withTls.pok, tls: [] as string[] };
  const base = { der: certs.good.der, host: DX_HOST };

  it('decides each row', () => {
    expect(decideDxTrust({ ...base, dnssec: 'secure', record: withTls, chainTrusted: false })).toMatchObject({ accept: true, trust: 'dime-record' });
    expect(decideDxTrust({ ...base, dnssec: 'secure', record: { ...withTls, tls: [pin(certs.other.der)] }, chainTrusted: true })).toMatchObject({ accept: false, reason: expect.stringMatching(/^certificate not pinned by the record/) });
    expect(decideDxTrust({ ...base, dnssec: 'insecure', record: withTls, chainTrusted: true })).toMatchObject({ accept: true, trust: 'pkix' });
    expect(decideDxTrust({ ...base, dnssec: 'insecure', record: withTls, chainTrusted: false })).toMatchObject({ accept: false, reason: expect.stringMatching(/^a pin needs a secure record/) });
    expect(decideDxTrust({ ...base, dnssec: 'secure', record: noTls, chainTrusted: true })).toMatchObject({ accept: true, trust: 'pkix' });
    expect(decideDxTrust({ ...base, dnssec: 'insecure', record: noTls, chainTrusted: false })).toMatchObject({ accept: false });
    // PKIX also needs the host name and the dates.
    expect(decideDxTrust({ ...base, host: 'other.example.test', dnssec: 'secure', record: noTls, chainTrusted: true })).toEqual({ accept: false, reason: 'no tls= in the record and PKIX fails: certificate does not name other.example.test' });
    expect(decideDxTrust({ ...base, dnssec: 'secure', record: noTls, chainTrusted: true, now: new Date(Date.now() + 900 * 86400_000) })).toMatchObject({ accept: false, reason: expect.stringMatching(/PKIX fails: certificate expired/) });
  });

  it('tries every tls= against every pok (libdime B9 fixed)', () => {
    const other = pin(certs.other.der);
    const record = { pok: ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', withTls.pok[0]!], tls: [other, pin(certs.good.der)] };
    expect(decideDxTrust({ ...base, dnssec: 'secure', record, chainTrusted: false })).toEqual({ accept: true, trust: 'dime-record', reason: 'tls= #2 matches under pok #2, record secure' });
  });
});

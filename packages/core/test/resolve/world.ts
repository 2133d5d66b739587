/**
 * An offline DIME world for the resolution flow: a DNSSEC hierarchy made with our signer and served
 * in memory (`.` → `test.` → `example.test.` signed; `plain.test.` an unsigned delegation;
 * `forged.test.` signed, with its `_dx` TXT edited after signing), and a real DX on loopback (the
 * core DmtpServer over TLS) holding real signets. Each domain's record is given by the test.
 */
import { createZoneTransport, parseZoneFile, type AuthoritativeZone, type DnsTransport, type ResourceRecord } from '@dime/core/dns';
import { dnskeyRdataOf, dsFromDnskey, generateZoneKey, signZone, type TrustAnchor, type ZoneKey } from '@dime/core/dnssec';
import { DmtpServer, createSelfSignedCertificate, type SelfSignedCertificate } from '@dime/core/dmtp';
import { createOrgSignet, createSsr, fingerprints, generateKeys, pokOf, signSsr, type Fingerprints, type SignetKeys, type SignetObject } from '@dime/core/signet';
import { signCertificate } from '@dime/core/record';
import { encodeTxt } from '@dime/core/dns';
import { MemoryStore as ListStore } from '../dmtp/fixtures.js';

export const INCEPTION = new Date('2026-01-01T00:00:00Z');
export const EXPIRATION = new Date('2030-01-01T00:00:00Z');
export const DX_HOST = 'dx.example.test';

/** A store with the semantics of profile §5, in publish order (the DMTP tests' in-memory store). */
export { ListStore };

export interface Identity {
  keys: SignetKeys;
  signet: SignetObject;
  fps: Required<Fingerprints>;
}

function identity(keys: SignetKeys, signet: SignetObject): Identity {
  return { keys, signet, fps: fingerprints(signet) as Required<Fingerprints> };
}

export interface Identities {
  orgKeys: SignetKeys;
  org: Identity;
  /** The same org keys, for plain.test and forged.test. */
  plainOrg: Identity;
  alice: Identity;
  /** Alice after a key rotation: new keys, custody signature by the old key. */
  aliceRotated: Identity;
  /** A user signet for mallory@example.test signed by another organisation's keys. */
  mallory: Identity;
}

let cachedIdentities: Identities | undefined;
export function identities(): Identities {
  if (cachedIdentities) return cachedIdentities;
  const orgKeys = generateKeys('org-keys');
  const org = identity(orgKeys, createOrgSignet(orgKeys, 'example.test', { name: 'Example Org' }));
  const plainOrg = identity(orgKeys, createOrgSignet(orgKeys, 'plain.test', { name: 'Plain Org' }));
  const aliceKeys = generateKeys('user-keys');
  const alice = identity(aliceKeys, signSsr(createSsr(aliceKeys), orgKeys, 'alice@example.test', { name: 'Alice' }));
  const rotatedKeys = generateKeys('user-keys');
  const aliceRotated = identity(rotatedKeys, signSsr(createSsr(rotatedKeys, { custody: aliceKeys }), orgKeys, 'alice@example.test', { name: 'Alice' }));
  const otherOrg = generateKeys('org-keys');
  const malloryKeys = generateKeys('user-keys');
  const mallory = identity(malloryKeys, signSsr(createSsr(malloryKeys), otherOrg, 'mallory@example.test'));
  cachedIdentities = { orgKeys, org, plainOrg, alice, aliceRotated, mallory };
  return cachedIdentities;
}

let cachedCerts: { good: SelfSignedCertificate; expired: SelfSignedCertificate; other: SelfSignedCertificate } | undefined;
/** The DX certificate, an expired one for the same host, and one for another host. */
export function certificates(): { good: SelfSignedCertificate; expired: SelfSignedCertificate; other: SelfSignedCertificate } {
  cachedCerts ??= {
    good: createSelfSignedCertificate({ hostname: DX_HOST }),
    expired: createSelfSignedCertificate({ hostname: DX_HOST, notBefore: new Date(Date.now() - 3 * 86400_000), days: 1 }),
    other: createSelfSignedCertificate({ hostname: 'elsewhere.invalid' }),
  };
  return cachedCerts;
}

/** `tls=` for a certificate, signed by the org POK. */
export function pin(der: Uint8Array, keys: SignetKeys = identities().orgKeys): string {
  return signCertificate(keys.signingSeed, der);
}

/** `ver=1 pok=<org pok> [tls=…] dx=dx.example.test` plus extra tokens. */
export function recordText(options: { tls?: string[]; pok?: string; extra?: string } = {}): string {
  const pok = options.pok ?? pokOf(identities().orgKeys);
  return ['ver=1', `pok=${pok}`, ...(options.tls ?? []).map((t) => `tls=${t}`), `dx=${DX_HOST}`, options.extra ?? ''].join(' ').trim();
}

function zoneKeys(cache: Map<string, ZoneKey>, zone: string, flags: 256 | 257): ZoneKey {
  const id = `${zone}/${flags}`;
  let key = cache.get(id);
  if (!key) cache.set(id, (key = generateZoneKey(15, flags)));
  return key;
}
const KEYS = new Map<string, ZoneKey>();

function quote(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += 255) parts.push(`"${text.slice(i, i + 255)}"`);
  return parts.join(' ');
}

function sign(origin: string, records: ResourceRecord[]): ResourceRecord[] {
  return signZone(records, { origin, keys: [zoneKeys(KEYS, origin, 257), zoneKeys(KEYS, origin, 256)], inception: INCEPTION, expiration: EXPIRATION, nsec: 'nsec' });
}

function ds(owner: string): ResourceRecord {
  return { name: owner, type: 'DS', class: 'IN', ttl: 300, rdata: dsFromDnskey(owner, dnskeyRdataOf(zoneKeys(KEYS, owner, 257)), 2) };
}

export interface DnsWorldOptions {
  /** `_dx.example.test` (secure). */
  example?: string;
  /** `_dx.plain.test` (insecure). */
  plain?: string;
  /** `_dx.forged.test`: signed, then its TXT replaced by this text (bogus). */
  forged?: string;
  /** Extra zone lines for example.test. (relative names). */
  exampleExtra?: string[];
}

export interface DnsWorld {
  transport: DnsTransport & { queries: { name: string; type: string }[] };
  anchors: TrustAnchor[];
}

/** The DNS half of the world. */
export function dnsWorld(options: DnsWorldOptions = {}): DnsWorld {
  const soa = (ns: string) => `$TTL 300\n@ SOA ${ns} hostmaster 1 3600 600 86400 300\n@ NS ${ns}\n`;
  const example = parseZoneFile(
    `${soa('ns1')}ns1 A 127.0.0.1\ndx A 127.0.0.1\n_dx TXT ${quote(options.example ?? recordText())}\n${(options.exampleExtra ?? []).join('\n')}\n`,
    { origin: 'example.test.' }
  );
  const plain = parseZoneFile(`${soa('ns1')}ns1 A 127.0.0.3\n_dx TXT ${quote(options.plain ?? recordText())}\n`, { origin: 'plain.test.' });
  const forgedText = recordText();
  let forged = sign('forged.test.', parseZoneFile(`${soa('ns1')}ns1 A 127.0.0.4\n_dx TXT ${quote(forgedText)}\n`, { origin: 'forged.test.' }));
  // Edited after signing: the RRSIG no longer covers the TXT that is served.
  forged = forged.map((rr) => (rr.type === 'TXT' && rr.name.startsWith('_dx.') ? { ...rr, rdata: encodeTxt([new TextEncoder().encode(options.forged ?? recordText({ extra: 'pol=strict' }))]) } : rr));
  const test = sign('test.', [
    ...parseZoneFile(
      `${soa('ns1')}ns1 A 127.0.0.2\nexample NS ns1.example\nns1.example A 127.0.0.1\nplain NS ns1.plain\nns1.plain A 127.0.0.3\nforged NS ns1.forged\nns1.forged A 127.0.0.4\n`,
      { origin: 'test.' }
    ),
    ds('example.test.'),
    ds('forged.test.'),
  ]);
  const root = sign('.', [...parseZoneFile(`${soa('a.root-servers.net.')}test NS ns1.test\nns1.test A 127.0.0.2\n`, { origin: '.' }), ds('test.')]);
  const zones: AuthoritativeZone[] = [
    { origin: '.', records: root },
    { origin: 'test.', records: test },
    { origin: 'example.test.', records: sign('example.test.', example) },
    { origin: 'plain.test.', records: plain },
    { origin: 'forged.test.', records: forged },
  ];
  const anchors: TrustAnchor[] = [{ name: '.', type: 'DS', rdata: ds('.').rdata }];
  return { transport: createZoneTransport(zones) as DnsWorld['transport'], anchors };
}

export interface Dx {
  server: DmtpServer;
  port: number;
  dualPort: number;
  store: ListStore;
  /** Every session line the server logged. */
  sessions: string[];
  close(): Promise<void>;
}

/** A DX on 127.0.0.1 (implicit TLS and dual mode, free ports) with the given certificate and store. */
export async function startDx(cert: SelfSignedCertificate, store?: ListStore): Promise<Dx> {
  const ids = identities();
  const signets =
    store ??
    new ListStore()
      .add('example.test', ids.org.signet)
      .add('plain.test', ids.plainOrg.signet)
      .add('forged.test', createOrgSignet(ids.orgKeys, 'forged.test'))
      .add('alice@example.test', ids.alice.signet)
      .add('alice@example.test', ids.aliceRotated.signet)
      .add('mallory@example.test', ids.mallory.signet);
  const sessions: string[] = [];
  const server = await DmtpServer.start({
    hostname: DX_HOST,
    store: signets,
    key: cert.keyPem,
    cert: cert.certPem,
    listen: { host: '127.0.0.1', port: 0 },
    dual: { host: '127.0.0.1', port: 0 },
    log: (line) => sessions.push(line),
  });
  return {
    server,
    port: server.address!.port,
    dualPort: server.dualAddress!.port,
    store: signets,
    sessions,
    close: () => server.close(),
  };
}

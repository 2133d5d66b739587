/** A small signed DNS hierarchy (`.` → `test.` → `example.test.`, plus `unsigned.test.`) built with our signer. */
import { parseZoneFile, createZoneTransport, decodeMessage, encodeResponse, type AuthoritativeZone, type ResourceRecord, type DnsTransport } from '@dime/core/dns';
import { dnskeyRdataOf, dsFromDnskey, generateZoneKey, keyTag, signZone, type TrustAnchor, type ZoneKey, type SignZoneOptions } from '@dime/core/dnssec';

export const INCEPTION = new Date('2026-01-01T00:00:00Z');
export const EXPIRATION = new Date('2027-01-01T00:00:00Z');
export const NOW = () => new Date('2026-06-01T00:00:00Z');

export interface ZoneSpec {
  nsec?: 'nsec' | 'nsec3';
  nsec3?: SignZoneOptions['nsec3'];
  algorithm?: number;
}

export interface WorldOptions {
  root?: ZoneSpec;
  test?: ZoneSpec;
  example?: ZoneSpec;
  /** Change example.test's records before signing. */
  exampleRecords?: (records: ResourceRecord[]) => ResourceRecord[];
  /** Change example.test's signed records. */
  exampleSigned?: (records: ResourceRecord[], keys: { ksk: ZoneKey; zsk: ZoneKey }) => ResourceRecord[];
  /** Change the DS RRset test. publishes for example.test. */
  exampleDs?: (ds: ResourceRecord[]) => ResourceRecord[];
}

export interface World {
  zones: AuthoritativeZone[];
  anchors: TrustAnchor[];
  keys: Record<string, { ksk: ZoneKey; zsk: ZoneKey }>;
  transport: DnsTransport & { queries: unknown[] };
  zskTag(zone: string): number;
  kskTag(zone: string): number;
}

const keyCache = new Map<string, ZoneKey>();
function cachedKey(id: string, algorithm: number, flags: 256 | 257): ZoneKey {
  const k = `${id}/${algorithm}/${flags}`;
  let key = keyCache.get(k);
  if (!key) keyCache.set(k, (key = generateZoneKey(algorithm, flags, 1024)));
  return key;
}

const EXAMPLE = `$ORIGIN example.test.
$TTL 300
@ SOA ns1 hostmaster 2026060101 3600 600 86400 300
@ NS ns1
ns1 A 127.0.0.1
_dx TXT "ver=1 pok=VGhpcyBpcyBub3QgYSByZWFsIGtleSwgb25seSBhIHRlc3Q" "pol=strict"
www A 192.0.2.10
alias CNAME www
*.wild TXT "wildcard"
a.b.c A 192.0.2.11
`;

function zone(origin: string, text: string): ResourceRecord[] {
  return parseZoneFile(text, { origin });
}

function dsRecords(owner: string, key: ZoneKey): ResourceRecord[] {
  return [{ name: owner, type: 'DS', class: 'IN', ttl: 3600, rdata: dsFromDnskey(owner, dnskeyRdataOf(key), 2) }];
}

function sign(origin: string, records: ResourceRecord[], keys: { ksk: ZoneKey; zsk: ZoneKey }, spec: ZoneSpec = {}): ResourceRecord[] {
  return signZone(records, { origin, keys: [keys.ksk, keys.zsk], inception: INCEPTION, expiration: EXPIRATION, nsec: spec.nsec ?? 'nsec', ...(spec.nsec3 ? { nsec3: spec.nsec3 } : {}) });
}

export function buildWorld(options: WorldOptions = {}): World {
  const keys: World['keys'] = {};
  for (const [z, spec] of [['.', options.root], ['test.', options.test], ['example.test.', options.example]] as const) {
    const alg = spec?.algorithm ?? 13;
    keys[z] = { ksk: cachedKey(z, alg, 257), zsk: cachedKey(z, alg, 256) };
  }
  let exampleRecords = zone('example.test.', EXAMPLE);
  if (options.exampleRecords) exampleRecords = options.exampleRecords(exampleRecords);
  let example = sign('example.test.', exampleRecords, keys['example.test.']!, options.example);
  if (options.exampleSigned) example = options.exampleSigned(example, keys['example.test.']!);
  let exampleDs = dsRecords('example.test.', keys['example.test.']!.ksk);
  if (options.exampleDs) exampleDs = options.exampleDs(exampleDs);
  const unsigned = zone('unsigned.test.', `$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 127.0.0.3\n_dx TXT "ver=1 unsigned"\n`);
  const testRecords = [
    ...zone('test.', `$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ns1\nns1 A 127.0.0.2\nexample NS ns1.example\nns1.example A 127.0.0.1\nunsigned NS ns1.unsigned\nns1.unsigned A 127.0.0.3\nzz-last A 192.0.2.99\n`),
    ...exampleDs,
  ];
  const test = sign('test.', testRecords, keys['test.']!, options.test);
  const root = sign('.', [...zone('.', `$TTL 300\n@ SOA a.root-servers.net. hostmaster 1 3600 600 86400 300\n@ NS a.root-servers.net.\ntest NS ns1.test\nns1.test A 127.0.0.2\n`), ...dsRecords('test.', keys['test.']!.ksk)], keys['.']!, options.root);
  const zones: AuthoritativeZone[] = [
    { origin: '.', records: root },
    { origin: 'test.', records: test },
    { origin: 'example.test.', records: example },
    { origin: 'unsigned.test.', records: unsigned },
  ];
  const anchors: TrustAnchor[] = [{ name: '.', type: 'DS', rdata: dsFromDnskey('.', dnskeyRdataOf(keys['.']!.ksk), 2) }];
  return {
    zones,
    anchors,
    keys,
    transport: createZoneTransport(zones),
    zskTag: (z) => keyTag(dnskeyRdataOf(keys[z]!.zsk)),
    kskTag: (z) => keyTag(dnskeyRdataOf(keys[z]!.ksk)),
  };
}

/** A transport that rewrites every response: owner names in random case, each section shuffled. */
export function manglingTransport(inner: DnsTransport, seed = 1): DnsTransport {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const flip = (name: string) => name.split('').map((c) => (rand() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
  const shuffle = <T>(a: T[]) => {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  return {
    async query(q) {
      const m = decodeMessage(await inner.query(q));
      const mangle = (rrs: ResourceRecord[]) => shuffle(rrs.map((r) => ({ ...r, name: flip(r.name) })));
      return encodeResponse({ ...m, answers: mangle(m.answers), authorities: mangle(m.authorities), additionals: mangle(m.additionals) });
    },
  };
}

/** A transport that removes records from responses. */
export function filteringTransport(inner: DnsTransport, drop: (rr: ResourceRecord, section: string, query: { name: string; type: string }) => boolean): DnsTransport {
  return {
    async query(q) {
      const m = decodeMessage(await inner.query(q));
      return encodeResponse({
        ...m,
        answers: m.answers.filter((r) => !drop(r, 'answer', q)),
        authorities: m.authorities.filter((r) => !drop(r, 'authority', q)),
        additionals: m.additionals,
      });
    },
  };
}

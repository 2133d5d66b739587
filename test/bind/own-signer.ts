/**
 * The same hierarchy as the BIND world (`.` → `test.` → `example.test.`, plus an unsigned
 * `unsigned.test.`), signed by our own `signZone` and meant to be served by our zone server. Used to
 * check our signer against BIND's validator (`delv`) and our validator alike.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseZoneFile, formatRecord, type AuthoritativeZone, type ResourceRecord } from '@dime/core/dns';
import { dsFromDnskey, generateZoneKey, dnskeyRdataOf, signZone, keyTag, type ZoneKey } from '@dime/core/dnssec';
import { defaultDxText, quoteTxt } from './world.js';

export interface OwnSignedOptions {
  algorithm: number;
  nsec: 'nsec' | 'nsec3';
  nsec3?: { iterations?: number; salt?: Uint8Array; optOut?: boolean };
  /** Signature window; default one hour ago to thirty days ahead. */
  inception?: Date;
  expiration?: Date;
  /** Zone-file lines added to example.test. */
  extraRecords?: string[];
}

export interface OwnSignedHierarchy {
  zones: AuthoritativeZone[];
  /** Root DS lines (zone-file syntax). */
  rootDs: string[];
  /** Key tags per zone. */
  keys: Record<string, { ksk: number; zsk: number }>;
  /** Writes the root anchor as DS lines and as a BIND `trust-anchors` block; returns both paths. */
  writeAnchors(dir: string): { dsFile: string; bindFile: string };
}

const SERVER_ADDRESS = '127.0.0.1';

function zoneRecords(origin: string, lines: string[]): ResourceRecord[] {
  const ns = origin === '.' ? 'ns.root.' : `ns.${origin}`;
  const text = ['$TTL 300', `@ SOA ${ns} hostmaster.${origin === '.' ? 'root.' : origin} 1 3600 600 86400 300`, `@ NS ${ns}`, `${ns} A ${SERVER_ADDRESS}`, ...lines].join('\n');
  return parseZoneFile(text, { origin });
}

function dsLine(owner: string, ksk: ZoneKey): string {
  const rdata = dsFromDnskey(owner, dnskeyRdataOf(ksk), 2);
  const tag = (rdata[0]! << 8) | rdata[1]!;
  const digest = Buffer.from(rdata.subarray(4)).toString('hex').toUpperCase();
  return `${owner} 300 IN DS ${tag} ${ksk.algorithm} 2 ${digest}`;
}

export function buildOwnSignedHierarchy(options: OwnSignedOptions): OwnSignedHierarchy {
  const inception = options.inception ?? new Date(Date.now() - 3600_000);
  const expiration = options.expiration ?? new Date(Date.now() + 30 * 86400_000);
  const rsaBits = options.algorithm === 8 || options.algorithm === 10 ? 1024 : undefined;
  const keysFor = (): { ksk: ZoneKey; zsk: ZoneKey } => ({
    ksk: generateZoneKey(options.algorithm, 257, rsaBits ?? 2048),
    zsk: generateZoneKey(options.algorithm, 256, rsaBits ?? 2048),
  });
  const sign = (origin: string, records: ResourceRecord[], k: { ksk: ZoneKey; zsk: ZoneKey }): ResourceRecord[] =>
    signZone(records, {
      origin,
      keys: [k.ksk, k.zsk],
      inception,
      expiration,
      nsec: options.nsec,
      ...(options.nsec3 ? { nsec3: options.nsec3 } : {}),
    });
  const tags = (k: { ksk: ZoneKey; zsk: ZoneKey }) => ({ ksk: keyTag(dnskeyRdataOf(k.ksk)), zsk: keyTag(dnskeyRdataOf(k.zsk)) });

  const exampleKeys = keysFor();
  const example = sign(
    'example.test.',
    zoneRecords('example.test.', [
      `_dx TXT ${quoteTxt(defaultDxText('example.test'))}`,
      'www A 192.0.2.10',
      '*.wild TXT "wildcard answer"',
      ...(options.extraRecords ?? []),
    ]),
    exampleKeys
  );
  const unsigned = zoneRecords('unsigned.test.', [`_dx TXT ${quoteTxt(defaultDxText('unsigned.test'))}`]);
  const testKeys = keysFor();
  const test = sign(
    'test.',
    zoneRecords('test.', [
      'example NS ns.example',
      `ns.example A ${SERVER_ADDRESS}`,
      dsLine('example.test.', exampleKeys.ksk),
      'unsigned NS ns.unsigned',
      `ns.unsigned A ${SERVER_ADDRESS}`,
    ]),
    testKeys
  );
  const rootKeys = keysFor();
  const root = sign('.', zoneRecords('.', ['test. NS ns.test.', `ns.test. A ${SERVER_ADDRESS}`, dsLine('test.', testKeys.ksk)]), rootKeys);
  const rootDs = [dsLine('.', rootKeys.ksk)];
  return {
    zones: [
      { origin: '.', records: root },
      { origin: 'test.', records: test },
      { origin: 'example.test.', records: example },
      { origin: 'unsigned.test.', records: unsigned },
    ],
    rootDs,
    keys: { '.': tags(rootKeys), 'test.': tags(testKeys), 'example.test.': tags(exampleKeys) },
    writeAnchors(dir: string) {
      const dsFile = join(dir, 'own-root.ds');
      writeFileSync(dsFile, `${rootDs.join('\n')}\n`);
      const bindFile = join(dir, 'own-root.conf');
      const entries = rootDs.map((line) => {
        const t = line.split(/\s+/);
        return `  . static-ds ${t[4]} ${t[5]} ${t[6]} "${t[7]}";`;
      });
      writeFileSync(bindFile, `trust-anchors {\n${entries.join('\n')}\n};\n`);
      return { dsFile, bindFile };
    },
  };
}

/** Presentation lines of a zone (debugging aid). */
export function zoneText(zone: AuthoritativeZone): string {
  return zone.records.map((rr) => formatRecord(rr)).join('\n');
}

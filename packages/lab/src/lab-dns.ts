/**
 * The lab's own DNS: the zones of zones.ts signed by @dime/core's signer (ECDSA P-256, KSK + ZSK,
 * NSEC) and served by `startZoneServer` (UDP + TCP) on one loopback port for all three zones. It
 * answers a DS query from the parent zone, as the Internet's separate servers do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeRdata,
  formatRecord,
  parseZoneFile,
  startZoneServer,
  type AuthoritativeZone,
  type ResourceRecord,
  type ZoneServer,
} from '@dime/core/dns';
import { dnskeyRdataOf, dsFromDnskey, generateZoneKey, signZone, type ZoneKey } from '@dime/core/dnssec';
import {
  LAB_TTL,
  LAB_ZONE_NAMES,
  childOf,
  currentWindow,
  labZoneText,
  type LabDns,
  type LabZoneContent,
  type LabZoneName,
  type SignatureWindow,
} from './zones.js';

/** ECDSA P-256 (13): what most signed zones use, and quick to sign with. */
export const LAB_DNSSEC_ALGORITHM = 13;

export interface LabDnsOptions extends Omit<LabZoneContent, 'serverAddress'> {
  /** Where the signed zones and the anchor are written. */
  dir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
}

interface ZoneState {
  keys: ZoneKey[];
  text: string;
  window: SignatureWindow;
  signed: ResourceRecord[];
}

function dsRecordOf(zone: string, ksk: ZoneKey): ResourceRecord {
  const rdata = dsFromDnskey(zone, dnskeyRdataOf(ksk), 2);
  return { name: zone, type: 'DS', class: 'IN', ttl: LAB_TTL, rdata, data: decodeRdata('DS', rdata)! };
}

export async function startLabDns(options: LabDnsOptions): Promise<LabDns> {
  const host = options.host ?? '127.0.0.1';
  const dnsDir = join(options.dir, 'dns');
  mkdirSync(dnsDir, { recursive: true });
  const content: LabZoneContent = { ...options, serverAddress: () => host };
  const states = new Map<LabZoneName, ZoneState>();
  for (const zone of LAB_ZONE_NAMES) {
    states.set(zone, {
      keys: [generateZoneKey(LAB_DNSSEC_ALGORITHM, 257), generateZoneKey(LAB_DNSSEC_ALGORITHM, 256)],
      text: labZoneText(zone, content),
      window: currentWindow(),
      signed: [],
    });
  }
  const zoneFiles: Record<string, string> = {};
  const sign = (zone: LabZoneName): void => {
    const state = states.get(zone)!;
    const records = parseZoneFile(state.text, { origin: zone });
    const child = childOf(zone);
    if (child) records.push(dsRecordOf(child, states.get(child)!.keys[0]!));
    state.signed = signZone(records, { origin: zone, keys: state.keys, ...state.window, nsec: 'nsec' });
    const file = join(dnsDir, `${zone === '.' ? 'root' : zone.slice(0, -1)}.signed`);
    writeFileSync(file, `${state.signed.map(formatRecord).join('\n')}\n`);
    zoneFiles[zone] = file;
  };
  for (const zone of [...LAB_ZONE_NAMES].reverse()) sign(zone);
  const zones = (): AuthoritativeZone[] => LAB_ZONE_NAMES.map((zone) => ({ origin: zone, records: states.get(zone)!.signed }));

  const trustAnchorFile = join(dnsDir, 'root-anchor.ds');
  writeFileSync(trustAnchorFile, `${formatRecord(dsRecordOf('.', states.get('.')!.keys[0]!))}\n`);

  const server: ZoneServer = await startZoneServer({ zones: zones(), host, port: options.port ?? 0 });
  return {
    kind: 'lab',
    resolver: server.address,
    trustAnchorFile,
    zoneFiles,
    async resign(zone, change = {}) {
      const state = states.get(zone)!;
      if (change.dxZoneLine !== undefined) state.text = labZoneText(zone, { ...content, dxZoneLine: change.dxZoneLine });
      state.window = change.window ?? currentWindow();
      sign(zone);
      server.setZones(zones());
    },
    stop: () => server.close(),
  };
}

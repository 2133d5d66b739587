/**
 * The lab's DNS hierarchy as zone-file text: `.` → `test.` → `example.test.`, each with its SOA, NS
 * and the address of its name server, the delegation (NS + glue) to its child, and in
 * `example.test.` the `_dx` record from `genrec --zone` and the DX host's address. The same text is
 * signed by our signer (`dns: 'lab'`) or written out for `dnssec-signzone` (`dns: 'bind'`); the DS at
 * each cut is added by whoever signs, once the child's keys exist.
 */

export const LAB_DOMAIN = 'example.test';
export const LAB_DX_HOST = `dx.${LAB_DOMAIN}`;
/** Parents before children. */
export const LAB_ZONE_NAMES = ['.', 'test.', `${LAB_DOMAIN}.`] as const;
export type LabZoneName = (typeof LAB_ZONE_NAMES)[number];
export const LAB_TTL = 300;

export interface LabZoneContent {
  /** The `_dx.example.test.` zone line(s) as `genrec --zone` printed them. */
  dxZoneLine: string;
  /** Address of the DX host `dx.example.test` (default 127.0.0.1). */
  dxAddress?: string;
  /** The address each zone's name server has (its glue and its own A record). */
  serverAddress: (zone: LabZoneName) => string;
}

/** `ns.root.` for the root, `ns.<zone>` otherwise. */
export function nameServerOf(zone: string): string {
  return zone === '.' ? 'ns.root.' : `ns.${zone}`;
}

export function childOf(zone: LabZoneName): LabZoneName | undefined {
  const i = LAB_ZONE_NAMES.indexOf(zone);
  return LAB_ZONE_NAMES[i + 1];
}

export function parentOf(zone: LabZoneName): LabZoneName | undefined {
  const i = LAB_ZONE_NAMES.indexOf(zone);
  return i > 0 ? LAB_ZONE_NAMES[i - 1] : undefined;
}

/** Unsigned zone-file text of one lab zone, absolute names throughout, without the child's DS. */
export function labZoneText(zone: LabZoneName, content: LabZoneContent): string {
  const ns = nameServerOf(zone);
  const mbox = zone === '.' ? 'hostmaster.root.' : `hostmaster.${zone}`;
  const lines = [
    `; ${zone === '.' ? 'the root' : zone} zone of the DIME lab`,
    `$TTL ${LAB_TTL}`,
    `${zone} ${LAB_TTL} IN SOA ${ns} ${mbox} 1 3600 600 86400 ${LAB_TTL}`,
    `${zone} ${LAB_TTL} IN NS ${ns}`,
    `${ns} ${LAB_TTL} IN A ${content.serverAddress(zone)}`,
  ];
  if (zone === `${LAB_DOMAIN}.`) {
    lines.push(content.dxZoneLine.trim(), `${LAB_DX_HOST}. ${LAB_TTL} IN A ${content.dxAddress ?? '127.0.0.1'}`);
  }
  const child = childOf(zone);
  if (child) {
    const childNs = nameServerOf(child);
    lines.push(`${child} ${LAB_TTL} IN NS ${childNs}`, `${childNs} ${LAB_TTL} IN A ${content.serverAddress(child)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A signature window: the default is valid now; `expired` ended long ago. */
export interface SignatureWindow {
  inception: Date;
  expiration: Date;
}

export const EXPIRED_WINDOW: SignatureWindow = {
  inception: new Date('2020-01-01T00:00:00Z'),
  expiration: new Date('2020-02-01T00:00:00Z'),
};

export function currentWindow(now = Date.now()): SignatureWindow {
  return { inception: new Date(now - 3600_000), expiration: new Date(now + 30 * 86400_000) };
}

/** `YYYYMMDDHHMMSS` (UTC), as `dnssec-signzone -s/-e` take it. */
export function signzoneTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** What a DNS backend of the lab offers the world. */
export interface LabDns {
  readonly kind: 'lab' | 'bind';
  /** `HOST:PORT` for `dime --resolver`. */
  readonly resolver: string;
  /** Root anchor as a zone-file DS line, for `dime --trust-anchor`. */
  readonly trustAnchorFile: string;
  /** The signed zone files as served, by zone name. */
  readonly zoneFiles: Readonly<Record<string, string>>;
  /**
   * Re-signs a zone with the same keys (so the chain of DS records still holds) and serves the
   * result: with `window` = EXPIRED_WINDOW every signature of the zone is expired; `dxZoneLine`
   * publishes another `_dx` record.
   */
  resign(zone: LabZoneName, options?: { window?: SignatureWindow; dxZoneLine?: string }): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The lab's zones served by real BIND (`dime-lab up --dns bind`), laid out as on the Internet and as
 * the test/bind harness does it (record-and-dnssec.md §6.3: a BIND that serves both a parent and a
 * child answers the child's DS from the child, so each zone gets its own address):
 *
 *   dime ──► recursive named 127.0.0.1:PORT (recursion yes, validation no, hints → ns.root.)
 *               ▼
 *            authoritative named, one view per zone matched on the destination address:
 *            .  127.0.53.2    test.  127.0.53.3    example.test.  127.0.53.4
 *
 * The zone text is zones.ts's, signed with `dnssec-keygen` + `dnssec-signzone` (ECDSAP256SHA256,
 * NSEC), children first, each child's `dsset-` appended to its parent. The extra loopback addresses
 * need root (`ip addr add`). Both named share one free port (BIND's `port` option is also the port it
 * asks other servers on). A re-signed zone is served by restarting both named (no stale cache).
 * The building blocks (named.conf, loopback addresses, named, signing) are bind-world.ts's, shared
 * with the test/bind harness.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DimeError } from '@dime/core/errors';
import {
  dnssecKeygen,
  dnssecSignzone,
  ensureLoopbackAddress,
  freeBindPort,
  hasCommand,
  readDsset,
  startBindServers,
  writeAuthoritativeConf,
  writeRecursiveConf,
  zoneDirName,
  type BindServers,
} from './bind-world.js';
import {
  LAB_ZONE_NAMES,
  childOf,
  currentWindow,
  labZoneText,
  signzoneTime,
  type LabDns,
  type LabZoneContent,
  type LabZoneName,
  type SignatureWindow,
} from './zones.js';

export const BIND_TOOLS = ['named', 'dnssec-keygen', 'dnssec-signzone', 'dig', 'ip'] as const;
export const BIND_RESOLVER_ADDRESS = '127.0.0.1';
/** Zone i of LAB_ZONE_NAMES is served at 127.0.53.(2 + i) (the harness's first three addresses). */
export const BIND_ZONE_ADDRESSES: Readonly<Record<LabZoneName, string>> = {
  '.': '127.0.53.2',
  'test.': '127.0.53.3',
  'example.test.': '127.0.53.4',
};

export { ensureLoopbackAddress };

/** Why `--dns bind` cannot run here (missing tools, no root for the addresses), or undefined. */
export function bindUnavailableReason(): string | undefined {
  const missing = BIND_TOOLS.filter((tool) => !hasCommand(tool));
  if (missing.length > 0) return `missing ${missing.join(', ')} (apt-get install bind9 bind9-utils bind9-dnsutils iproute2)`;
  for (const address of Object.values(BIND_ZONE_ADDRESSES)) {
    const why = ensureLoopbackAddress(address);
    if (why) return why;
  }
  return undefined;
}

export interface BindDnsOptions extends Omit<LabZoneContent, 'serverAddress'> {
  dir: string;
}

export async function startBindDns(options: BindDnsOptions): Promise<LabDns> {
  const why = bindUnavailableReason();
  if (why) throw new DimeError('USAGE', `--dns bind: ${why}`);
  const base = join(options.dir, 'bind');
  mkdirSync(base, { recursive: true });
  let content: LabZoneContent = { ...options, serverAddress: (zone) => BIND_ZONE_ADDRESSES[zone] };
  const windows = new Map<LabZoneName, SignatureWindow>();
  const zoneFiles: Record<string, string> = {};

  const zoneDir = (zone: LabZoneName) => join(base, zoneDirName(zone));
  const keygen = (zone: LabZoneName, ksk: boolean) => dnssecKeygen({ zone, keyDir: zoneDir(zone), algorithm: 'ECDSAP256SHA256', ksk });
  const sign = (zone: LabZoneName): void => {
    const d = zoneDir(zone);
    const child = childOf(zone);
    const ds = child ? readDsset(zoneDir(child), child) : '';
    const input = join(d, 'zone.db');
    writeFileSync(input, `${labZoneText(zone, content)}${ds}`);
    const window = windows.get(zone) ?? currentWindow();
    const output = join(d, 'zone.signed');
    // Always an explicit window (with -P, no post-signing check), so that an expired one can be produced on purpose.
    dnssecSignzone({ zone, keyDir: d, input, output, window: [signzoneTime(window.inception), signzoneTime(window.expiration)] });
    zoneFiles[zone] = output;
  };
  for (const zone of [...LAB_ZONE_NAMES].reverse()) {
    mkdirSync(zoneDir(zone), { recursive: true });
    keygen(zone, true);
    keygen(zone, false);
    sign(zone);
  }
  const trustAnchorFile = join(base, 'root-anchor.ds');
  writeFileSync(trustAnchorFile, readDsset(zoneDir('.'), '.'));

  const port = await freeBindPort(BIND_RESOLVER_ADDRESS);
  const authDir = join(base, 'authoritative');
  const recDir = join(base, 'recursive');
  mkdirSync(authDir, { recursive: true });
  mkdirSync(recDir, { recursive: true });
  const authoritativeConf = writeAuthoritativeConf(
    authDir,
    port,
    LAB_ZONE_NAMES.map((zone) => ({ zone, address: BIND_ZONE_ADDRESSES[zone], file: join(zoneDir(zone), 'zone.signed') }))
  );
  const recursiveConf = writeRecursiveConf(recDir, port, { address: BIND_RESOLVER_ADDRESS, rootAddress: BIND_ZONE_ADDRESSES['.'] });

  let servers: BindServers | undefined;
  const start = async () => {
    servers = await startBindServers({ port, authoritativeConf, recursiveConf, rootAddress: BIND_ZONE_ADDRESSES['.'], resolverAddress: BIND_RESOLVER_ADDRESS });
  };
  const stop = async () => {
    await servers?.stop();
    servers = undefined;
  };
  await start();
  return {
    kind: 'bind',
    resolver: `${BIND_RESOLVER_ADDRESS}:${port}`,
    trustAnchorFile,
    zoneFiles,
    async resign(zone, change = {}) {
      if (change.dxZoneLine !== undefined) content = { ...content, dxZoneLine: change.dxZoneLine };
      windows.set(zone, change.window ?? currentWindow());
      sign(zone);
      // Restart both: the authoritative reads the new file, the recursive forgets what it cached.
      await stop();
      await start();
    },
    stop,
  };
}

/** The key files `dnssec-keygen` made for a zone (for the README and debugging). */
export function bindKeyFiles(dir: string, zone: LabZoneName): string[] {
  return readdirSync(join(dir, 'bind', zoneDirName(zone))).filter((f) => /^K.*\.(key|private)$/.test(f));
}

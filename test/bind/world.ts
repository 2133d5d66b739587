/**
 * A DNSSEC world served by real BIND, laid out as the Internet is (record-and-dnssec.md §6.3):
 *
 *   dime ──► recursive named 127.0.0.1:PORT (recursion yes, validation no, hints → ns.root.)
 *               │
 *               ▼  one authoritative named, one view per zone matched on the destination address
 *            .  127.0.53.2   test.  127.0.53.3   example.test.  127.0.53.4   (and siblings …)
 *
 * Zones are signed in a temporary directory with dnssec-keygen / dnssec-signzone (children first,
 * their `dsset-` appended to the parent). Broken zones are made the way they break in real life:
 * an RRSIG re-made with past dates, a TXT edited after signing, a DS for a key never published, an
 * RRSIG deleted. All servers share one port (BIND's `port` option is also the port it asks others
 * on), so each world takes one free port and any number of worlds can run side by side. The BIND
 * building blocks (named.conf with views, loopback addresses, named, dnssec-keygen/-signzone) are
 * @dime/lab's (packages/lab/src/bind-world.ts), imported from source so no build is needed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dnssecKeygen,
  freeBindPort,
  runBindTool,
  signzoneArgs,
  startBindServers,
  writeAuthoritativeConf,
  writeRecursiveConf,
  zoneDirName,
  type BindServers,
} from '../../packages/lab/src/bind-world.js';

export type BindVariant = 'rsasha256-nsec3' | 'ecdsap256sha256-nsec' | 'ed25519-nsec' | 'ecdsap256sha256-nsec3-optout';
/** The matrix every BIND test runs; the opt-out variant has tests of its own. */
export const BIND_VARIANTS: readonly BindVariant[] = ['rsasha256-nsec3', 'ecdsap256sha256-nsec', 'ed25519-nsec'];

/** How a zone is broken after signing. */
export type Breakage = 'expired-rrsig' | 'tampered-txt' | 'ds-no-key' | 'missing-rrsig';

interface VariantSpec {
  algorithm: 'RSASHA256' | 'ECDSAP256SHA256' | 'ED25519';
  algorithmNumber: number;
  kskBits?: number;
  zskBits?: number;
  /** NSEC3 salt (hex), extra iterations, opt-out (unsigned delegations left out of the chain); absent = NSEC. */
  nsec3?: { salt: string; iterations: number; optOut?: boolean };
}

export const VARIANTS: Readonly<Record<BindVariant, VariantSpec>> = {
  'rsasha256-nsec3': { algorithm: 'RSASHA256', algorithmNumber: 8, kskBits: 2048, zskBits: 1024, nsec3: { salt: 'cafe5a17', iterations: 2 } },
  'ecdsap256sha256-nsec': { algorithm: 'ECDSAP256SHA256', algorithmNumber: 13 },
  'ed25519-nsec': { algorithm: 'ED25519', algorithmNumber: 15 },
  // As .com and .net are signed: NSEC3 with opt-out, no salt, no extra iterations (RFC 9276).
  'ecdsap256sha256-nsec3-optout': { algorithm: 'ECDSAP256SHA256', algorithmNumber: 13, nsec3: { salt: '-', iterations: 0, optOut: true } },
};

/** The resolver address every world listens on (the port differs). */
export const RESOLVER_ADDRESS = '127.0.0.1';
/** Authoritative addresses: zone i of a world is served at 127.0.53.(2 + i). */
export const AUTHORITATIVE_PREFIX = '127.0.53.';
export const MAX_ZONES = 16;
export const ALL_AUTHORITATIVE_ADDRESSES: readonly string[] = Array.from({ length: MAX_ZONES }, (_, i) => `${AUTHORITATIVE_PREFIX}${2 + i}`);

export const DOMAIN = 'example.test';
/** Past signature window used for `expired-rrsig`. */
export const EXPIRED_INCEPTION = '20200101000000';
export const EXPIRED_EXPIRATION = '20200201000000';

export interface ZoneSpec {
  /** Absolute name: `.`, `test.`, `example.test.` */
  name: string;
  /** Zone-file lines relative to the zone's origin, after the generated SOA, NS and glue. */
  records?: string[];
  /** Default true. An unsigned child gets no DS in its parent (an insecure delegation). */
  signed?: boolean;
  breakage?: Breakage;
}

export interface BuiltZone {
  name: string;
  address: string;
  signed: boolean;
  breakage?: Breakage;
  /** Key tags (signed zones). The ZSK signs everything but the DNSKEY RRset, which both sign. */
  ksk?: number;
  zsk?: number;
  /** `ds-no-key`: the tag of the DS the parent publishes, whose key the zone never had. */
  ghostDsTag?: number;
  /** The file named serves. */
  servedFile: string;
  /** The `_dx` TXT value published (before any tampering). */
  dxText: string;
}

export interface BindWorld {
  variant: BindVariant;
  domain: string;
  /** `127.0.0.1:PORT` of the recursive named: what `dime --resolver` takes. */
  resolver: string;
  port: number;
  /** Root DS lines in zone-file syntax (from `dsset-.`): for `dime --trust-anchor`. */
  trustAnchorFile: string;
  /** The same anchor as BIND `trust-anchors { . static-ds … };`: for `delv -a` and dime. */
  bindAnchorFile: string;
  /** The root KSK as a zone-file DNSKEY line. */
  dnskeyAnchorFile: string;
  dir: string;
  zones: Record<string, BuiltZone>;
  /** Tails of both named logs, for failure messages. */
  logs(): { authoritative: string; recursive: string };
  stop(): Promise<void>;
}

export interface BindWorldOptions {
  variant?: BindVariant;
  /** Zone-file lines added to example.test. (names relative to it). */
  extraRecords?: string[];
  /** The `_dx.example.test` TXT value; default `ver=1 pok=<43 chars> dx=dx.example.test`. */
  dxText?: string;
  /** Build the unsigned and broken siblings of example.test (default true). */
  siblings?: boolean;
  /** Replace the whole zone list (advanced: the lab's own zones). */
  zones?: ZoneSpec[];
  /** Keep the directory after stop (also DIME_KEEP_BIND=1). */
  keep?: boolean;
}

/** A deterministic 43-character `pok=` value for a zone (base64 of SHA-256, unpadded). */
export function pokFor(seed: string): string {
  return createHash('sha256').update(seed).digest('base64').replace(/=+$/, '');
}

export function defaultDxText(zone: string): string {
  const bare = zone.replace(/\.$/, '');
  return `ver=1 pok=${pokFor(bare)} dx=dx.${bare}`;
}

/** The standard world: the hierarchy plus an unsigned and four broken siblings of example.test. */
export function standardZones(options: Pick<BindWorldOptions, 'extraRecords' | 'dxText' | 'siblings'> = {}): ZoneSpec[] {
  const zones: ZoneSpec[] = [
    { name: '.' },
    { name: 'test.' },
    {
      name: `${DOMAIN}.`,
      records: [
        `_dx TXT ${quoteTxt(options.dxText ?? defaultDxText(DOMAIN))}`,
        'www A 192.0.2.10',
        'dx A 127.0.0.1',
        '*.wild TXT "wildcard answer"',
        'MiXeD TXT "case is preserved"',
        ...(options.extraRecords ?? []),
      ],
    },
  ];
  if (options.siblings !== false) {
    zones.push(
      { name: 'unsigned.test.', signed: false },
      { name: 'expired.test.', breakage: 'expired-rrsig' },
      { name: 'tampered.test.', breakage: 'tampered-txt' },
      { name: 'nokey.test.', breakage: 'ds-no-key' },
      { name: 'norrsig.test.', breakage: 'missing-rrsig' }
    );
  }
  return zones;
}

/** Splits TXT text into quoted character-strings of at most 255 bytes. */
export function quoteTxt(text: string): string {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 255) pieces.push(`"${text.slice(i, i + 255).replace(/(["\\])/g, '\\$1')}"`);
  return pieces.join(' ');
}

function labelsOf(name: string): string[] {
  return name === '.' ? [] : name.replace(/\.$/, '').split('.');
}

function parentOf(zone: string, zones: readonly string[]): string | undefined {
  const labels = labelsOf(zone);
  for (let i = 1; i <= labels.length; i++) {
    const candidate = i === labels.length ? '.' : `${labels.slice(i).join('.')}.`;
    if (zones.includes(candidate)) return candidate;
  }
  return undefined;
}

function nsName(zone: string): string {
  return zone === '.' ? 'ns.root.' : `ns.${zone}`;
}

/** Generates a key; returns its tag. */
function keygen(zone: string, spec: VariantSpec, ksk: boolean, keyDir: string): number {
  const bits = ksk ? spec.kskBits : spec.zskBits;
  return dnssecKeygen({ zone, keyDir, algorithm: spec.algorithm, ksk, ...(bits ? { bits } : {}) });
}

function signArgs(zone: string, spec: VariantSpec, dir: string, output: string, input: string, window?: [string, string]): string[] {
  return signzoneArgs({ zone, keyDir: dir, input, output, ...(window ? { window } : {}), ...(spec.nsec3 ? { nsec3: spec.nsec3 } : {}) });
}

interface RrLine {
  owner: string;
  type: string;
  covered?: string;
}

/** Reads an `-O full` line: `owner ttl class type rdata…`. */
function parseRrLine(line: string): RrLine | undefined {
  if (line.startsWith(';') || line.trim() === '') return undefined;
  const tokens = line.trim().split(/\s+/);
  if (tokens.length < 5) return undefined;
  return { owner: tokens[0]!.toLowerCase(), type: tokens[3]!, covered: tokens[3] === 'RRSIG' ? tokens[4] : undefined };
}

function isDxTxtSig(line: string, owner: string): boolean {
  const rr = parseRrLine(line);
  return rr !== undefined && rr.owner === owner && rr.type === 'RRSIG' && rr.covered === 'TXT';
}

function zoneText(zone: string, address: string, records: string[], delegations: string[]): string {
  const soaMbox = zone === '.' ? 'hostmaster.root.' : `hostmaster.${zone}`;
  return [
    `$ORIGIN ${zone}`,
    '$TTL 300',
    `${zone} IN SOA ${nsName(zone)} ${soaMbox} 1 3600 600 86400 300`,
    `${zone} IN NS ${nsName(zone)}`,
    `${nsName(zone)} IN A ${address}`,
    ...records,
    ...delegations,
    '',
  ].join('\n');
}

/** Writes both named configs for `port` and starts the authoritative, then the recursive server. */
async function startServers(port: number, specs: ZoneSpec[], zones: Record<string, BuiltZone>, authDir: string, recDir: string): Promise<{ port: number; servers: BindServers }> {
  const authoritativeConf = writeAuthoritativeConf(
    authDir,
    port,
    specs.map((z) => ({ zone: z.name, address: zones[z.name]!.address, file: zones[z.name]!.servedFile }))
  );
  const recursiveConf = writeRecursiveConf(recDir, port, { address: RESOLVER_ADDRESS, rootAddress: zones['.']!.address, maxCacheTtl: 30 });
  const servers = await startBindServers({ port, authoritativeConf, recursiveConf, rootAddress: zones['.']!.address, resolverAddress: RESOLVER_ADDRESS });
  return { port, servers };
}

/**
 * Builds, signs and serves a world; resolves once the recursive resolver answers through the root.
 * Call `stop()` in afterAll. Requires root (for `ip addr add`) and BIND: check `skipWithoutBind`.
 */
export async function startBindWorld(options: BindWorldOptions = {}): Promise<BindWorld> {
  const variant = options.variant ?? 'ecdsap256sha256-nsec';
  const spec = VARIANTS[variant];
  const specs = options.zones ?? standardZones(options);
  if (specs.length > MAX_ZONES) throw new Error(`at most ${MAX_ZONES} zones`);
  const names = specs.map((z) => z.name);
  if (!names.includes('.')) throw new Error('the zone list needs the root');
  const dir = mkdtempSync(join(tmpdir(), `dime-bind-${variant}-`));
  const keep = options.keep === true || process.env.DIME_KEEP_BIND === '1';
  const cleanupDir = (): void => {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const zones: Record<string, BuiltZone> = {};
    const dsLines = new Map<string, string[]>();
    specs.forEach((z, i) => {
      zones[z.name] = {
        name: z.name,
        address: ALL_AUTHORITATIVE_ADDRESSES[i]!,
        signed: z.signed !== false,
        ...(z.breakage ? { breakage: z.breakage } : {}),
        servedFile: '',
        dxText: '',
      };
    });
    // Children before parents: deepest names first.
    const order = [...specs].sort((a, b) => labelsOf(b.name).length - labelsOf(a.name).length);
    for (const z of order) {
      const built = zones[z.name]!;
      const zoneDir = join(dir, 'zones', zoneDirName(z.name));
      mkdirSync(zoneDir, { recursive: true });
      const delegations: string[] = [];
      for (const child of specs.filter((c) => parentOf(c.name, names) === z.name)) {
        const c = zones[child.name]!;
        delegations.push(`${child.name} IN NS ${nsName(child.name)}`, `${nsName(child.name)} IN A ${c.address}`);
        delegations.push(...(dsLines.get(child.name) ?? []));
      }
      const hasDx = z.records?.some((r) => /^_dx\s/.test(r)) ?? false;
      const records = [...(z.records ?? [])];
      if (!hasDx && z.name !== '.' && z.name !== 'test.') records.unshift(`_dx TXT ${quoteTxt(defaultDxText(z.name))}`);
      const dxLine = records.find((r) => /^_dx\s/.test(r));
      if (dxLine) built.dxText = [...dxLine.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1')).join('');
      const input = join(zoneDir, 'zone.db');
      writeFileSync(input, zoneText(z.name, built.address, records, delegations));
      if (!built.signed) {
        built.servedFile = input;
        continue;
      }

      built.ksk = keygen(z.name, spec, true, zoneDir);
      built.zsk = keygen(z.name, spec, false, zoneDir);
      const signed = join(zoneDir, 'zone.signed');
      runBindTool('dnssec-signzone', signArgs(z.name, spec, zoneDir, signed, input), zoneDir);
      const dsset = readFileSync(join(zoneDir, `dsset-${z.name === '.' ? '.' : z.name}`), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      dsLines.set(z.name, dsset);

      const dxOwner = `_dx.${z.name}`.toLowerCase();
      let lines = readFileSync(signed, 'utf8').split('\n');
      switch (z.breakage) {
        case 'expired-rrsig': {
          // Same keys, past window; only the _dx TXT signature is swapped in.
          const past = join(zoneDir, 'zone.past');
          runBindTool('dnssec-signzone', signArgs(z.name, spec, zoneDir, past, input, [EXPIRED_INCEPTION, EXPIRED_EXPIRATION]), zoneDir);
          const pastSig = readFileSync(past, 'utf8').split('\n').filter((l) => isDxTxtSig(l, dxOwner));
          if (pastSig.length !== 1) throw new Error(`expected one past RRSIG TXT for ${dxOwner}, got ${pastSig.length}`);
          lines = lines.map((l) => (isDxTxtSig(l, dxOwner) ? pastSig[0]! : l));
          break;
        }
        case 'tampered-txt': {
          let edited = 0;
          lines = lines.map((l) => {
            const rr = parseRrLine(l);
            if (rr?.owner !== dxOwner || rr.type !== 'TXT') return l;
            edited++;
            return l.replace(/"[^]*$/, quoteTxt(defaultDxText(`evil.${z.name}`)));
          });
          if (edited !== 1) throw new Error(`expected one TXT at ${dxOwner}, edited ${edited}`);
          break;
        }
        case 'missing-rrsig': {
          const before = lines.length;
          lines = lines.filter((l) => !isDxTxtSig(l, dxOwner));
          if (before - lines.length !== 1) throw new Error(`expected one RRSIG TXT at ${dxOwner}`);
          break;
        }
        case 'ds-no-key': {
          // The parent publishes the DS of a KSK this zone never published.
          const ghostDir = join(zoneDir, 'ghost');
          mkdirSync(ghostDir);
          const ghostTag = keygen(z.name, spec, true, ghostDir);
          const keyFile = readdirSync(ghostDir).find((f) => f.endsWith('.key'))!;
          const ds = runBindTool('dnssec-dsfromkey', ['-2', join(ghostDir, keyFile)], ghostDir).trim();
          dsLines.set(z.name, [ds]);
          built.ghostDsTag = ghostTag;
          break;
        }
        case undefined:
          break;
      }
      writeFileSync(signed, lines.join('\n'));
      built.servedFile = signed;
    }

    // Trust anchors for the root, in three syntaxes.
    const rootDs = dsLines.get('.')!;
    const trustAnchorFile = join(dir, 'root-anchor.ds');
    writeFileSync(trustAnchorFile, `${rootDs.join('\n')}\n`);
    const bindAnchorFile = join(dir, 'root-anchor.conf');
    const staticDs = rootDs.map((line) => {
      const t = line.trim().split(/\s+/);
      const at = t.indexOf('DS');
      return `  . static-ds ${t[at + 1]} ${t[at + 2]} ${t[at + 3]} "${t.slice(at + 4).join('')}";`;
    });
    writeFileSync(bindAnchorFile, `trust-anchors {\n${staticDs.join('\n')}\n};\n`);
    const rootDir = join(dir, 'zones', 'root');
    const kskFile = readdirSync(rootDir).find((f) => f.endsWith(`+${String(zones['.']!.ksk).padStart(5, '0')}.key`));
    const dnskeyAnchorFile = join(dir, 'root-anchor.dnskey');
    const kskLine = readFileSync(join(rootDir, kskFile!), 'utf8')
      .split('\n')
      .find((l) => /\sDNSKEY\s/.test(l) && !l.startsWith(';'))!;
    writeFileSync(dnskeyAnchorFile, `${kskLine}\n`);

    const authDir = join(dir, 'authoritative');
    const recDir = join(dir, 'recursive');
    mkdirSync(authDir);
    mkdirSync(recDir);
    // Another world may take the port between our check and named's bind: then try another one.
    let started: { port: number; servers: BindServers } | undefined;
    for (let attempt = 1; !started; attempt++) {
      try {
        started = await startServers(await freeBindPort(RESOLVER_ADDRESS), specs, zones, authDir, recDir);
      } catch (err) {
        if (attempt >= 3 || !/address in use/.test((err as Error).message)) throw err;
      }
    }
    const { port, servers } = started;
    return {
      variant,
      domain: DOMAIN,
      resolver: `${RESOLVER_ADDRESS}:${port}`,
      port,
      trustAnchorFile,
      bindAnchorFile,
      dnskeyAnchorFile,
      dir,
      zones,
      logs: () => ({ authoritative: servers.authoritative.log(), recursive: servers.recursive.log() }),
      async stop() {
        await servers.stop();
        cleanupDir();
      },
    };
  } catch (err) {
    cleanupDir();
    throw err;
  }
}

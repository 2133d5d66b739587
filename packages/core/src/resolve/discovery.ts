/**
 * Where the DX is (profile §5, dmtp.md §1.3), as libdime did it but through our validating resolver:
 * each `dx=` host in order on the DX port (implicit TLS); without `dx=`, the first three MX hosts by
 * preference, each on the DX port, then in dual mode on 25, then 587; finally the domain itself on
 * the DX port. `-d` replaces the list with one host; `-p` is the port of whichever host is used (and
 * then no 25/587 fallback is tried); `--starttls` makes every attempt dual mode on that port.
 */
import { isIP } from 'node:net';
import { isDimeError } from '../errors/dime-error.js';
import { decodeRdata } from '../dns/index.js';
import { DMTP_DUAL_PORT, DMTP_PORT } from '../dmtp/client.js';
import type { DimeRecord } from '../record/dime-record.js';
import type { DnsLookup, ResolveLog } from './types.js';

/** Submission port: libdime's last resort after 25 in dual mode. */
export const DMTP_SUBMISSION_PORT = 587;
/** MX hosts tried, by preference (dmtp.md §1.3 step 3). */
export const MAX_MX_HOSTS = 3;

export interface DxCandidate {
  /** Host name (no trailing dot) or IP literal: dialled, sent as SNI/STARTTLS, checked by PKIX. */
  host: string;
  port: number;
  starttls: boolean;
  /** Why this host: `-d`, a `dx=` entry, an MX, or the domain itself. */
  source: 'option' | 'dx' | 'mx' | 'domain';
}

export interface DiscoveryOptions {
  dxHost?: string;
  port?: number;
  starttls?: boolean;
  log?: ResolveLog;
}

function bare(name: string): string {
  return name.endsWith('.') && name !== '.' ? name.slice(0, -1) : name;
}

/** The default port: 26, or 25 for dual mode. */
export function defaultDxPort(starttls: boolean | undefined): number {
  return starttls ? DMTP_DUAL_PORT : DMTP_PORT;
}

/** The MX hosts of `domain`, by preference (ties keep the answer order), without a null MX. */
async function mxHosts(domain: string, lookup: DnsLookup, log: ResolveLog): Promise<string[]> {
  const answer = await lookup(`${domain}.`, 'MX');
  log(2, `${domain} MX: ${answer.status} (${answer.rcode ?? 'no answer'}), ${answer.records.length} records`);
  if (answer.status === 'bogus' || answer.status === 'indeterminate') {
    log(1, `ignoring the MX records of ${domain}: ${answer.status}: ${answer.reason}`);
    return [];
  }
  const entries: { preference: number; exchange: string }[] = [];
  for (const rr of answer.records) {
    if (rr.type !== 'MX') continue;
    try {
      const fields = decodeRdata('MX', rr.rdata) as { preference: number; exchange: string };
      const exchange = bare(fields.exchange).toLowerCase();
      // RFC 7505 null MX: the domain accepts no mail, and names no DX this way.
      if (exchange === '.' || exchange === '') continue;
      entries.push({ preference: fields.preference, exchange });
    } catch (error) {
      if (!isDimeError(error)) throw error;
      log(1, `ignoring a malformed MX record of ${domain}: ${error.message}`);
    }
  }
  entries.sort((a, b) => a.preference - b.preference);
  return [...new Set(entries.map((entry) => entry.exchange))].slice(0, MAX_MX_HOSTS);
}

/** The hosts and ports to try, in order. */
export async function discoverDx(domain: string, record: DimeRecord, lookup: DnsLookup, options: DiscoveryOptions = {}): Promise<DxCandidate[]> {
  const log = options.log ?? (() => undefined);
  const starttls = options.starttls === true;
  const port = options.port ?? defaultDxPort(starttls);
  if (options.dxHost !== undefined) return [{ host: bare(options.dxHost), port, starttls, source: 'option' }];
  if (record.dx.length > 0) return record.dx.map((host) => ({ host: bare(host).toLowerCase(), port, starttls, source: 'dx' as const }));

  const candidates: DxCandidate[] = [];
  for (const host of await mxHosts(domain, lookup, log)) {
    if (options.port !== undefined || starttls) {
      candidates.push({ host, port, starttls, source: 'mx' });
    } else {
      candidates.push(
        { host, port: DMTP_PORT, starttls: false, source: 'mx' },
        { host, port: DMTP_DUAL_PORT, starttls: true, source: 'mx' },
        { host, port: DMTP_SUBMISSION_PORT, starttls: true, source: 'mx' }
      );
    }
  }
  candidates.push({ host: domain, port, starttls, source: 'domain' });
  return candidates;
}

export interface HostAddresses {
  addresses: string[];
  /** Why none were found (for the failure message). */
  reason?: string;
}

/**
 * A and/or AAAA of a DX host through the same validating resolver (IPv4 first; `-4`/`-6` keep one
 * family). Bogus or indeterminate answers give no addresses: the host is skipped, never dialled on
 * unverified data when validation said it was forged. An IP literal is its own address.
 */
export async function hostAddresses(host: string, lookup: DnsLookup, family: 4 | 6 | undefined, log: ResolveLog = () => undefined): Promise<HostAddresses> {
  const literal = isIP(host);
  if (literal !== 0) {
    if (family !== undefined && literal !== family) return { addresses: [], reason: `${host} is not an IPv${family} address` };
    return { addresses: [host] };
  }
  const types: Array<'A' | 'AAAA'> = family === 4 ? ['A'] : family === 6 ? ['AAAA'] : ['A', 'AAAA'];
  const addresses: string[] = [];
  const problems: string[] = [];
  for (const type of types) {
    const answer = await lookup(`${host}.`, type);
    log(2, `${host} ${type}: ${answer.status} (${answer.rcode ?? 'no answer'}), ${answer.records.length} records`);
    if (answer.status === 'bogus' || answer.status === 'indeterminate') {
      problems.push(`${type} ${answer.status}: ${answer.reason}`);
      continue;
    }
    for (const rr of answer.records) {
      if (rr.type !== type) continue;
      const fields = decodeRdata(type, rr.rdata) as { address: string };
      if (!addresses.includes(fields.address)) addresses.push(fields.address);
    }
    if (answer.rcode === 'NXDOMAIN') problems.push(`${type} NXDOMAIN (no such name)`);
  }
  if (addresses.length > 0) return { addresses };
  const wanted = types.join('/');
  return { addresses, reason: problems.length > 0 ? `${host}: ${problems.join('; ')}` : `${host} has no ${wanted} records` };
}

/**
 * Connects to the first DX candidate that answers with a compatible banner and a certificate the
 * DIME policy accepts (profile §4, §5). Every candidate address is tried in order; a refused
 * certificate moves on to the next candidate like a refused connection does, and the final error
 * says why each one failed. The certificate is judged right after the handshake, before the banner
 * is read, so nothing from an untrusted peer is ever parsed.
 */
import { DimeError, isDimeError } from '../errors/dime-error.js';
import { DmtpClient, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS } from '../dmtp/client.js';
import { formatHostPort } from '../dmtp/tls-options.js';
import type { DimeRecord } from '../record/dime-record.js';
import { hostAddresses, type DxCandidate } from './discovery.js';
import { decideDxTrust } from './dx-trust.js';
import type { DnsLookup, DxTrust, ResolvedDx, ResolveLog } from './types.js';

export interface ConnectDxOptions {
  lookup: DnsLookup;
  dnssec: 'secure' | 'insecure';
  record: Pick<DimeRecord, 'pok' | 'tls'>;
  /** PEM roots for PKIX; default Node's bundled roots. */
  ca?: string[];
  timeoutMs?: number;
  family?: 4 | 6;
  now?: Date;
  log?: ResolveLog;
  wireLog?: (line: string) => void;
}

export interface ConnectedDx {
  client: DmtpClient;
  dx: ResolvedDx;
}

/** Most telling first: a certificate refusal (exit 1) outranks a peer breaking the protocol or the network (exit 4). */
function rank(error: DimeError): number {
  if (error.code === 'CERT_UNTRUSTED') return 0;
  if (error.code === 'PROTOCOL') return 1;
  return 2;
}

export async function connectDx(domain: string, candidates: readonly DxCandidate[], options: ConnectDxOptions): Promise<ConnectedDx> {
  const log = options.log ?? (() => undefined);
  const failures: DimeError[] = [];
  for (const candidate of candidates) {
    const where = formatHostPort(candidate.host, candidate.port);
    const found = await hostAddresses(candidate.host, options.lookup, options.family, log);
    if (found.addresses.length === 0) {
      log(1, `skipping ${where} (${candidate.source}): ${found.reason}`);
      failures.push(new DimeError('NETWORK', `${where}: ${found.reason}`));
      continue;
    }
    for (const address of found.addresses) {
      let trust: DxTrust | undefined;
      log(3, `connecting to ${where} at ${address}${candidate.starttls ? ' (dual mode, STARTTLS)' : ''} [${candidate.source}]`);
      try {
        const client = await DmtpClient.connect({
          host: candidate.host,
          port: candidate.port,
          address,
          starttls: candidate.starttls,
          rejectUnauthorized: false,
          ...(options.ca ? { ca: options.ca } : {}),
          ...(options.family ? { family: options.family } : {}),
          connectTimeoutMs: options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
          readTimeoutMs: options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
          ...(options.wireLog ? { wireLog: options.wireLog } : {}),
          checkCertificate: (peer) => {
            const decision = decideDxTrust({
              dnssec: options.dnssec,
              record: options.record,
              der: peer.der,
              host: candidate.host,
              chainTrusted: peer.authorized,
              ...(peer.authorizationError ? { chainError: peer.authorizationError } : {}),
              ...(options.now ? { now: options.now } : {}),
            });
            log(3, `certificate of ${where}: ${peer.x509.subject.replace(/\n/g, ', ')}, ${peer.protocol} ${peer.cipher}: ${decision.accept ? 'accepted' : 'refused'}: ${decision.reason}`);
            if (!decision.accept) throw new DimeError('CERT_UNTRUSTED', `${where}: ${decision.reason}`);
            trust = decision.trust;
          },
        });
        log(1, `connected to DX ${where} (${address}), certificate trusted by ${trust}`);
        return {
          client,
          dx: { host: candidate.host, port: candidate.port, address, starttls: candidate.starttls, trust: trust! },
        };
      } catch (error) {
        if (!isDimeError(error)) throw error;
        log(1, `DX ${where} (${address}) failed: ${error.message}`);
        // Certificate refusals already name the host; others name the address dialled, so add the host.
        failures.push(error.code === 'CERT_UNTRUSTED' ? error : new DimeError(error.code, `${where}: ${error.message}`, { cause: error }));
      }
    }
  }
  if (failures.length === 0) throw new DimeError('NETWORK', `no DX host to try for ${domain}`);
  const best = [...failures].sort((a, b) => rank(a) - rank(b))[0]!;
  const others = failures.filter((f) => f !== best).map((f) => f.message);
  const also = others.length > 0 ? ` (also tried: ${others.join('; ')})` : '';
  throw new DimeError(best.code, `no usable DX for ${domain}: ${best.message}${also}`, { cause: best });
}

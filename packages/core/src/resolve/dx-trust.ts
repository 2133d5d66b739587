/**
 * The DIME policy for the DX certificate (profile §4 table), as one pure decision. It replaces
 * libdime's `_verify_dx_certificate` (dmtp.md §1.4) and fixes its bugs: every `tls=` is tried
 * against every `pok` (B9), a pin is only enough on its own when the record is DNSSEC-secure, a
 * pinned certificate must be inside its dates too, and there is no OCSP (neither a soft-fail one).
 *
 * | record   | tls= | a tls= matches | PKIX   | result                                        | trust       |
 * |----------|------|----------------|--------|-----------------------------------------------|-------------|
 * | secure   | yes  | yes            | any    | accept (dates checked)                        | dime-record |
 * | any      | yes  | no             | any    | reject: certificate not pinned by the record  |             |
 * | insecure | yes  | yes            | passes | accept                                        | pkix        |
 * | insecure | yes  | yes            | fails  | reject: a pin needs a secure record           |             |
 * | any      | no   |                | passes | accept                                        | pkix        |
 * | any      | no   |                | fails  | reject                                        |             |
 *
 * PKIX = chains to `--ca` (or Node's bundled roots), names the DX host, and is inside its dates.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { findCertificateMatch } from '../record/tls-binding.js';
import type { DimeRecord } from '../record/dime-record.js';
import type { DxTrust } from './types.js';

/** Messages the contract's table names; tests and callers compare against them. */
export const NOT_PINNED_MESSAGE = 'certificate not pinned by the record';
export const PIN_NEEDS_SECURE_MESSAGE = 'a pin needs a secure record';

export interface DxCertificateFacts {
  /** The record's DNSSEC status (bogus and indeterminate never get this far). */
  dnssec: 'secure' | 'insecure';
  record: Pick<DimeRecord, 'pok' | 'tls'>;
  /** DER of the leaf certificate. */
  der: Uint8Array;
  /** The host dialled: the `dx=` value, MX name, domain, or `-d` argument. */
  host: string;
  /** Whether the chain verified against the roots (Node's handshake result), and why not. */
  chainTrusted: boolean;
  chainError?: string;
  now?: Date;
}

export type DxTrustDecision =
  | { accept: true; trust: DxTrust; reason: string }
  | { accept: false; reason: string };

/** Inside notBefore..notAfter at `now`, or why not. */
export function certificateDatesProblem(x509: X509Certificate, now: Date): string | undefined {
  const from = new Date(x509.validFrom);
  const to = new Date(x509.validTo);
  if (now.getTime() < from.getTime()) return `certificate not valid before ${from.toISOString()}`;
  if (now.getTime() > to.getTime()) return `certificate expired ${to.toISOString()}`;
  return undefined;
}

/** Whether the certificate names `host` (SAN dNSName/IP, or CN when there is no SAN; wildcards). */
export function certificateNamesHost(x509: X509Certificate, host: string): boolean {
  return isIP(host) !== 0 ? x509.checkIP(host) !== undefined : x509.checkHost(host) !== undefined;
}

/** Why PKIX fails for this certificate and host, or undefined when it passes. */
export function pkixProblem(facts: Pick<DxCertificateFacts, 'der' | 'host' | 'chainTrusted' | 'chainError' | 'now'>): string | undefined {
  const x509 = new X509Certificate(facts.der);
  const dates = certificateDatesProblem(x509, facts.now ?? new Date());
  if (dates) return dates;
  if (!certificateNamesHost(x509, facts.host)) return `certificate does not name ${facts.host}`;
  if (!facts.chainTrusted) {
    // Node folds the host-name check into the same verdict; that case was answered just above.
    return `certificate does not chain to a trusted root${facts.chainError ? ` (${facts.chainError})` : ''}`;
  }
  return undefined;
}

/** Decides by the profile §4 table. */
export function decideDxTrust(facts: DxCertificateFacts): DxTrustDecision {
  const pkix = pkixProblem(facts);
  if (facts.record.tls.length > 0) {
    const match = findCertificateMatch(facts.record, facts.der);
    if (!match) return { accept: false, reason: `${NOT_PINNED_MESSAGE} (${facts.record.tls.length} tls= value${facts.record.tls.length === 1 ? '' : 's'} tried against ${facts.record.pok.length} pok)` };
    const pin = `tls= #${match.tlsIndex + 1} matches under pok #${match.pokIndex + 1}`;
    if (facts.dnssec === 'secure') {
      const dates = certificateDatesProblem(new X509Certificate(facts.der), facts.now ?? new Date());
      if (dates) return { accept: false, reason: `pinned ${dates}` };
      return { accept: true, trust: 'dime-record', reason: `${pin}, record secure` };
    }
    if (pkix === undefined) return { accept: true, trust: 'pkix', reason: `${pin}, record insecure, PKIX passes` };
    return { accept: false, reason: `${PIN_NEEDS_SECURE_MESSAGE}: the record is insecure and PKIX fails: ${pkix}` };
  }
  if (pkix === undefined) return { accept: true, trust: 'pkix', reason: 'no tls= in the record, PKIX passes' };
  return { accept: false, reason: `no tls= in the record and PKIX fails: ${pkix}` };
}

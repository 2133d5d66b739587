/**
 * The `tls=` field: Ed25519(POK private key, SHA-512(DER of the whole leaf certificate)), unpadded
 * base64, 86 characters (profile §3; record-and-dnssec.md §2.1). The signed message is the 64-byte
 * digest, not the DER, and the DER is the complete Certificate (tbs, algorithm and signature).
 */
import { base64EncodeUnpadded, toBytes } from '../bytes/encoding.js';
import { ed25519Sign, ed25519Verify } from '../crypto/ed25519.js';
import { sha512 } from '../crypto/hash.js';
import type { DimeRecord } from './dime-record.js';

/** The `tls=` value binding `certDer` to the POK whose seed is given. */
export function signCertificate(seed: Uint8Array, certDer: Uint8Array): string {
  return base64EncodeUnpadded(ed25519Sign(seed, sha512(certDer)));
}

export interface CertificateMatch {
  /** 0-based positions in the record's lists. */
  tlsIndex: number;
  pokIndex: number;
}

/** The first (tls, pok) pair that verifies for the certificate, trying every pair, or null. */
export function findCertificateMatch(record: Pick<DimeRecord, 'pok' | 'tls'>, certDer: Uint8Array): CertificateMatch | null {
  const digest = sha512(certDer);
  const poks = record.pok.map((p) => toBytes(Buffer.from(p, 'base64')));
  for (const [tlsIndex, tls] of record.tls.entries()) {
    const signature = toBytes(Buffer.from(tls, 'base64'));
    for (const [pokIndex, pok] of poks.entries()) {
      if (ed25519Verify(signature, digest, pok)) return { tlsIndex, pokIndex };
    }
  }
  return null;
}

/** True when any `tls` of the record verifies under any `pok` for this certificate. */
export function certificateMatches(record: Pick<DimeRecord, 'pok' | 'tls'>, certDer: Uint8Array): boolean {
  return findCertificateMatch(record, certDer) !== null;
}

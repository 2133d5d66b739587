/** DS records (RFC 4034 §5.1.4, RFC 4509, RFC 6605): digest = H(canonical owner | DNSKEY RDATA). */
import { badInput } from '../errors/dime-error.js';
import { bytesEqual } from '../bytes/encoding.js';
import { digest, type HashName } from '../crypto/hash.js';
import { nameToWire } from '../dns/name.js';
import { decodeDs, encodeDs } from '../dns/rdata.js';
import { keyTag } from './key-tag.js';

const DIGESTS: ReadonlyMap<number, HashName> = new Map([
  [1, 'sha1'],
  [2, 'sha256'],
  [4, 'sha384'],
]);

/** DS digest types we can compute: 1 SHA-1, 2 SHA-256, 4 SHA-384. */
export function isSupportedDigestType(type: number): boolean {
  return DIGESTS.has(type);
}

export function dsDigest(owner: string, dnskeyRdata: Uint8Array, digestType: number): Uint8Array {
  const hash = DIGESTS.get(digestType);
  if (!hash) throw badInput(`DS digest type ${digestType} is not supported`);
  return digest(hash, nameToWire(owner, true), dnskeyRdata);
}

/** DS RDATA for a DNSKEY (what `dnssec-dsfromkey` prints). */
export function dsFromDnskey(owner: string, dnskeyRdata: Uint8Array, digestType = 2): Uint8Array {
  if (dnskeyRdata.length < 4) throw badInput('DNSKEY: RDATA shorter than 4 bytes');
  return encodeDs({ keyTag: keyTag(dnskeyRdata), algorithm: dnskeyRdata[3]!, digestType, digest: dsDigest(owner, dnskeyRdata, digestType) });
}

/** True when the DS RDATA designates this DNSKEY (tag, algorithm and digest all match). */
export function dsMatchesDnskey(owner: string, dsRdata: Uint8Array, dnskeyRdata: Uint8Array): boolean {
  const ds = decodeDs(dsRdata);
  if (!isSupportedDigestType(ds.digestType) || dnskeyRdata.length < 4) return false;
  if (ds.algorithm !== dnskeyRdata[3] || ds.keyTag !== keyTag(dnskeyRdata)) return false;
  return bytesEqual(ds.digest, dsDigest(owner, dnskeyRdata, ds.digestType));
}

/**
 * @dime/core/dnssec — DNSSEC canonical form, key tags, DS digests, signatures, RRSIG checks,
 * authenticated denial, the validator, trust anchors and the zone signer.
 *
 * Low level
 * - `keyTag(dnskeyRdata)` (RFC 4034 App. B); `dsFromDnskey(owner, dnskeyRdata, digestType=2)`,
 *   `dsDigest`, `dsMatchesDnskey` (digest types 1, 2, 4).
 * - `signedData(rrsigFields, rrset)`, `canonicalRdataSet(rrset)`, `signedOwnerName(owner, labels)`.
 * - `verifySignature(alg, publicKey, data, sig)` (5/7/8/10/13/14/15/16), `signData(alg, key, data)`,
 *   `importDnskeyPublicKey`, `dnskeyPublicKey(alg, keyObject)`, `generateDnssecKey(alg, rsaBits?)`,
 *   `importBindPrivateKey(text)` (BIND Private-key-format v1.2).
 * - `verifyRrsig(rrset, rrsig, dnskeys, {now, budget})`, `verifyRrset(rrset, rrsigs, dnskeys, {now, budget, signer?})`.
 * - Serial time: `serialLessOrEqual`, `toSerialTime`.
 * - Limits (named constants, see README): `MAX_KEYS_PER_RRSIG`, `MAX_RRSIGS_PER_RRSET`,
 *   `MAX_VALIDATIONS_PER_LOOKUP`, `MAX_NSEC3_ITERATIONS`, … and `WorkBudget`.
 */
export { canonicalRdataSet, signedOwnerName, signedData } from './canonical.js';
export { keyTag } from './key-tag.js';
export { isSupportedDigestType, dsDigest, dsFromDnskey, dsMatchesDnskey } from './ds.js';
export {
  SUPPORTED_ALGORITHMS,
  SIGNING_ALGORITHMS,
  isSupportedAlgorithm,
  parseRsaPublicKey,
  importDnskeyPublicKey,
  verifySignature,
  signData,
  dnskeyPublicKey,
  generateDnssecKey,
  importBindPrivateKey,
} from './algorithms.js';
export { serialLessOrEqual, toSerialTime, serialToDate, formatInstant } from './serial-time.js';
export {
  MAX_KEYS_PER_RRSIG,
  MAX_RRSIGS_PER_RRSET,
  MAX_VALIDATIONS_PER_LOOKUP,
  MAX_NSEC3_ITERATIONS,
  MAX_NSEC3_HASHES_PER_LOOKUP,
  MAX_CNAME_CHAIN,
  MAX_QUERIES_PER_LOOKUP,
  MAX_ZONE_DEPTH,
  DEFAULT_LIMITS,
  WorkBudget,
  WorkLimitError,
} from './limits.js';
export type { ValidationLimits } from './limits.js';
export { DNSKEY_FLAG_ZONE, DNSKEY_FLAG_REVOKE, DNSKEY_FLAG_SEP, displayName, verifyRrsig, verifyRrset } from './rrsig.js';
export type { RrsigVerdict, RrsetVerdict, VerifyOptions } from './rrsig.js';
export { nsec3Hash, nsec3HashLabel } from './nsec3-hash.js';
export { generateZoneKey, dnskeyRdataOf, dnskeyRecordOf, signRrset, signZone } from './signer.js';
export type { ZoneKey, SignZoneOptions } from './signer.js';
export { proveDenial, proveWildcardExpansion } from './denial.js';
export type { DenialContext, DenialResult } from './denial.js';
export { ROOT_TRUST_ANCHORS, parseTrustAnchors } from './anchors.js';
export type { TrustAnchor } from './anchors.js';
export { validateLookup } from './validator.js';
export type { ValidationStatus, ChainLink, LookupResult, ValidateOptions } from './validator.js';

/**
 * @dime/core/dnssec — DNSSEC canonical form, key tags, DS digests, signatures, RRSIG checks,
 * authenticated denial, the validator, trust anchors and the zone signer. See the package README
 * for the decisions and the limits.
 *
 * Validator
 * - `validateLookup(name, type, {transport, anchors?, now?, limits?})` → `LookupResult`
 *   `{name, type, status: 'secure'|'insecure'|'bogus'|'indeterminate', rcode, reason, records, chain}`.
 *   Like `delv`: all queries to one resolver (DO=1, CD=1), the chain built from the closest trust
 *   anchor through every zone cut (found by DS queries), DS → DNSKEY (self-signed by a matching key)
 *   → RRset; NSEC/NSEC3 denial, wildcards with their proof, CNAMEs link by link. Never throws for
 *   network or validation problems (transport failure → indeterminate); BAD_INPUT for a bad name/type.
 * - `proveDenial(kind, name, type, authority, ctx)`, `proveWildcardExpansion(name, labels, authority, ctx)`.
 *
 * Trust anchors
 * - `ROOT_TRUST_ANCHORS` (KSK-2017 20326, KSK-2024 38696); `parseTrustAnchors(text)` for zone-file
 *   DS/DNSKEY lines, unbound root.key, BIND trust-anchors / managed-keys / trusted-keys blocks.
 *
 * Signer
 * - `signZone(records, {origin, keys, inception, expiration, nsec?, nsec3?})`, `signRrset`,
 *   `generateZoneKey(alg, flags, rsaBits?)`, `dnskeyRdataOf(key)`, `dnskeyRecordOf(origin, key)`,
 *   `dsFromDnskey(owner, dnskeyRdata, digestType)`.
 *
 * Low level
 * - `keyTag(dnskeyRdata)` (RFC 4034 App. B); `dsFromDnskey(owner, dnskeyRdata, digestType=2)`,
 *   `dsDigest`, `dsMatchesDnskey` (digest types 1, 2, 4).
 * - `signedData(rrsigFields, rrset)`, `canonicalRdataSet(rrset)`, `signedOwnerName(owner, labels)`.
 * - `verifySignature(alg, publicKey, data, sig)` (5/7/8/10/13/14/15/16), `signData(alg, key, data)`,
 *   `importDnskeyPublicKey`, `dnskeyPublicKey(alg, keyObject)`, `generateDnssecKey(alg, rsaBits?)`,
 *   `importBindPrivateKey(text)` (BIND Private-key-format v1.2).
 * - `verifyRrsig(rrset, rrsig, dnskeys, {now, budget})`, `verifyRrset(rrset, rrsigs, dnskeys, {now, budget, signer?})`,
 *   `validateRecordSet(rrset, rrsigs, dnskeys, {now?, signer?, budget?})` (limits become bogus, never throws).
 * - `nsec3Hash(name, salt, iterations)`; serial time: `serialLessOrEqual`, `toSerialTime`.
 * - Limits (named constants): `MAX_KEYS_PER_RRSIG` 4, `MAX_RRSIGS_PER_RRSET` 8,
 *   `MAX_VALIDATIONS_PER_LOOKUP` 64, `MAX_NSEC3_ITERATIONS` 150, `MAX_NSEC3_HASHES_PER_LOOKUP` 512,
 *   `MAX_CNAME_CHAIN` 8, `MAX_QUERIES_PER_LOOKUP` 96, `MAX_ZONE_DEPTH` 32; `WorkBudget`.
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
export { DNSKEY_FLAG_ZONE, DNSKEY_FLAG_REVOKE, DNSKEY_FLAG_SEP, displayName, verifyRrsig, verifyRrset, validateRecordSet } from './rrsig.js';
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

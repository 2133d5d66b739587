/**
 * @dime/core/dns — DNS wire format, names, RDATA, presentation and zone files.
 *
 * Names: absolute presentation strings with a trailing dot (`_dx.example.com.`, root `.`), RFC 1035
 * escapes (`\.`, `\\`, `\DDD`); case is kept as received; compare with `namesEqual`/`compareNames`
 * (RFC 4034 §6.1 canonical order). A name without a trailing dot is taken as absolute.
 *
 * Records (`ResourceRecord`, alias `RR`): `{name, type, class, ttl, rdata, data?}` where `type` is a
 * mnemonic or `TYPEnnn`, `rdata` is uncompressed wire RDATA and `data` its decoded fields.
 *
 * - `decodeMessage(bytes)` → `{id, flags, rcode, question, answers, authorities, additionals, edns?}`
 *   (BAD_INPUT on any malformed byte; compression pointers must point backwards, loops rejected).
 * - `encodeQuery({id, name, type, dnssecOk?, checkingDisabled?, udpSize?, recursionDesired?})`
 *   (defaults: RD=1, DO=1, CD=1, EDNS 1232).
 * - `encodeMessage(msg, {compress?, maxSize?})` / `encodeResponse(...)`: owner names compressed,
 *   RDATA uncompressed; over `maxSize` the RRs are dropped and TC is set.
 * - `parseZoneFile(text, {origin?, defaultTtl?})` → RR[]; `parseRdata(type, text, origin?)`.
 * - `formatRecord(rr)` / `formatRdata(type, rdata)`: presentation lines (RFC 3597 `\#` for unknown).
 * - `txtStrings(rdata)`: the character-strings of a TXT RDATA.
 * - `answerFromZones(zones, query)`: authoritative answers (with DNSSEC records) from in-memory zones.
 */
export type { DnsQuery, DnsTransport } from './transport.js';
export type {
  ResourceRecord,
  RR,
  RdataFields,
  SoaFields,
  DsFields,
  DnskeyFields,
  RrsigFields,
  NsecFields,
  Nsec3Fields,
  Nsec3ParamFields,
} from './record.js';
export {
  typeToCode,
  typeToName,
  isKnownTypeName,
  classToCode,
  classToName,
  isClassName,
  rcodeToName,
  rcodeToCode,
  algorithmToCode,
  algorithmName,
} from './types.js';
export {
  MAX_LABEL_LENGTH,
  MAX_NAME_WIRE_LENGTH,
  parseNameLabels,
  nameToLabels,
  formatLabel,
  labelsToName,
  normalizeName,
  lowercaseLabels,
  canonicalName,
  labelsToWire,
  nameToWire,
  readWireName,
  wireToName,
  compareLabels,
  compareNames,
  namesEqual,
  isSubdomainLabels,
  isSubdomain,
  labelCount,
  nameSuffix,
  parentName,
  isWildcardName,
  wildcardOf,
} from './name.js';
export type { Labels } from './name.js';
export { base32hexEncode, base32hexDecode } from './base32hex.js';
export { encodeTypeBitmap, decodeTypeBitmap, typeBitmapNames } from './type-bitmap.js';
export {
  expandRdata,
  canonicalRdata,
  checkRdata,
  formatIpv4,
  formatIpv6,
  parseIpv4,
  parseIpv6,
  txtStrings,
  decodeSoa,
  decodeDs,
  decodeDnskey,
  decodeRrsig,
  decodeNsec,
  decodeNsec3,
  decodeNsec3Param,
  decodeRdata,
  encodeSoa,
  encodeDs,
  encodeDnskey,
  encodeRrsig,
  encodeNsec,
  encodeNsec3,
  encodeNsec3Param,
  encodeTxt,
  formatCharacterString,
  formatRrsigTime,
  formatRdata,
  formatRecord,
} from './rdata.js';
export { decodeMessage, encodeMessage, encodeResponse, encodeQuery, DEFAULT_UDP_SIZE } from './message.js';
export type { DnsMessage, DnsMessageInput, MessageFlags, Question, Edns, EncodeOptions, QueryOptions } from './message.js';
export { parseZoneFile, parseRdata, parseTtl, parseRrsigTime, characterStringBytes } from './zone-file.js';
export type { ZoneFileOptions } from './zone-file.js';
export {
  createStubTransport,
  parseServerAddress,
  formatServerAddress,
  DEFAULT_DNS_PORT,
  DEFAULT_DNS_TIMEOUT_MS,
  DEFAULT_DNS_RETRIES,
  EDNS_UDP_PAYLOAD_SIZE,
} from './stub-client.js';
export type { ServerAddress, StubTransportOptions } from './stub-client.js';
export { resolverFromResolvConf, parseResolvConf, DEFAULT_RESOLV_CONF } from './resolv-conf.js';
export { answerFromZones, answerQuery, nsec3OwnerOf, createZoneTransport } from './authority.js';
export type { AuthoritativeZone, AnswerOptions } from './authority.js';
export { startZoneServer, ZONE_SERVER_IDLE_TIMEOUT_MS, ZONE_SERVER_MAX_CONNECTIONS } from './zone-server.js';
export type { ZoneServer, ZoneServerOptions } from './zone-server.js';

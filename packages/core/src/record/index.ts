/** The DIME management record (profile §3): parse, validate, format, `tls=` binding, key input. */
export {
  RECORD_POLICIES,
  SUBDOMAIN_MODES,
  RECORD_VERSION,
  DEFAULT_POLICY,
  DEFAULT_SUBDOMAIN,
  POK_LENGTH,
  TLS_LENGTH,
  MAX_EXPIRY_DAYS,
  recordToJson,
  newRecord,
} from './dime-record.js';
export type { DimeRecord, DimeRecordJson, RecordPolicy, SubdomainMode, UnknownField } from './dime-record.js';
export { NO_RECORD_MESSAGE, AMBIGUOUS_RECORD_MESSAGE } from './messages.js';
export {
  checkPok,
  checkTls,
  checkVersion,
  checkPolicy,
  checkSubdomain,
  checkExpiry,
  checkDx,
  checkSyndicate,
  isHostName,
} from './field-rules.js';
export {
  MAX_RECORD_LENGTH,
  canonicalFieldName,
  joinCharacterStrings,
  tokenizeRecord,
  parseRecord,
  isRecordCandidate,
  selectDimeRecord,
} from './parse-record.js';
export type { RecordInput, RecordToken } from './parse-record.js';
export {
  MAX_CHARACTER_STRING,
  DEFAULT_ZONE_TTL,
  formatDimeRecord,
  splitCharacterStrings,
  quoteCharacterString,
  formatZoneLine,
} from './format-record.js';
export { readCertificatePem, readCertificate, parseCertificateDer } from './certificate.js';
export { signCertificate, findCertificateMatch, certificateMatches } from './tls-binding.js';
export type { CertificateMatch } from './tls-binding.js';
export { readSigningKey } from './signing-key.js';
export type { SigningKey, SigningKeySource } from './signing-key.js';
export { readRecordFile, parseRecordFile, recordFileForm } from './record-file.js';
export type { RecordFile, RecordFileForm, RecordFileOptions } from './record-file.js';

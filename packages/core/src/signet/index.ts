/**
 * Signets, SSRs and keys files (profile §2, signet-format.md): armor, binary codec in every dialect,
 * keys, generation and signing, fingerprints and verification. Other packages (genrec, dmtpd,
 * dime, the lab) use only the names exported here.
 *
 * Quick map:
 * - read: {@link decodeSignetObject} (armor text, armor bytes or binary), {@link parseArmor},
 *   {@link decodeSignetBinary}, {@link decodeSignetBase64} (DMTP replies)
 * - write: {@link armorSignetObject}, {@link armorEncode}, {@link encodeSignetObject},
 *   {@link encodeSignetBase64}
 * - keys: {@link decodeKeys}, {@link encodeKeys}, {@link generateKeys}, {@link pokOf}
 * - identity: {@link signingKeyOf}, {@link fingerprints}, {@link normalizeFingerprint},
 *   {@link fingerprintKinds}
 * - make: {@link createOrgSignet}, {@link createSsr}, {@link signSsr}, {@link addSignature}
 * - check: {@link verifySignet}, {@link custodyLink}, {@link isCustodySuccessor}
 */
export * from './types.js';
export { crc24, crc24Bytes } from './crc24.js';
export { parseArmor, armorEncode, looksArmored, ARMOR_TAGS, LEGACY_ARMOR_TAGS, ARMOR_LINE_WIDTH } from './armor.js';
export type { ArmorBlock, ArmorTag } from './armor.js';
export { fieldDescriptor, fieldTable, encryptionFieldId, cryptoSignatureFieldId } from './field-tables.js';
export type { FieldDescriptor, FieldContent, FieldLength } from './field-tables.js';
export {
  SIGNING_KEY_FORMAT,
  SOK_PERMISSION,
  parseSigningKey,
  encodeSigningKey,
  parseSok,
  checkEncryptionKey,
  compressEncryptionKey,
  secp256k1PublicFromPrivate,
  secp256k1GeneratePrivate,
} from './keys-math.js';
export { decodeSignetBinary, readHeader, describeType } from './parse.js';
export { encodeSignetObject, encodePayload } from './serialize.js';
export type { SignetEncodeOptions } from './serialize.js';
export {
  decodeSignetObject,
  decodeSignetBase64,
  encodeSignetBase64,
  armorTagFor,
  armorSignetObject,
  findField,
  findFields,
  fieldText,
  signetIdentifier,
  signingKeyOf,
  encryptionKeyOf,
  objectDialect,
} from './object.js';
export { decodeKeys, encodeKeys, generateKeys, keysFromMaterial, pokOf, signingKeyField } from './keys.js';
export type { SignetKeys } from './keys.js';
export {
  fingerprints,
  normalizeFingerprint,
  fingerprintKinds,
  hasFingerprint,
  payloadBefore,
  payloadThrough,
  FINGERPRINT_LENGTH,
} from './fingerprint.js';
export type { Fingerprints } from './fingerprint.js';
export { createOrgSignet, createSsr, signSsr, addSignature, ANSWER_FIELDS } from './sign.js';
export type { SignetAnswers, GenerateOptions, SsrOptions } from './sign.js';
export {
  verifySignet,
  verificationPassed,
  verificationErrorCode,
  stateAtLeast,
  custodyLink,
  isCustodySuccessor,
  orgSigningKeys,
  parsePok,
} from './verify.js';
export type { VerificationState, TrustSource, SignatureCheck, VerifyOptions, SignetVerification } from './verify.js';
export { dumpSignet, examineFields, formatFieldValue } from './dump.js';
export type { SignetDump, DumpedField, ExaminedField } from './dump.js';

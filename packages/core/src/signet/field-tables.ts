/**
 * The field-descriptor tables of signet-format.md §2 (and §6 for keys files). One table per object
 * type drives everything: the parser (which ids exist, their length width, order and uniqueness),
 * the serializer, validation (required fields), `signet -d` and `signet -x`.
 */
import type { SignetType } from './types.js';

/** How a field's length is stored. `enc` = 1 byte (magma, PRIME) or 2 bytes (libdime), detected. */
export type FieldLength = 'fixed64' | 1 | 2 | 3 | 'enc' | 'named';

/** What a field holds; decides value checks and how `-d` shows it. */
export type FieldContent =
  | 'signing-key'
  | 'sok'
  | 'encryption-key'
  | 'signature'
  | 'text'
  | 'photo'
  | 'undefined'
  | 'seed'
  | 'scalar';

export interface FieldDescriptor {
  readonly id: number;
  readonly name: string;
  /** Needed for a complete object (signet-format.md §2 "Req"). */
  readonly required: boolean;
  /** May appear at most once. */
  readonly unique: boolean;
  readonly length: FieldLength;
  readonly content: FieldContent;
  readonly description: string;
}

function d(
  id: number,
  name: string,
  length: FieldLength,
  content: FieldContent,
  description: string,
  flags: { required?: boolean; repeatable?: boolean } = {}
): FieldDescriptor {
  return { id, name, length, content, description, required: flags.required ?? false, unique: !flags.repeatable };
}

/** Informational text fields 16–27, shared by org and user signets. */
function commonTextFields(): FieldDescriptor[] {
  return [
    d(16, 'Name', 1, 'text', 'Display name of the organization or person'),
    d(17, 'Address', 1, 'text', 'Postal street address'),
    d(18, 'Province', 1, 'text', 'State, province or region'),
    d(19, 'Country', 1, 'text', 'Country'),
    d(20, 'Postal-Code', 1, 'text', 'Postal or ZIP code'),
    d(21, 'Phone-Number', 1, 'text', 'Telephone number (may repeat)', { repeatable: true }),
    d(22, 'Language', 1, 'text', 'Preferred languages'),
    d(23, 'Currency', 1, 'text', 'Accepted currencies'),
    d(24, 'Cryptocurrency', 1, 'text', 'Accepted cryptocurrencies'),
    d(25, 'Motto', 1, 'text', 'Motto or slogan'),
    d(26, 'Extensions', 1, 'text', 'Supported protocol extensions'),
    d(27, 'Message-Size-Limit', 1, 'text', 'Largest message accepted, in bytes'),
  ];
}

function tailFields(signer: string, idWhat: string): FieldDescriptor[] {
  return [
    d(251, 'Undefined-Field', 'named', 'undefined', 'A named field this version does not define (may repeat)', { repeatable: true }),
    d(252, 'Photo', 3, 'photo', 'A PNG picture'),
    d(253, 'Organizational-Signature', 'fixed64', 'signature', `Full signature: ${signer} over every field before 253`, { required: true }),
    d(254, 'Signet-Identifier', 1, 'text', idWhat, { required: true }),
    d(255, 'Organizational-Signature', 'fixed64', 'signature', `ID signature: ${signer} over every field before 255`, { required: true }),
  ];
}

const ORG_FIELDS: FieldDescriptor[] = [
  d(1, 'Primary-Organizational-Key', 1, 'signing-key', 'The POK: Ed25519 public key that signs this signet and its users', { required: true }),
  d(2, 'Secondary-Organizational-Key', 1, 'sok', 'A SOK: permission byte and an Ed25519 public key (may repeat)', { repeatable: true }),
  d(3, 'Encryption-Key', 'enc', 'encryption-key', 'secp256k1 public key for encrypting to the organization', { required: true }),
  d(4, 'Organizational-Signature', 'fixed64', 'signature', 'Crypto signature: the POK over fields 1-3', { required: true }),
  ...commonTextFields(),
  d(160, 'Website', 2, 'text', 'Web site URL'),
  d(200, 'Contact-Abuse', 2, 'text', 'Abuse contact address'),
  d(201, 'Contact-Admin', 2, 'text', 'Administrative contact address'),
  d(202, 'Contact-Support', 2, 'text', 'Support contact address'),
  d(203, 'Web-Access-Host', 2, 'text', 'Webmail host name'),
  d(204, 'Web-Access-Location', 2, 'text', 'Webmail URL path'),
  d(205, 'Web-Access-Certificate', 2, 'text', 'Signatures of the webmail TLS certificate'),
  d(206, 'Mail-Access-Host', 2, 'text', 'Mail access (IMAP/POP) host name'),
  d(207, 'Mail-Access-Certificate', 2, 'text', 'Signatures of the mail access TLS certificate'),
  d(208, 'Onion-Access-Host', 2, 'text', 'Tor onion host for access'),
  d(209, 'Onion-Access-Certificate', 2, 'text', 'Signatures of the onion access TLS certificate'),
  d(210, 'Onion-Delivery-Host', 2, 'text', 'Tor onion host for delivery'),
  d(211, 'Onion-Delivery-Certificate', 2, 'text', 'Signatures of the onion delivery TLS certificate'),
  ...tailFields('the POK', 'The domain this signet speaks for'),
];

const USER_FIELDS: FieldDescriptor[] = [
  d(1, 'Signing-Key', 1, 'signing-key', "The user's Ed25519 public signing key", { required: true }),
  d(2, 'Encryption-Key', 'enc', 'encryption-key', "The user's secp256k1 public encryption key", { required: true }),
  d(3, 'Alternate-Encryption-Key', 'enc', 'encryption-key', 'Another secp256k1 public key (may repeat)', { repeatable: true }),
  d(4, 'Custody', 'fixed64', 'signature', 'Chain of custody: the previous signing key over fields 1-3'),
  d(5, 'User-Signature', 'fixed64', 'signature', "Self-signature: the user's signing key over fields 1-4", { required: true }),
  d(6, 'Organizational-Signature', 'fixed64', 'signature', 'Crypto signature: the org POK (or a signing SOK) over fields 1-5', { required: true }),
  ...commonTextFields(),
  d(93, 'Supported-Codecs', 1, 'text', 'Message codecs the user reads'),
  d(94, 'Title', 1, 'text', 'Job title'),
  d(95, 'Employer', 1, 'text', 'Employer'),
  d(96, 'Gender', 1, 'text', 'Gender'),
  d(97, 'Alma-Mater', 1, 'text', 'School or university'),
  d(98, 'Supervisor', 1, 'text', 'Supervisor'),
  d(99, 'Political-Party', 1, 'text', 'Political party'),
  d(160, 'Website', 2, 'text', 'Web site URL'),
  d(200, 'Alternate-Address', 2, 'text', 'Another mail address of the user'),
  d(201, 'Resume', 2, 'text', 'Curriculum vitae'),
  d(202, 'Endorsements', 2, 'text', 'Endorsements (may repeat)', { repeatable: true }),
  ...tailFields('the org POK (or a signing SOK)', 'The mail address this signet speaks for'),
];

const SSR_FIELDS: FieldDescriptor[] = [
  d(1, 'User-Signing-Key', 1, 'signing-key', "The requesting user's Ed25519 public signing key", { required: true }),
  d(2, 'User-Encryption-Key', 'enc', 'encryption-key', "The requesting user's secp256k1 public key", { required: true }),
  d(3, 'Alternate-Encryption-Key', 'enc', 'encryption-key', 'Another secp256k1 public key (may repeat)', { repeatable: true }),
  d(4, 'Chain-Of-Custody-Signature', 'fixed64', 'signature', 'The previous signing key over fields 1-3'),
  d(5, 'User-Ssr-Signature', 'fixed64', 'signature', "Self-signature: this request's signing key over fields 1-4", { required: true }),
];

const ORG_KEYS_FIELDS: FieldDescriptor[] = [
  d(1, 'Private-Organizational-Key', 1, 'seed', 'Ed25519 private seed of the POK (32 bytes)', { required: true }),
  d(3, 'Private-Encryption-Key', 'enc', 'scalar', 'secp256k1 private scalar (32 bytes, big-endian)', { required: true }),
];

const USER_KEYS_FIELDS: FieldDescriptor[] = [
  d(1, 'Private-Signing-Key', 1, 'seed', 'Ed25519 private seed of the signing key (32 bytes)', { required: true }),
  d(2, 'Private-Encryption-Key', 'enc', 'scalar', 'secp256k1 private scalar (32 bytes, big-endian)', { required: true }),
];

function index(fields: FieldDescriptor[]): ReadonlyMap<number, FieldDescriptor> {
  return new Map(fields.map((f) => [f.id, f]));
}

const TABLES: Record<SignetType, ReadonlyMap<number, FieldDescriptor>> = {
  org: index(ORG_FIELDS),
  user: index(USER_FIELDS),
  ssr: index(SSR_FIELDS),
  'org-keys': index(ORG_KEYS_FIELDS),
  'user-keys': index(USER_KEYS_FIELDS),
};

/** The descriptor of `id` for `type`, or undefined when the id is not defined for that type. */
export function fieldDescriptor(type: SignetType, id: number): FieldDescriptor | undefined {
  return TABLES[type].get(id);
}

/** All defined fields of a type in id order (what `signet -x` lists). */
export function fieldTable(type: SignetType): readonly FieldDescriptor[] {
  return [...TABLES[type].values()];
}

/** The id of the encryption-key field of a type (org 3, user/SSR 2, org keys 3, user keys 2). */
export function encryptionFieldId(type: SignetType): number {
  return type === 'org' || type === 'org-keys' ? 3 : 2;
}

/** The crypto-signature field: org 4, user 6 (an SSR's own signature is 5). */
export function cryptoSignatureFieldId(type: 'org' | 'user'): number {
  return type === 'org' ? 4 : 6;
}

/**
 * The shapes shared by the signet codec (signet-format.md §1, §2, §6). Every object DIME keeps on
 * disk — org signet, user signet, SSR, org keys, user keys — is the same thing: a 5-byte header
 * (u16 magic, u24 payload length) and a run of fields sorted by id.
 */

/** The object type, always taken from the magic number (never from an armor tag). */
export type SignetType = 'org' | 'user' | 'ssr' | 'org-keys' | 'user-keys';

/** The signet types proper (the keys files excluded). */
export type SignetKind = 'org' | 'user' | 'ssr';

/**
 * How an object is written (profile §2): `magma` = what magma's `signet` tool writes (0x40-prefixed
 * signing keys, 1-byte encryption-key lengths); `prime` = what the magma server writes (raw 32-byte
 * signing keys, `SIGNET SIGNING REQUEST` tag for SSRs); `libdime` = standalone libdime (2-byte
 * encryption-key lengths, keys payload 69).
 */
export type SignetDialect = 'magma' | 'prime' | 'libdime';

export const SIGNET_DIALECTS: readonly SignetDialect[] = ['magma', 'prime', 'libdime'];

/** The four fingerprint kinds of signet-format.md §5, from the shortest prefix to the whole payload. */
export type FingerprintKind = 'ssr' | 'crypto' | 'full' | 'id';

export const FINGERPRINT_KINDS: readonly FingerprintKind[] = ['ssr', 'crypto', 'full', 'id'];

/** One field as it sits in the payload. */
export interface SignetField {
  /** Field id, 1–255. */
  readonly id: number;
  /** Descriptor name (`Encryption-Key`); for an undefined field (251) its own name. */
  readonly name: string;
  /** The field's data (for 251, the value part). */
  readonly value: Uint8Array;
  /** Field 251 only: the raw name bytes. */
  readonly label?: Uint8Array;
  /** Width of the length prefix as read or written: 0 for fixed 64-byte signatures, else 1, 2 or 3. */
  readonly lengthWidth: 0 | 1 | 2 | 3;
  /** Offset of the field's id byte inside the payload. */
  readonly start: number;
  /** Offset just past the field inside the payload. */
  readonly end: number;
}

/** A decoded object: the exact bytes it came from plus the parsed fields. */
export interface SignetObject {
  readonly type: SignetType;
  readonly magic: number;
  /** Header and payload: the binary form, exactly as read or written. */
  readonly bytes: Uint8Array;
  /** The field area (bytes after the 5-byte header): what signatures and fingerprints cover. */
  readonly payload: Uint8Array;
  readonly fields: readonly SignetField[];
  /** The armor tag the object was read under, when it came armored. */
  readonly armorTag?: string;
}

/** A field to write: the codec fills in name, width and offsets. */
export interface SignetFieldInput {
  readonly id: number;
  readonly value: Uint8Array;
  /** Field 251: the undefined field's name. */
  readonly label?: Uint8Array;
  /** Force a length width (only the encryption-key fields have a choice: 1 or 2). */
  readonly lengthWidth?: 0 | 1 | 2 | 3;
}

/** Options of every decoder. */
export interface DecodeOptions {
  /**
   * Accept an armor block without its `=CRC24` line (a wrong CRC is never accepted), the legacy
   * `SIGNET`/`SIGNET PRIVATE KEYCHAIN` tags, and zero-length text fields (PRIME writes them).
   */
  readonly lenient?: boolean;
}

/** The magic numbers of signet-format.md §1.1. */
export const MAGIC = {
  ssr: 1215,
  org: 1776,
  user: 1789,
  'org-keys': 1952,
  'user-keys': 2013,
} as const satisfies Record<SignetType, number>;

/** PRIME's encrypted keys: recognised to give a precise error, never decoded. */
export const MAGIC_ENCRYPTED_ORG_KEYS = 1947;
export const MAGIC_ENCRYPTED_USER_KEYS = 1976;

export const HEADER_LENGTH = 5;
export const MAX_PAYLOAD_LENGTH = 0xffffff;

export function typeOfMagic(magic: number): SignetType | undefined {
  for (const [type, value] of Object.entries(MAGIC)) if (value === magic) return type as SignetType;
  return undefined;
}

export function isKeysType(type: SignetType): type is 'org-keys' | 'user-keys' {
  return type === 'org-keys' || type === 'user-keys';
}

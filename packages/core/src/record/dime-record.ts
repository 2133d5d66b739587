/**
 * The DIME management record: the `name=value` TXT record at `_dx.<domain>` that publishes an
 * organisation's POK (profile §3, record-and-dnssec.md §1). The key names of {@link DimeRecord} are
 * the JSON `record` object of `dime --json` (profile §6).
 */

export const RECORD_POLICIES = ['experimental', 'mixed', 'strict'] as const;
export type RecordPolicy = (typeof RECORD_POLICIES)[number];

export const SUBDOMAIN_MODES = ['strict', 'relaxed', 'explicit'] as const;
export type SubdomainMode = (typeof SUBDOMAIN_MODES)[number];

/** The only record syntax version there is; a missing `ver` means this. */
export const RECORD_VERSION = 1;

export const DEFAULT_POLICY: RecordPolicy = 'experimental';
export const DEFAULT_SUBDOMAIN: SubdomainMode = 'strict';

/** `pok=`: 32-byte Ed25519 public key, unpadded base64. */
export const POK_LENGTH = 43;
/** `tls=`: 64-byte Ed25519 signature, unpadded base64. */
export const TLS_LENGTH = 86;

/** Largest `exp=` accepted (the C implementation kept it in a 32-bit int). */
export const MAX_EXPIRY_DAYS = 2_147_483_647;

/** A field the parser does not know: kept aside so `-v` can report it, never used. */
export interface UnknownField {
  name: string;
  value: string;
}

export interface DimeRecord {
  version: number;
  /** Every `pok=`/`primary=` in record order, 43 characters each. */
  pok: string[];
  /** Every `tls=` in record order, 86 characters each. */
  tls: string[];
  policy: RecordPolicy;
  subdomain: SubdomainMode;
  /** `dx=`/`deliver=` host names in record order. */
  dx: string[];
  syndicates: string[];
  /** `exp=` in days, or null when absent. */
  expiry: number | null;
  unknown: UnknownField[];
}

/**
 * The record part of `dime --json` / `genrec --check --json`: every field but `unknown`. The key
 * order of the contract is recordToJson's.
 */
export type DimeRecordJson = Omit<DimeRecord, 'unknown'>;

export function recordToJson(record: DimeRecord): DimeRecordJson {
  return {
    version: record.version,
    pok: [...record.pok],
    tls: [...record.tls],
    policy: record.policy,
    subdomain: record.subdomain,
    dx: [...record.dx],
    syndicates: [...record.syndicates],
    expiry: record.expiry,
  };
}

/** A record with the defaults and the given POKs: what `genrec -k` starts from. */
export function newRecord(fields: Partial<DimeRecord> = {}): DimeRecord {
  return {
    version: fields.version ?? RECORD_VERSION,
    pok: [...(fields.pok ?? [])],
    tls: [...(fields.tls ?? [])],
    policy: fields.policy ?? DEFAULT_POLICY,
    subdomain: fields.subdomain ?? DEFAULT_SUBDOMAIN,
    dx: [...(fields.dx ?? [])],
    syndicates: [...(fields.syndicates ?? [])],
    expiry: fields.expiry ?? null,
    unknown: [...(fields.unknown ?? [])],
  };
}

/** The resource record shape shared by the message codec, the zone-file reader and DNSSEC. */

/** Decoded RDATA fields for the types this project works with (see `decodeRdata`). */
export type RdataFields =
  | { address: string } // A, AAAA
  | { target: string } // NS, CNAME, PTR, DNAME, MB, MG, MR, MD, MF
  | SoaFields
  | { preference: number; exchange: string } // MX
  | { priority: number; weight: number; port: number; target: string } // SRV
  | { strings: Uint8Array[] } // TXT, SPF
  | DsFields
  | DnskeyFields
  | RrsigFields
  | NsecFields
  | Nsec3Fields
  | Nsec3ParamFields;

export interface SoaFields {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface DsFields {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Uint8Array;
}

export interface DnskeyFields {
  flags: number;
  protocol: number;
  algorithm: number;
  publicKey: Uint8Array;
}

export interface RrsigFields {
  typeCovered: string;
  algorithm: number;
  labels: number;
  originalTtl: number;
  /** Seconds since the epoch modulo 2^32 (RFC 4034 §3.1.5; compare with serial arithmetic). */
  expiration: number;
  inception: number;
  keyTag: number;
  signerName: string;
  signature: Uint8Array;
}

export interface NsecFields {
  nextDomain: string;
  types: string[];
}

export interface Nsec3ParamFields {
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Uint8Array;
}

export interface Nsec3Fields extends Nsec3ParamFields {
  nextHashed: Uint8Array;
  types: string[];
}

export interface ResourceRecord {
  /** Owner, absolute presentation form (`_dx.example.com.`), case as received. */
  name: string;
  /** Mnemonic (`TXT`) or `TYPEnnn`. */
  type: string;
  /** `IN` in this project; other classes are kept as mnemonic or `CLASSnnn`. */
  class: string;
  ttl: number;
  /** RDATA in uncompressed wire form (names in RDATA expanded, case as received). */
  rdata: Uint8Array;
  /** Decoded fields, when the type is one `decodeRdata` knows. */
  data?: RdataFields;
}

export type RR = ResourceRecord;

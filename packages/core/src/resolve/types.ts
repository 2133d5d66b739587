/**
 * The shapes of the `dime <name>` resolution flow (profile §6 `dime`, dmtp.md §4). The result
 * objects carry what was learnt before a failure, so a CLI can print the partial JSON the contract
 * asks for (`error: {code, message}` beside whatever was established).
 */
import type { DimeError } from '../errors/dime-error.js';
import type { DnsTransport, ResourceRecord } from '../dns/index.js';
import type { DimeRecord } from '../record/dime-record.js';
import type { Fingerprints } from '../signet/fingerprint.js';
import type { SignetObject } from '../signet/types.js';
import type { TrustAnchor } from '../dnssec/anchors.js';
import type { VerificationState } from '../signet/verify.js';

/** The four DNSSEC results of profile §4. */
export type RecordDnssec = 'secure' | 'insecure' | 'bogus' | 'indeterminate';

/** How the DX certificate was accepted (profile §4 table). */
export type DxTrust = 'dime-record' | 'pkix';

/** Custody of one HIST link (profile §6): the first signet is `start`. */
export type CustodyStatus = 'start' | 'same-key' | 'ok' | 'missing' | 'bad';

/** One validated DNS answer, as the flow needs it. */
export interface DnsAnswer {
  status: RecordDnssec;
  /** One line: why the status is what it is. */
  reason: string;
  /** `NOERROR`, `NXDOMAIN`, …; null when no answer arrived. */
  rcode: string | null;
  /** The answer RRsets (validated when `status` is `secure`). */
  records: readonly ResourceRecord[];
}

/**
 * Asks one question and validates the answer. The default is `validateLookup` over a stub
 * transport; tests and the lab may pass their own. Must not throw for network trouble: that is an
 * `indeterminate` answer.
 */
export type DnsLookup = (name: string, type: 'TXT' | 'A' | 'AAAA' | 'MX') => Promise<DnsAnswer>;

/** Progress lines: level 1 steps, 2 DNS, 3 connections and certificates (`-v`, `-vv`, `-vvv`). */
export type ResolveLog = (level: number, line: string) => void;

export interface ResolveOptions {
  /** `-f`: request and require the signet having this fingerprint (86/88/128 forms). */
  fingerprint?: string;
  /** `-d`: this DX host (name or IP address) replaces discovery. */
  dxHost?: string;
  /** `-p`: the port for whichever host is used (default 26, or 25 with `starttls`). */
  port?: number;
  /** `--starttls`: dual mode (plaintext banner, STARTTLS) on the port used. */
  starttls?: boolean;
  /** `-i`: the record text (TXT value, strings or zone lines) instead of DNS. */
  recordText?: string;
  /** `-0`: the `-i` record counts as `insecure` instead of `secure`. */
  recordInsecure?: boolean;
  /** `--require-dnssec`: an `insecure` record is a failure (DNSSEC_INSECURE, exit 1). */
  requireDnssec?: boolean;
  /** DNS: a ready lookup function, or a transport plus trust anchors for `validateLookup`. */
  lookup?: DnsLookup;
  transport?: DnsTransport;
  /** Trust anchors for `validateLookup` (default: the built-in root anchors). */
  anchors?: readonly TrustAnchor[];
  /** The clock for DNSSEC and certificate dates. */
  now?: Date;
  /** `--ca`: PEM roots replacing Node's bundled ones for PKIX. */
  ca?: string[];
  /** `--timeout`: TCP connect, TLS handshake and every DMTP reply (DNS gets it through its transport). */
  timeoutMs?: number;
  /** `-4`/`-6`. */
  family?: 4 | 6;
  log?: ResolveLog;
  /** `-vvvvv`: every DMTP wire line, `C: …`/`S: …`. */
  wireLog?: (line: string) => void;
}

/** The record part of the result (the `record` object of `dime --json`). */
export interface ResolvedRecord {
  domain: string;
  source: 'dns' | 'file';
  dnssec: RecordDnssec;
  reason: string;
  /** Absent when the lookup stopped before a usable record (bogus, indeterminate, none, invalid). */
  record?: DimeRecord;
}

/** A DX that was connected and whose certificate was accepted. */
export interface ResolvedDx {
  host: string;
  port: number;
  /** The address dialled. */
  address: string;
  starttls: boolean;
  trust: DxTrust;
}

export interface ResolvedSignet {
  signet: SignetObject;
  state: VerificationState;
  fingerprints: Fingerprints;
}

/** What `resolveSignet` found; `error` is null exactly when `verified` is true. */
export interface ResolveResult {
  /** The normalised name (`alice@example.test` or `example.test`). */
  name: string;
  verified: boolean;
  record: ResolvedRecord | null;
  dx: ResolvedDx | null;
  org: ResolvedSignet | null;
  signet: ResolvedSignet | null;
  error: DimeError | null;
}

/** `-c` (VRFY). `current` is null when the question could not be asked. */
export interface CheckResult {
  name: string;
  current: boolean | null;
  /** The requested fingerprint, normalised. */
  requested: string;
  /** The newest fingerprint: the requested one when current, the DX's `UPDATE` value when not. */
  newest: string | null;
  record: ResolvedRecord | null;
  dx: ResolvedDx | null;
  error: DimeError | null;
}

export interface HistoryLink {
  signet: SignetObject;
  fingerprints: Fingerprints;
  state: VerificationState;
  custody: CustodyStatus;
}

/** `-H` (HIST): the chain oldest first, every link checked. */
export interface HistoryResult {
  name: string;
  verified: boolean;
  chain: HistoryLink[];
  record: ResolvedRecord | null;
  dx: ResolvedDx | null;
  org: ResolvedSignet | null;
  error: DimeError | null;
}

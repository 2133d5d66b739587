/**
 * @dime/core/resolve — the `dime <name>` flow (profile §4–§6, dmtp.md §4): management record
 * (DNSSEC-validated or from a file), DX discovery, the DX certificate policy, org and user signet
 * verification, VRFY and HIST with custody checks.
 *
 * - `resolveSignet(name, options)` → {@link ResolveResult}; `checkSignet` (VRFY) → {@link CheckResult};
 *   `signetHistory` (HIST) → {@link HistoryResult}. Failures come back in `result.error`.
 * - Pieces: `fetchManagementRecord`, `discoverDx`, `hostAddresses`, `connectDx`, `decideDxTrust`
 *   (the profile §4 table as a pure function), `verifyOrgAgainstRecord`, `verifyUserAgainstOrg`,
 *   `validatedDnsLookup` (the default DNS path: `validateLookup` over a transport).
 */
export type {
  RecordDnssec,
  DxTrust,
  CustodyStatus,
  DnsAnswer,
  DnsLookup,
  ResolveLog,
  ResolveOptions,
  ResolvedRecord,
  ResolvedDx,
  ResolvedSignet,
  ResolveResult,
  CheckResult,
  HistoryLink,
  HistoryResult,
} from './types.js';
export { validatedDnsLookup, lookupFromOptions } from './dns-lookup.js';
export type { ValidatedLookupOptions } from './dns-lookup.js';
export { fetchManagementRecord } from './management-record.js';
export type { RecordOptions, RecordOutcome } from './management-record.js';
export { discoverDx, hostAddresses, defaultDxPort, DMTP_SUBMISSION_PORT, MAX_MX_HOSTS } from './discovery.js';
export type { DxCandidate, DiscoveryOptions, HostAddresses } from './discovery.js';
export {
  decideDxTrust,
  pkixProblem,
  certificateDatesProblem,
  certificateNamesHost,
  NOT_PINNED_MESSAGE,
  PIN_NEEDS_SECURE_MESSAGE,
} from './dx-trust.js';
export type { DxCertificateFacts, DxTrustDecision } from './dx-trust.js';
export { connectDx } from './connect-dx.js';
export type { ConnectDxOptions, ConnectedDx } from './connect-dx.js';
export { resolveSignet, checkSignet, signetHistory, verifyOrgAgainstRecord, verifyUserAgainstOrg } from './resolve-signet.js';

/**
 * Step 1 of the flow (dmtp.md §1.3 and §4 steps 2–3, with the C bugs fixed): the DIME management
 * record of a domain, from `_dx.<domain>` TXT validated by our DNSSEC validator, or from a file
 * (`dime -i`, trusted as `secure` unless `-0` makes it `insecure`). `bogus` and `indeterminate` stop
 * here, before any connection (profile §4 last table row).
 */
import { DimeError, isDimeError } from '../errors/dime-error.js';
import { txtStrings } from '../dns/index.js';
import { NO_RECORD_MESSAGE } from '../record/messages.js';
import { readRecordFile } from '../record/record-file.js';
import { selectDimeRecord } from '../record/parse-record.js';
import type { DimeRecord } from '../record/dime-record.js';
import type { DnsLookup, ResolvedRecord, ResolveLog } from './types.js';

export interface RecordOptions {
  /** `-i`: the record text instead of DNS. */
  recordText?: string;
  /** `-0`: the file record counts as `insecure`. */
  recordInsecure?: boolean;
  /** `--require-dnssec`. */
  requireDnssec?: boolean;
  log?: ResolveLog;
}

export interface RecordOutcome {
  /** What is known about the record, even when it is unusable. */
  resolved: ResolvedRecord;
  /** Set when the flow must stop (no record, invalid, bogus, indeterminate, insecure under --require-dnssec). */
  error: DimeError | null;
}

function withContext(error: unknown, where: string): DimeError {
  if (isDimeError(error)) return new DimeError(error.code, `${where}: ${error.message}`, { cause: error });
  throw error;
}

/** The record of `domain` (bare, lower case), with its DNSSEC status. Never throws for DNS trouble. */
export async function fetchManagementRecord(domain: string, lookup: DnsLookup, options: RecordOptions = {}): Promise<RecordOutcome> {
  const owner = `_dx.${domain}`;
  const log = options.log ?? (() => undefined);
  if (options.recordText !== undefined) {
    const dnssec = options.recordInsecure ? 'insecure' : 'secure';
    const reason = options.recordInsecure ? 'record read from a file, not trusted (-0)' : 'record read from a file, trusted as secure';
    const resolved: ResolvedRecord = { domain, source: 'file', dnssec, reason };
    let record: DimeRecord;
    try {
      record = readRecordFile(options.recordText, { domain }).record;
    } catch (error) {
      return { resolved, error: withContext(error, 'record file') };
    }
    log(1, `record from file: ${dnssec}`);
    return finish({ ...resolved, record }, options);
  }

  log(1, `querying ${owner} TXT`);
  const answer = await lookup(`${owner}.`, 'TXT');
  log(1, `${owner} TXT: ${answer.status} (${answer.rcode ?? 'no answer'}): ${answer.reason}`);
  const resolved: ResolvedRecord = { domain, source: 'dns', dnssec: answer.status, reason: answer.reason };
  if (answer.status === 'bogus') {
    return { resolved, error: new DimeError('DNSSEC_BOGUS', `${owner} TXT is bogus: ${answer.reason}`) };
  }
  if (answer.status === 'indeterminate') {
    return { resolved, error: new DimeError('NETWORK', `${owner} TXT is indeterminate: ${answer.reason}`) };
  }
  const txt = answer.records.filter((rr) => rr.type === 'TXT');
  if (txt.length === 0) {
    const why = answer.rcode === 'NXDOMAIN' ? 'the name does not exist' : 'the name has no TXT records';
    return { resolved, error: new DimeError('NO_RECORD', `${NO_RECORD_MESSAGE} at ${owner}: ${why} (${answer.status})`) };
  }
  let record: DimeRecord;
  try {
    record = selectDimeRecord(txt.map((rr) => txtStrings(rr.rdata)));
  } catch (error) {
    return { resolved, error: withContext(error, owner) };
  }
  return finish({ ...resolved, record }, options);
}

function finish(resolved: ResolvedRecord, options: RecordOptions): RecordOutcome {
  if (resolved.dnssec === 'insecure' && options.requireDnssec) {
    return {
      resolved,
      error: new DimeError('DNSSEC_INSECURE', `_dx.${resolved.domain} is insecure (${resolved.reason}) and --require-dnssec was given`),
    };
  }
  return { resolved, error: null };
}

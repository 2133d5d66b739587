/**
 * `dime <name>` as one library call (dmtp.md §4 with the C bugs fixed, profile §4–§6):
 *
 * 1. the management record of the domain (DNS, validated; or `-i`), stopping on bogus (exit 1),
 *    indeterminate (exit 4), no or invalid record, and insecure under `--require-dnssec`;
 * 2. DX discovery (`dx=`, MX, the domain; `-d`, `-p`, `--starttls`), addresses through the same resolver;
 * 3. the DX certificate judged by the profile §4 table (`dime-record` or `pkix`);
 * 4. `SGNT <domain>` — the org signet, verified against the record's POKs (state ≥ crypto, POK accepted);
 * 5. for an address, `SGNT <user> [fp]` — verified against the org signet (state ≥ crypto);
 * 6. the requested fingerprint (any of the four kinds) must be the received signet's; QUIT.
 *
 * `checkSignet` (`-c`) asks VRFY instead of 4–6; `signetHistory` (`-H`) asks HIST and checks every
 * custody link. None of them throws for a failed check or a network problem: the result carries
 * `error` (a DimeError with the profile's code) beside what was established before it. Usage errors
 * (a bad name or fingerprint) are thrown.
 */
import { DimeError, isDimeError, usageError } from '../errors/dime-error.js';
import { isUserName, normalizeSignetName, domainOfName } from '../dmtp/names.js';
import type { DmtpClient, FetchedSignet } from '../dmtp/client.js';
import { normalizeFingerprint, hasFingerprint } from '../signet/fingerprint.js';
import { verifySignet, stateAtLeast, custodyLink, verificationErrorCode, type SignetVerification } from '../signet/verify.js';
import type { SignetObject } from '../signet/types.js';
import { signetIdentifier } from '../signet/object.js';
import type { DimeRecord } from '../record/dime-record.js';
import { lookupFromOptions } from './dns-lookup.js';
import { fetchManagementRecord } from './management-record.js';
import { discoverDx } from './discovery.js';
import { connectDx, type ConnectedDx } from './connect-dx.js';
import type {
  CheckResult,
  DnsLookup,
  HistoryLink,
  HistoryResult,
  ResolvedRecord,
  ResolvedSignet,
  ResolveLog,
  ResolveOptions,
  ResolveResult,
} from './types.js';

interface Prepared {
  name: string;
  domain: string;
  user: boolean;
  requested: string | undefined;
  lookup: DnsLookup;
  log: ResolveLog;
}

/** Checks the name and fingerprint (USAGE errors) before anything goes on the network. */
function prepare(nameText: string, options: ResolveOptions): Prepared {
  const name = normalizeSignetName(nameText);
  if (!name) throw usageError(`name ${JSON.stringify(nameText)}: not a domain or a user@domain address`);
  const requested = options.fingerprint === undefined ? undefined : normalizeFingerprint(options.fingerprint, 'USAGE');
  return {
    name,
    domain: domainOfName(name),
    user: isUserName(name),
    requested,
    lookup: lookupFromOptions(options),
    log: options.log ?? (() => undefined),
  };
}

function asDimeError(error: unknown): DimeError {
  if (isDimeError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DimeError('PROTOCOL', `unexpected failure: ${message}`, { cause: error });
}

/** Steps 1–3: the record and a DX connection whose certificate the policy accepted. */
async function reachDx(
  prepared: Prepared,
  options: ResolveOptions,
  found: { record: ResolvedRecord | null; dx: ConnectedDx['dx'] | null }
): Promise<{ client: DmtpClient; record: DimeRecord }> {
  const outcome = await fetchManagementRecord(prepared.domain, prepared.lookup, {
    ...(options.recordText !== undefined ? { recordText: options.recordText } : {}),
    ...(options.recordInsecure ? { recordInsecure: true } : {}),
    ...(options.requireDnssec ? { requireDnssec: true } : {}),
    log: prepared.log,
  });
  found.record = outcome.resolved;
  if (outcome.error) throw outcome.error;
  const record = outcome.resolved.record!;
  const dnssec = outcome.resolved.dnssec as 'secure' | 'insecure';

  const candidates = await discoverDx(prepared.domain, record, prepared.lookup, {
    ...(options.dxHost !== undefined ? { dxHost: options.dxHost } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.starttls ? { starttls: true } : {}),
    log: prepared.log,
  });
  prepared.log(1, `DX candidates: ${candidates.map((c) => `${c.host}:${c.port}${c.starttls ? ' (starttls)' : ''}`).join(', ')}`);
  const connected = await connectDx(prepared.domain, candidates, {
    lookup: prepared.lookup,
    dnssec,
    record,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.family ? { family: options.family } : {}),
    ...(options.now ? { now: options.now } : {}),
    log: prepared.log,
    ...(options.wireLog ? { wireLog: options.wireLog } : {}),
  });
  found.dx = connected.dx;
  return { client: connected.client, record };
}

function resolvedOf(signet: SignetObject, verification: SignetVerification): ResolvedSignet {
  return { signet, state: verification.state, fingerprints: verification.fingerprints };
}

function failedChecks(verification: SignetVerification): string {
  const failed = verification.checks.filter((check) => !check.ok).map((check) => `field ${check.field} (${check.name})`);
  return failed.length > 0 ? `; failing: ${failed.join(', ')}` : '';
}

/** Step 4: an org signet must be signed (state ≥ crypto) by a POK the record publishes. */
export function verifyOrgAgainstRecord(domain: string, org: SignetObject, record: Pick<DimeRecord, 'pok'>): ResolvedSignet {
  const verification = verifySignet(org, { poks: record.pok });
  if (verification.pokAccepted !== true) {
    throw new DimeError('SIGNATURE_INVALID', `org signet of ${domain}: its POK is not one of the record's pok= values (${record.pok.length} published)`);
  }
  if (!stateAtLeast(verification.state, 'crypto')) {
    throw new DimeError(verificationErrorCode(verification), `org signet of ${domain}: state ${verification.state}, expected at least crypto${failedChecks(verification)}`);
  }
  return resolvedOf(org, verification);
}

/** Step 5: a user signet must be signed (state ≥ crypto) by its org (the POK or a signing SOK). */
export function verifyUserAgainstOrg(name: string, user: SignetObject, org: SignetObject): ResolvedSignet {
  const verification = verifySignet(user, { org });
  if (!stateAtLeast(verification.state, 'crypto')) {
    const code = verification.state === 'incomplete' ? 'INCOMPLETE' : 'SIGNATURE_INVALID';
    throw new DimeError(code, `user signet of ${name}: state ${verification.state} against the org signet of ${domainOfName(name)}, expected at least crypto${failedChecks(verification)}`);
  }
  return resolvedOf(user, verification);
}

/**
 * Step 6, done here as well as in the client: the signet received must be the one asked for — the
 * requested fingerprint, and, when it names itself (field 254, covered by the id signature), the name.
 */
function requireFingerprint(name: string, fetched: FetchedSignet, requested: string | undefined): void {
  if (requested !== undefined && !hasFingerprint(fetched.signet, requested)) {
    throw new DimeError('FINGERPRINT_MISMATCH', `the signet received for ${name} does not have the requested fingerprint ${requested} (its full fingerprint is ${fetched.fingerprints.full})`);
  }
  const identifier = signetIdentifier(fetched.signet);
  if (identifier !== undefined && normalizeSignetName(identifier) !== name) {
    throw new DimeError('FINGERPRINT_MISMATCH', `the signet received for ${name} is the signet of ${JSON.stringify(identifier)} (field 254)`);
  }
}

async function fetchVerifiedOrg(client: DmtpClient, prepared: Prepared, record: DimeRecord, fingerprint?: string): Promise<ResolvedSignet> {
  prepared.log(1, `SGNT <${prepared.domain}>${fingerprint ? ` [${fingerprint}]` : ''}`);
  const fetched = await client.getSignet(prepared.domain, fingerprint);
  requireFingerprint(prepared.domain, fetched, fingerprint);
  const org = verifyOrgAgainstRecord(prepared.domain, fetched.signet, record);
  prepared.log(1, `org signet of ${prepared.domain}: ${org.state}, POK in the record`);
  return org;
}

/**
 * Reaches the DX (record, discovery, certificate policy), runs `work` on the session, records any
 * failure in `result.error` alongside what was learnt before it, and always ends with QUIT.
 */
async function inDxSession<R extends { record: ResolvedRecord | null; dx: ConnectedDx['dx'] | null; error: DimeError | null }>(
  prepared: Prepared,
  options: ResolveOptions,
  result: R,
  work: (client: DmtpClient, record: DimeRecord) => Promise<void>
): Promise<R> {
  let client: DmtpClient | undefined;
  try {
    const reached = await reachDx(prepared, options, result);
    client = reached.client;
    await work(client, reached.record);
  } catch (error) {
    result.error = asDimeError(error);
  } finally {
    await client?.quit();
  }
  return result;
}

/** Fetches and verifies the signet of `name` (a domain or user@domain). */
export async function resolveSignet(nameText: string, options: ResolveOptions = {}): Promise<ResolveResult> {
  const prepared = prepare(nameText, options);
  const result: ResolveResult = { name: prepared.name, verified: false, record: null, dx: null, org: null, signet: null, error: null };
  return inDxSession(prepared, options, result, async (client, record) => {
    if (!prepared.user) {
      result.org = await fetchVerifiedOrg(client, prepared, record, prepared.requested);
      result.signet = result.org;
    } else {
      result.org = await fetchVerifiedOrg(client, prepared, record);
      prepared.log(1, `SGNT <${prepared.name}>${prepared.requested ? ` [${prepared.requested}]` : ''}`);
      const fetched = await client.getSignet(prepared.name, prepared.requested);
      requireFingerprint(prepared.name, fetched, prepared.requested);
      result.signet = verifyUserAgainstOrg(prepared.name, fetched.signet, result.org.signet);
      prepared.log(1, `user signet of ${prepared.name}: ${result.signet.state}, signed by ${prepared.domain}`);
    }
    result.verified = true;
  });
}

/** `-c`: is the requested fingerprint the current signet's? Outdated is an OUTDATED error naming the newest. */
export async function checkSignet(nameText: string, options: ResolveOptions & { fingerprint: string }): Promise<CheckResult> {
  const prepared = prepare(nameText, options);
  if (prepared.requested === undefined) throw usageError('check: a fingerprint is required (-f)');
  const requested = prepared.requested;
  const result: CheckResult = { name: prepared.name, current: null, requested, newest: null, record: null, dx: null, error: null };
  return inDxSession(prepared, options, result, async (client) => {
    prepared.log(1, `VRFY <${prepared.name}> [${requested}]`);
    const answer = await client.verifyFingerprint(prepared.name, requested);
    result.current = answer.current;
    result.newest = answer.current ? requested : answer.newest;
    if (!answer.current) {
      throw new DimeError('OUTDATED', `the signet ${requested} of ${prepared.name} is out of date; the newest fingerprint is ${answer.newest}`);
    }
  });
}

/**
 * `-H`: the history of a user from the signet having `fingerprint` to the one having `end` (default
 * the current one). The org signet is verified against the record first; every signet of the chain
 * must verify against it (state ≥ crypto), and every link between different signing keys must carry
 * a custody signature by the previous key (profile §5). A failing link is CUSTODY.
 */
export async function signetHistory(nameText: string, options: ResolveOptions & { fingerprint: string; end?: string }): Promise<HistoryResult> {
  const prepared = prepare(nameText, options);
  if (!prepared.user) throw usageError(`history: ${prepared.name} is a domain; only user signets have a chain of custody`);
  if (prepared.requested === undefined) throw usageError('history: a start fingerprint is required (-f)');
  const end = options.end === undefined ? undefined : normalizeFingerprint(options.end, 'USAGE');
  const result: HistoryResult = { name: prepared.name, verified: false, chain: [], record: null, dx: null, org: null, error: null };
  return inDxSession(prepared, options, result, async (client, record) => {
    const org = await fetchVerifiedOrg(client, prepared, record);
    result.org = org;
    prepared.log(1, `HIST <${prepared.name}> [${prepared.requested}]${end ? ` [${end}]` : ''}`);
    const fetched = await client.history(prepared.name, prepared.requested, end);
    let failure: DimeError | undefined;
    fetched.forEach((entry, index) => {
      const verification = verifySignet(entry.signet, { org: org.signet });
      const custody: HistoryLink['custody'] = index === 0 ? 'start' : custodyLink(fetched[index - 1]!.signet, entry.signet);
      result.chain.push({ signet: entry.signet, fingerprints: verification.fingerprints, state: verification.state, custody });
      if (failure) return;
      if (custody === 'missing') {
        failure = new DimeError('CUSTODY', `history of ${prepared.name}: signet ${index + 1} changes the signing key without a custody signature by signet ${index}'s key`);
      } else if (custody === 'bad') {
        failure = new DimeError('CUSTODY', `history of ${prepared.name}: the custody signature of signet ${index + 1} does not verify under signet ${index}'s key`);
      } else if (!stateAtLeast(verification.state, 'crypto')) {
        failure = new DimeError('SIGNATURE_INVALID', `history of ${prepared.name}: signet ${index + 1} is ${verification.state} against the org signet${failedChecks(verification)}`);
      }
    });
    if (failure) throw failure;
    prepared.log(1, `history of ${prepared.name}: ${result.chain.length} signets, every link verified`);
    result.verified = true;
  });
}

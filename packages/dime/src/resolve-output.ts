/**
 * What `dime <name>` prints (profile §6 `dime`): the JSON objects of the contract, key for key, and a
 * short human layout. Only shaping here; the results come from @dime/core/resolve.
 */
import { oneLine } from '@dime/core/io';
import type { DimeError } from '@dime/core/errors';
import { armorSignetObject, type Fingerprints } from '@dime/core/signet';
import { recordToJson } from '@dime/core/record';
import { formatHostPort } from '@dime/core/dmtp';
import type { CheckResult, HistoryResult, ResolvedRecord, ResolveResult } from '@dime/core/resolve';

type ErrorJson = { code: string; message: string } | null;

function errorJson(error: DimeError | null): ErrorJson {
  return error ? { code: error.code, message: oneLine(error.message) } : null;
}

/** `{ssr?, crypto, full, id}` in that order. */
function fingerprintsJson(fps: Fingerprints): Fingerprints {
  const out: Fingerprints = {};
  for (const kind of ['ssr', 'crypto', 'full', 'id'] as const) if (fps[kind] !== undefined) out[kind] = fps[kind];
  return out;
}

/** The `record` object; fields the flow never learnt (a bogus answer, an invalid record) are null. */
export function recordJson(resolved: ResolvedRecord | null): Record<string, unknown> | null {
  if (!resolved) return null;
  const fields = resolved.record
    ? recordToJson(resolved.record)
    : { version: null, pok: null, tls: null, policy: null, subdomain: null, dx: null, syndicates: null, expiry: null };
  return { domain: resolved.domain, source: resolved.source, dnssec: resolved.dnssec, ...fields };
}

/** `dime --json <name>`. */
export function resolveJson(result: ResolveResult): Record<string, unknown> {
  return {
    name: result.name,
    verified: result.verified,
    record: recordJson(result.record),
    dx: result.dx ? { host: result.dx.host, port: result.dx.port, trust: result.dx.trust } : null,
    org: result.org ? { fingerprints: fingerprintsJson(result.org.fingerprints) } : null,
    signet: result.signet
      ? {
          type: result.signet.signet.type,
          state: result.signet.state,
          fingerprints: fingerprintsJson(result.signet.fingerprints),
          armored: armorSignetObject(result.signet.signet),
        }
      : null,
    error: errorJson(result.error),
  };
}

/** `dime --json -c`. */
export function checkJson(result: CheckResult): Record<string, unknown> {
  return { name: result.name, current: result.current, requested: result.requested, newest: result.newest, error: errorJson(result.error) };
}

/** `dime --json -H`. */
export function historyJson(result: HistoryResult): Record<string, unknown> {
  return {
    name: result.name,
    verified: result.verified,
    chain: result.chain.map((link) => ({ fingerprints: fingerprintsJson(link.fingerprints), custody: link.custody })),
    error: errorJson(result.error),
  };
}

function fingerprintLines(fps: Fingerprints, indent: string): string[] {
  return (['ssr', 'crypto', 'full', 'id'] as const).filter((k) => fps[k] !== undefined).map((k) => `${indent}${k.padEnd(7)}${fps[k]}`);
}

function recordLine(resolved: ResolvedRecord | null): string | undefined {
  if (!resolved) return undefined;
  const from = resolved.source === 'file' ? 'from file' : `_dx.${resolved.domain}`;
  return `  record  ${from}, DNSSEC ${resolved.dnssec}`;
}

/** Success: what was verified and how it was trusted; the fingerprints to compare out of band. */
export function resolveHuman(result: ResolveResult): string[] {
  const signet = result.signet!;
  const kind = signet.signet.type === 'org' ? 'org signet' : 'user signet';
  const lines = [`${result.name}: ${kind} verified (state ${signet.state})`];
  const record = recordLine(result.record);
  if (record) lines.push(record);
  if (result.dx) lines.push(`  dx      ${formatHostPort(result.dx.host, result.dx.port)}${result.dx.starttls ? ' (STARTTLS)' : ''}, certificate trusted by ${result.dx.trust}`);
  if (signet.signet.type === 'user' && result.org) lines.push(`  org     ${result.org.fingerprints.full} (full), POK in the record`);
  lines.push('  fingerprints', ...fingerprintLines(signet.fingerprints, '    '));
  return lines;
}

export function checkHuman(result: CheckResult): string[] {
  if (result.current === true) return [`${result.name}: ${result.requested} is current`];
  if (result.current === false) return [`${result.name}: ${result.requested} is out of date`, `newest fingerprint: ${result.newest}`];
  return [];
}

export function historyHuman(result: HistoryResult): string[] {
  if (result.chain.length === 0) return [];
  const head = result.verified
    ? `${result.name}: chain of custody verified (${result.chain.length} signet${result.chain.length === 1 ? '' : 's'}, oldest first)`
    : `${result.name}: chain of custody NOT verified (${result.chain.length} signet${result.chain.length === 1 ? '' : 's'}, oldest first)`;
  return [head, ...result.chain.map((link, i) => `  ${String(i + 1).padStart(2)}. ${link.custody.padEnd(8)} ${link.state.padEnd(8)} ${link.fingerprints.full}`)];
}

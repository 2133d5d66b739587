/**
 * When BIND tests can run. They need `named`, `dnssec-keygen`, `dnssec-signzone`, `delv` and `dig`,
 * and extra loopback addresses (one per zone, record-and-dnssec.md §6.3), which only root can add.
 * Locally a missing piece skips the tests with a printed notice; under DIME_REQUIRE_BIND=1 (CI) it
 * fails them (profile §7).
 */
import { spawnSync } from 'node:child_process';

export const BIND_TOOLS = ['named', 'dnssec-keygen', 'dnssec-signzone', 'dnssec-dsfromkey', 'delv', 'dig'] as const;

function hasCommand(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '';
}

function addressPresent(address: string): boolean {
  const shown = spawnSync('ip', ['-4', '-o', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' });
  return shown.status === 0 && new RegExp(`inet ${address.replace(/\./g, '\\.')}/`).test(shown.stdout);
}

/**
 * Adds `address/32` to `lo` unless it is there. Returns why it could not, or undefined. Addresses
 * are left in place afterwards: other test files may be using them at the same moment.
 */
export function ensureLoopbackAddress(address: string): string | undefined {
  if (addressPresent(address)) return undefined;
  const added = spawnSync('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo'], { encoding: 'utf8' });
  if (added.status === 0 || /File exists/.test(added.stderr) || addressPresent(address)) return undefined;
  return `cannot add ${address} to lo (${(added.stderr || added.error?.message || 'ip failed').trim()})`;
}

let cached: string | null | undefined;

/** Why BIND tests cannot run here, or undefined when they can. Does not print. */
export function bindUnavailableReason(addresses: readonly string[] = []): string | undefined {
  if (cached === undefined) {
    const missing = BIND_TOOLS.filter((tool) => !hasCommand(tool));
    if (missing.length > 0) cached = `BIND tools missing: ${missing.join(', ')} (apt-get install bind9 bind9-utils bind9-dnsutils)`;
    else if (!hasCommand('ip')) cached = 'the ip command is missing (iproute2)';
    else cached = null;
  }
  if (cached !== null) return cached;
  for (const address of addresses) {
    const why = ensureLoopbackAddress(address);
    if (why) return process.getuid?.() === 0 ? why : `${why}; extra loopback addresses need root`;
  }
  return undefined;
}

/**
 * For `describe.skipIf(...)`: returns true (skip) with a printed notice when BIND tests cannot run,
 * and throws under DIME_REQUIRE_BIND=1 so that CI fails instead of skipping.
 */
export function skipWithoutBind(what: string, addresses: readonly string[] = []): boolean {
  const why = bindUnavailableReason(addresses);
  if (why === undefined) return false;
  if (process.env.DIME_REQUIRE_BIND === '1') {
    throw new Error(`DIME_REQUIRE_BIND=1 but ${what} cannot run: ${why}`);
  }
  console.warn(`skipping ${what}: ${why}`);
  return true;
}

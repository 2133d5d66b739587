/**
 * When BIND tests can run. They need `named`, `dnssec-keygen`, `dnssec-signzone`, `delv` and `dig`,
 * and extra loopback addresses (one per zone, record-and-dnssec.md §6.3), which only root can add.
 * Locally a missing piece skips the tests with a printed notice; under DIME_REQUIRE_BIND=1 (CI) it
 * fails them (profile §7).
 */
import { ensureLoopbackAddress, hasCommand } from '../../packages/lab/src/bind-world.js';

export { ensureLoopbackAddress };

export const BIND_TOOLS = ['named', 'dnssec-keygen', 'dnssec-signzone', 'dnssec-dsfromkey', 'delv', 'dig'] as const;

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
    // Says when the cause is not being root.
    const why = ensureLoopbackAddress(address);
    if (why) return why;
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

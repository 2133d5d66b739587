/**
 * The same scenarios with the zones signed by dnssec-signzone and served by BIND named. Skipped with
 * a notice when BIND or root (for the extra loopback addresses) is missing; a failure under
 * DIME_REQUIRE_BIND=1 (profile §7).
 */
import { bindUnavailableReason } from '../../packages/lab/src/index.js';
import { defineScenarios } from './scenarios.js';

function skipWithoutBind(): boolean {
  const why = bindUnavailableReason();
  if (why === undefined) return false;
  if (process.env.DIME_REQUIRE_BIND === '1') throw new Error(`DIME_REQUIRE_BIND=1 but the BIND end-to-end tests cannot run: ${why}`);
  console.warn(`skipping the BIND end-to-end tests: ${why}`);
  return true;
}

defineScenarios('bind', skipWithoutBind());

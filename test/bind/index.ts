/**
 * Shared test infrastructure for DNS: a BIND world laid out as the Internet is, our own signer's
 * equivalent for our zone server, a rewriting proxy, hostile resolvers, and a runner for the built
 * `dime` bin. See README.md in this folder.
 */
export { skipWithoutBind, bindUnavailableReason, ensureLoopbackAddress, BIND_TOOLS } from './support.js';
export {
  startBindWorld,
  standardZones,
  defaultDxText,
  pokFor,
  quoteTxt,
  BIND_VARIANTS,
  VARIANTS,
  DOMAIN,
  RESOLVER_ADDRESS,
  ALL_AUTHORITATIVE_ADDRESSES,
  EXPIRED_INCEPTION,
  EXPIRED_EXPIRATION,
} from './world.js';
export type { BindVariant, Breakage, ZoneSpec, BuiltZone, BindWorld, BindWorldOptions } from './world.js';
export { startNamed } from '../../packages/lab/src/bind-world.js';
export type { NamedProcess, StartNamedOptions } from '../../packages/lab/src/bind-world.js';
export { buildOwnSignedHierarchy } from './own-signer.js';
export type { OwnSignedHierarchy, OwnSignedOptions } from './own-signer.js';
export { startDnsProxy, stripDenialProofs, stripDenialProofsFor } from './dns-proxy.js';
export type { DnsProxy, Rewrite } from './dns-proxy.js';
export { startHostileServer } from './hostile-servers.js';
export type { HostileKind, HostileServer } from './hostile-servers.js';
export { ensureDimeBuilt, runDime, DIME_BIN, REPO_ROOT } from './run-dime.js';
export type { DimeRun } from './run-dime.js';

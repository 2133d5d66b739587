/** @dime/core: everything that is not argument parsing. Each domain is also a subpath export. */
export * from './errors/index.js';
export * from './bytes/index.js';
export * from './crypto/index.js';
export * from './io/index.js';
export * from './dns/index.js';
export * from './dnssec/index.js';
export * from './record/index.js';
export * from './signet/index.js';
export * from './dmtp/index.js';
export * from './resolve/index.js';

// Names two domains both export: the root barrel picks one; the other stays on its subpath
// (`@dime/core/dnssec` for the RRSIG options).
export type { VerifyOptions } from './signet/index.js';

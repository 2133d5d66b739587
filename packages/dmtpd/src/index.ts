/** `@dime/dmtpd`: the DX — its store, publishing, and an in-process server for the lab and tests. */
export { main } from './cli.js';
export { startDx, initDx, openDxStore, dxPaths, DEFAULT_DIR, DEFAULT_LISTEN } from './dx.js';
export type { StartDxOptions, RunningDx, InitOptions, InitResult, DxPaths } from './dx.js';
export { publishSignet, LIBDIME_MAX_SIGNET_BYTES } from './publish.js';
export type { PublishOptions, PublishResult } from './publish.js';
export { openSqliteStore, SqliteStore, SCHEMA_VERSION } from './store.js';
export type { DxStore, StoredSignet, NewSignet, CustodyStatus, OpenOptions } from './store.js';

/** @dime/lab: the DIME world on one machine (`dime-lab`), also as an API for end-to-end tests. */
export { main, formatRun, portBindable, DMTP_PORT } from './cli.js';
export { buildLabWorld, fingerprintsOf, txtValueOfZoneLine } from './world.js';
export type { LabWorld, LabWorldOptions, LabUser, LabFiles, LabJson, Fingerprints } from './world.js';
export { binPath, runBin, runNodeScript, displayCommand, shellQuote, failureOf, DEFAULT_BIN_TIMEOUT_MS } from './bins.js';
export type { BinName, BinRun, RunOptions } from './bins.js';
export { startDx, DX_START_TIMEOUT_MS } from './dx-server.js';
export type { DxProcess } from './dx-server.js';
export { startLabDns, LAB_DNSSEC_ALGORITHM } from './lab-dns.js';
export type { LabDnsOptions } from './lab-dns.js';
export { startBindDns, bindUnavailableReason, ensureLoopbackAddress, BIND_ZONE_ADDRESSES, BIND_RESOLVER_ADDRESS, BIND_TOOLS } from './bind.js';
export type { BindDnsOptions } from './bind.js';
export {
  hasCommand,
  runBindTool,
  freeBindPort,
  zoneDirName,
  dnssecKeygen,
  dnssecSignzone,
  signzoneArgs,
  readDsset,
  writeAuthoritativeConf,
  writeRecursiveConf,
  startNamed,
  startBindServers,
} from './bind-world.js';
export type { KeygenOptions, SignzoneOptions, BindView, RecursiveConfOptions, NamedProcess, StartNamedOptions, BindServers } from './bind-world.js';
export {
  LAB_DOMAIN,
  LAB_DX_HOST,
  LAB_ZONE_NAMES,
  LAB_TTL,
  EXPIRED_WINDOW,
  currentWindow,
  labZoneText,
  nameServerOf,
  signzoneTime,
} from './zones.js';
export type { LabDns, LabZoneName, LabZoneContent, SignatureWindow } from './zones.js';

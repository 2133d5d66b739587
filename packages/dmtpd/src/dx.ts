/**
 * A DX directory (profile §6 `dmtpd`): `DIR/signets.db` (the store, holding the domain and the DX host
 * name in its `meta` table) and `DIR/tls/cert.pem` + `DIR/tls/key.pem` (mode 0600). `initDx` creates
 * one; `startDx` serves one in-process (what `dmtpd serve`, the lab and end-to-end tests use).
 */
import { mkdirSync } from 'node:fs';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { DimeError, usageError } from '@dime/core/errors';
import { fileExists, readInputFile, writeFileAtomic } from '@dime/core/io';
import { createSelfSignedCertificate, DmtpServer, normalizeDomainName, parseHostPort, type ListenAddress } from '@dime/core/dmtp';
import { openSqliteStore, type DxStore } from './store.js';

export const DEFAULT_DIR = 'dmtpd';
/** An operator's DX listens on every address, port 26 (dmtp.md §1.1); tests pass 127.0.0.1:0. */
export const DEFAULT_LISTEN = '0.0.0.0:26';

export interface DxPaths {
  dir: string;
  store: string;
  cert: string;
  key: string;
}

export function dxPaths(dir: string): DxPaths {
  return { dir, store: join(dir, 'signets.db'), cert: join(dir, 'tls', 'cert.pem'), key: join(dir, 'tls', 'key.pem') };
}

export interface InitOptions {
  dir: string;
  domain: string;
  /** DX host name (or IP address) the certificate is made for. */
  dx: string;
  /** Use this certificate and key (PEM files) instead of making a self-signed one. */
  certFile?: string;
  keyFile?: string;
}

export interface InitResult extends DxPaths {
  domain: string;
  dx: string;
  selfSigned: boolean;
  /** SHA-256 of the certificate's DER, hex with colons (what `openssl x509 -fingerprint` shows). */
  certSha256: string;
}

function checkHost(text: string, what: string): string {
  const host = isIP(text) ? text : normalizeDomainName(text);
  if (!host) throw usageError(`${what} ${JSON.stringify(text)}: not a host name`);
  return host;
}

/** Creates a DX directory. Refuses (EXISTS, exit 2) when a store or TLS file is already there. */
export function initDx(options: InitOptions): InitResult {
  const domain = normalizeDomainName(options.domain);
  if (!domain) throw usageError(`--domain ${JSON.stringify(options.domain)}: not a domain`);
  const dx = checkHost(options.dx, '--dx');
  if ((options.certFile === undefined) !== (options.keyFile === undefined)) throw usageError('--cert and --key go together');
  const paths = dxPaths(options.dir);
  for (const path of [paths.store, paths.cert, paths.key]) {
    if (fileExists(path)) throw new DimeError('EXISTS', `${path} exists; this directory is already a DX (choose another --dir)`);
  }

  let certPem: string;
  let keyPem: string;
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    certPem = Buffer.from(readInputFile(options.certFile, 'certificate')).toString('utf8');
    keyPem = Buffer.from(readInputFile(options.keyFile, 'key')).toString('utf8');
    let x509: X509Certificate;
    try {
      x509 = new X509Certificate(certPem);
    } catch (error) {
      throw new DimeError('BAD_INPUT', `certificate ${options.certFile}: not a PEM certificate (${(error as Error).message})`);
    }
    let key;
    try {
      key = createPrivateKey(keyPem);
    } catch (error) {
      throw new DimeError('BAD_INPUT', `key ${options.keyFile}: not a PEM private key (${(error as Error).message})`);
    }
    if (!x509.checkPrivateKey(key)) throw new DimeError('BAD_INPUT', `key ${options.keyFile}: does not belong to certificate ${options.certFile}`);
  } else {
    ({ certPem, keyPem } = createSelfSignedCertificate({ hostname: dx }));
  }

  mkdirSync(join(options.dir, 'tls'), { recursive: true, mode: 0o700 });
  writeFileAtomic(paths.key, keyPem, { mode: 0o600, what: 'TLS key' });
  writeFileAtomic(paths.cert, certPem, { mode: 0o644, what: 'certificate' });
  const store = openSqliteStore(paths.store, { create: true });
  try {
    store.setMeta('domain', domain);
    store.setMeta('dx', dx);
  } finally {
    store.close();
  }
  const der = new X509Certificate(certPem).raw;
  const certSha256 = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
  return { ...paths, domain, dx, selfSigned: options.certFile === undefined, certSha256 };
}

/** Opens the store of a DX directory (BAD_INPUT when the directory was never initialised). */
export function openDxStore(dir: string): { store: DxStore; domain: string; dx: string } {
  const store = openSqliteStore(dxPaths(dir).store);
  const domain = store.getMeta('domain');
  const dx = store.getMeta('dx');
  if (!domain || !dx) {
    store.close();
    throw new DimeError('BAD_INPUT', `store ${dxPaths(dir).store}: no domain or DX host recorded; run dmtpd init`);
  }
  return { store, domain, dx };
}

export interface StartDxOptions {
  dir: string;
  /** Implicit-TLS listener, `HOST:PORT` or an address object; default 0.0.0.0:26. */
  listen?: string | ListenAddress;
  /** Dual-mode (STARTTLS) listener. */
  dual?: string | ListenAddress;
  idleTimeoutMs?: number;
  maxConnections?: number;
  maxViolations?: number;
  /** One line per session. */
  log?: (line: string) => void;
}

export interface RunningDx {
  /** Bound implicit-TLS address (the real port). */
  address: ListenAddress;
  dualAddress: ListenAddress | undefined;
  hostname: string;
  domain: string;
  /** Stops listening, says `421` to open sessions, closes the store. */
  close(graceMs?: number): Promise<void>;
}

function listenAddress(value: string | ListenAddress, flag: string): ListenAddress {
  if (typeof value !== 'string') return value;
  const parsed = parseHostPort(value);
  if (!parsed) throw usageError(`${flag} ${JSON.stringify(value)}: expected HOST:PORT (IPv6 as [::1]:26)`);
  return parsed;
}

/** Serves a DX directory in this process. */
export async function startDx(options: StartDxOptions): Promise<RunningDx> {
  const listen = listenAddress(options.listen ?? DEFAULT_LISTEN, '--listen');
  const dual = options.dual === undefined ? undefined : listenAddress(options.dual, '--dual');
  const paths = dxPaths(options.dir);
  const { store, domain, dx } = openDxStore(options.dir);
  let server: DmtpServer;
  try {
    const key = readInputFile(paths.key, 'TLS key');
    const cert = readInputFile(paths.cert, 'certificate');
    server = await DmtpServer.start({
      hostname: dx,
      store,
      key,
      cert,
      listen,
      ...(dual ? { dual } : {}),
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.maxViolations === undefined ? {} : { maxViolations: options.maxViolations }),
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (error) {
    store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new DimeError('NETWORK', `cannot listen: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    address: server.address!,
    dualAddress: server.dualAddress,
    hostname: dx,
    domain,
    close(graceMs?: number) {
      closing ??= server.close(graceMs).finally(() => store.close());
      return closing;
    },
  };
}

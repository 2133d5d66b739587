/**
 * The system resolver, read the way glibc reads `/etc/resolv.conf` (resolv.conf(5)): the first
 * `nameserver` line wins; `#` and `;` start comments; with no usable `nameserver` line (or no file
 * at all) the resolver is the local machine, 127.0.0.1 port 53. resolv.conf has no port syntax.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { DimeError } from '../errors/dime-error.js';
import { DEFAULT_DNS_PORT, type ServerAddress } from './stub-client.js';

export const DEFAULT_RESOLV_CONF = '/etc/resolv.conf';

/** Parses resolv.conf text; returns every `nameserver` address in order (IPv6 scope ids kept). */
export function parseResolvConf(text: string): ServerAddress[] {
  const servers: ServerAddress[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    const match = /^nameserver\s+(\S+)/.exec(line);
    if (!match) continue;
    const address = match[1]!;
    // glibc ignores entries that are not numeric addresses; so do we.
    if (isIP(address.replace(/%.*$/, '')) !== 0) servers.push({ host: address, port: DEFAULT_DNS_PORT });
  }
  return servers;
}

/**
 * The resolver `dime` uses without `--resolver`: the first nameserver of `path`, or 127.0.0.1:53
 * when the file is missing or lists none (glibc's fallback). An unreadable file other than a missing
 * one is BAD_INPUT naming the path.
 */
export function resolverFromResolvConf(path: string = DEFAULT_RESOLV_CONF): ServerAddress {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { host: '127.0.0.1', port: DEFAULT_DNS_PORT };
    throw new DimeError('BAD_INPUT', `${path}: cannot read (${code ?? (err as Error).message})`, { cause: err });
  }
  return parseResolvConf(text)[0] ?? { host: '127.0.0.1', port: DEFAULT_DNS_PORT };
}

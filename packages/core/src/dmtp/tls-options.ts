/**
 * TLS parameters shared by the DMTP client and server (profile §5, dmtp.md §1.2): TLS 1.2 and 1.3;
 * among the TLS 1.2 suites ECDHE-RSA-AES256-GCM-SHA384 comes first, since it is the only suite the
 * libdime client offers. TLS 1.3 suites are Node's defaults (the cipher string does not restrict them).
 */
export const DMTP_TLS12_CIPHERS = [
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
].join(':');

export const DMTP_TLS13_CIPHERS = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'].join(':');

/** `ciphers` value for node:tls (TLS 1.3 and 1.2 names together). */
export const DMTP_CIPHERS = `${DMTP_TLS13_CIPHERS}:${DMTP_TLS12_CIPHERS}`;

/** OpenSSL 1.0.2 (libdime's) offers P-256/384/521 but no X25519 (dmtp.md §1.2). */
export const DMTP_ECDH_CURVES = 'X25519:P-256:P-384:P-521';

export const DMTP_MIN_TLS_VERSION = 'TLSv1.2' as const;
export const DMTP_MAX_TLS_VERSION = 'TLSv1.3' as const;

/** Formats `host:port`, with brackets around an IPv6 address (`[::1]:26`). */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Parses `HOST:PORT` or `[IPV6]:PORT` (port 0..65535). Returns undefined when malformed, so each CLI
 * can word its own usage error.
 */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.%a-zA-Z]+)\]|([^:[\]\s]+)):([0-9]{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  return { host: (match[1] ?? match[2])!, port };
}

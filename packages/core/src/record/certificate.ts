/**
 * Reading the DX certificate that a `tls=` binds: the first CERTIFICATE block of a PEM file (other
 * blocks, such as the PRIVATE KEY that starts magma's `tls.localhost.localdomain.pem`, are skipped),
 * or a DER file. Parsed with node:crypto `X509Certificate` (record-and-dnssec.md §2.1 step 1).
 */
import { X509Certificate } from 'node:crypto';
import { badInput } from '../errors/dime-error.js';
import { bytesEqual, toBytes } from '../bytes/encoding.js';

const PEM_BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;
const PEM_END = /^-----END ([A-Z0-9 ]+)-----$/;

/** Accepts text or bytes; bytes are read as latin1 so a binary file cannot throw a decoding error. */
function asText(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
}

/** The DER bytes of a certificate, checked to be exactly one well-formed X.509 certificate. */
export function parseCertificateDer(der: Uint8Array, what = 'certificate'): Uint8Array {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
  } catch (err) {
    throw badInput(`${what}: not an X.509 certificate (${(err as Error).message})`);
  }
  const raw = toBytes(cert.raw);
  if (!bytesEqual(raw, der)) {
    throw badInput(`${what}: ${der.length - raw.length} bytes after the certificate`);
  }
  return raw;
}

/**
 * The DER of the first CERTIFICATE block in a PEM text. BEGIN/END must pair; the body must be base64.
 * Anything wrong is BAD_INPUT (exit 3), naming `what`.
 */
export function readCertificatePem(input: string | Uint8Array, what = 'certificate'): Uint8Array {
  const lines = asText(input).split(/\r?\n|\r/).map((l) => l.trim());
  for (let i = 0; i < lines.length; i++) {
    const begin = PEM_BEGIN.exec(lines[i]!);
    if (!begin) continue;
    const label = begin[1]!;
    let end = i + 1;
    while (end < lines.length && !PEM_BEGIN.test(lines[end]!) && !PEM_END.test(lines[end]!)) end++;
    const endMatch = end < lines.length ? PEM_END.exec(lines[end]!) : null;
    if (!endMatch || endMatch[1] !== label) {
      throw badInput(`${what}: PEM block "${label}" at line ${i + 1} has no matching END line`);
    }
    if (label === 'CERTIFICATE') {
      const body = lines.slice(i + 1, end).join('');
      if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
        throw badInput(`${what}: CERTIFICATE block at line ${i + 1} is not base64`);
      }
      return parseCertificateDer(toBytes(Buffer.from(body, 'base64')), what);
    }
    i = end;
  }
  throw badInput(`${what}: no CERTIFICATE block`);
}

/** A certificate file in PEM (first CERTIFICATE block) or DER. */
export function readCertificate(input: Uint8Array, what = 'certificate'): Uint8Array {
  const looksLikeDer = input.length > 1 && input[0] === 0x30 && !asText(input.subarray(0, 64)).includes('-----BEGIN');
  return looksLikeDer ? parseCertificateDer(input, what) : readCertificatePem(input, what);
}

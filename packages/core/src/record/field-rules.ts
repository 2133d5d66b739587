/**
 * Value rules of each management-record field (profile §3; record-and-dnssec.md §1.3). Each check
 * returns the normalised value or throws RECORD_INVALID with a one-line message that starts with the
 * field's short name, e.g. `pok: 44 characters, expected 43`.
 */
import { DimeError } from '../errors/dime-error.js';
import { base64EncodeUnpadded, toBytes } from '../bytes/encoding.js';
import {
  MAX_EXPIRY_DAYS,
  POK_LENGTH,
  RECORD_POLICIES,
  RECORD_VERSION,
  SUBDOMAIN_MODES,
  TLS_LENGTH,
  type RecordPolicy,
  type SubdomainMode,
} from './dime-record.js';

const BASE64_ALPHABET = /^[A-Za-z0-9+/]*$/;
const HOST_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

export function recordInvalid(message: string, details?: Record<string, unknown>): DimeError {
  return new DimeError('RECORD_INVALID', message, details ? { details } : undefined);
}

/** A value quoted for an error message: JSON-escaped and cut short, so hostile input stays one line. */
export function quoteValue(value: string): string {
  const shown = value.length > 48 ? `${value.slice(0, 45)}...` : value;
  return JSON.stringify(shown);
}

/**
 * Exactly `length` characters of unpadded standard base64 whose unused trailing bits are zero, so
 * that one key or signature has exactly one spelling (records are compared as text by `signet -v`).
 */
function checkUnpaddedBase64(field: string, value: string, length: number, bytes: number): string {
  if (value.length !== length) {
    throw recordInvalid(`${field}: ${value.length} characters, expected ${length}`, { field, length: value.length });
  }
  if (!BASE64_ALPHABET.test(value)) {
    const at = [...value].findIndex((c) => !/[A-Za-z0-9+/]/.test(c));
    throw recordInvalid(`${field}: character ${quoteValue(value[at] ?? '')} at position ${at + 1} is not base64`, { field });
  }
  const decoded = toBytes(Buffer.from(value, 'base64'));
  if (decoded.length !== bytes || base64EncodeUnpadded(decoded) !== value) {
    throw recordInvalid(`${field}: not canonical base64 of ${bytes} bytes (last character has stray bits)`, { field });
  }
  return value;
}

export function checkPok(value: string): string {
  return checkUnpaddedBase64('pok', value, POK_LENGTH, 32);
}

export function checkTls(value: string): string {
  return checkUnpaddedBase64('tls', value, TLS_LENGTH, 64);
}

/** `ver`: a decimal that must be 1. */
export function checkVersion(value: string): number {
  if (value !== String(RECORD_VERSION)) {
    throw recordInvalid(`ver: ${quoteValue(value)}, expected ${RECORD_VERSION}`, { field: 'ver' });
  }
  return RECORD_VERSION;
}

export function checkPolicy(value: string): RecordPolicy {
  const lower = value.toLowerCase();
  const found = RECORD_POLICIES.find((p) => p === lower);
  if (!found) throw recordInvalid(`pol: ${quoteValue(value)}, expected experimental, mixed or strict`, { field: 'pol' });
  return found;
}

export function checkSubdomain(value: string): SubdomainMode {
  const lower = value.toLowerCase();
  const found = SUBDOMAIN_MODES.find((s) => s === lower);
  if (!found) throw recordInvalid(`sub: ${quoteValue(value)}, expected strict, relaxed or explicit`, { field: 'sub' });
  return found;
}

/** `exp`: a positive decimal number of days, no sign, no leading zeros, no unit. */
export function checkExpiry(value: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > MAX_EXPIRY_DAYS) {
    throw recordInvalid(`exp: ${quoteValue(value)}, expected a positive whole number of days`, { field: 'exp' });
  }
  return Number(value);
}

/** True for a DNS host name: LDH labels (underscore tolerated) of 1–63, at most 253 in all, one optional final dot. */
export function isHostName(value: string): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => HOST_LABEL.test(label));
}

/** `dx`: a host name, kept as written. */
export function checkDx(value: string): string {
  if (!isHostName(value)) throw recordInvalid(`dx: ${quoteValue(value)} is not a host name`, { field: 'dx' });
  return value;
}

/** `syn`: free text, but not empty. */
export function checkSyndicate(value: string): string {
  if (value.length === 0) throw recordInvalid('syn: empty value', { field: 'syn' });
  return value;
}

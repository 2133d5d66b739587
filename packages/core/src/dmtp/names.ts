/**
 * Signet names and fingerprints as they appear inside DMTP arguments (dmtp.md §3.3, profile §2).
 * A name without `@` is an organisation (a domain), with `@` a user (an address). Names are compared
 * in lower case: DNS names are case-insensitive, and a DX that told `Alice@` from `alice@` apart would
 * only confuse its users.
 */
import { badInput, isDimeError } from '../errors/dime-error.js';
import { normalizeFingerprint } from '../signet/fingerprint.js';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// RFC 5322 atext plus dots (checked separately for leading, trailing and doubled dots).
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;

/** Lower-cased domain, or undefined when it is not a host name (letters, digits, `-`, `.`). */
export function normalizeDomainName(text: string): string | undefined {
  let domain = text.toLowerCase();
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (domain.length === 0 || domain.length > 253) return undefined;
  return domain.split('.').every((label) => LABEL.test(label)) ? domain : undefined;
}

/** Lower-cased `local@domain`, or undefined when it is not a plain address. */
export function normalizeAddress(text: string): string | undefined {
  const at = text.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = text.slice(0, at).toLowerCase();
  const domain = normalizeDomainName(text.slice(at + 1));
  if (!domain || !LOCAL_PART.test(local)) return undefined;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  return `${local}@${domain}`;
}

/** A domain or an address, normalised; undefined when it is neither. */
export function normalizeSignetName(text: string): string | undefined {
  return text.includes('@') ? normalizeAddress(text) : normalizeDomainName(text);
}

export function isUserName(name: string): boolean {
  return name.includes('@');
}

/** The domain part of a signet name (the name itself for an org). */
export function domainOfName(name: string): string {
  const at = name.lastIndexOf('@');
  return at < 0 ? name : name.slice(at + 1);
}

/**
 * A fingerprint in its wire form: 86 characters of unpadded standard base64 (profile §2); 88-character
 * padded base64 and 128 hex digits are accepted and normalised. Throws BAD_INPUT naming `what`.
 */
export function normalizeWireFingerprint(text: string, what = 'fingerprint'): string {
  try {
    return normalizeFingerprint(text);
  } catch (error) {
    if (isDimeError(error)) throw badInput(error.message.replace(/^fingerprint/, what));
    throw error;
  }
}

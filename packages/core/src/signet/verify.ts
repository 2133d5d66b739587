/**
 * Verification (profile §2, signet-format.md §4) with the C bugs fixed: the user self-signature
 * (field 5) is always checked; a custody signature (field 4) is checked against the previous
 * signet's key when one is given, and never makes a signet invalid on its own.
 *
 * States, in increasing order: `ssr`, `crypto`, `full`, `id`. A present signature that fails →
 * `invalid`; a custody signature that fails against the given previous signet → `broken-custody`;
 * a present signature whose prerequisite fields are missing, or no signature at all → `incomplete`;
 * otherwise the highest signature level present.
 */
import { badInput, usageError, DimeError, type ErrorCode } from '../errors/dime-error.js';
import { base64Decode, base64EncodeUnpadded, bytesEqual } from '../bytes/encoding.js';
import { ed25519Verify } from '../crypto/ed25519.js';
import { fingerprints, payloadBefore, type Fingerprints } from './fingerprint.js';
import { findField, findFields, signingKeyOf } from './object.js';
import { parseSok, SOK_PERMISSION } from './keys-math.js';
import type { SignetObject } from './types.js';

export type VerificationState = 'ssr' | 'crypto' | 'full' | 'id' | 'invalid' | 'incomplete' | 'broken-custody';

/** Where the trust in the signing key came from: its own POK, a given `pok=` set, or the org signet. */
export type TrustSource = 'self' | 'pok' | 'org';

export interface SignatureCheck {
  readonly field: number;
  /** `custody`, `ssr` (self-signature), `crypto`, `full`, `id`, or `pok` (POK among the accepted ones). */
  readonly name: string;
  readonly ok: boolean;
}

export interface VerifyOptions {
  /** The org signet a user signet is checked against (required for user signets). */
  readonly org?: SignetObject;
  /** Accepted POKs (43-character `pok=` values or 32-byte keys): the org POK must be one of them. */
  readonly poks?: readonly (string | Uint8Array)[];
  /** The previous signet of the same user: its signing key must have made field 4. */
  readonly previous?: SignetObject;
}

export interface SignetVerification {
  readonly type: 'org' | 'user' | 'ssr';
  readonly state: VerificationState;
  readonly trust: TrustSource;
  /** Org signets (and user signets checked with `poks`): the POK is accepted. */
  readonly pokAccepted?: boolean;
  readonly checks: readonly SignatureCheck[];
  readonly fingerprints: Fingerprints;
}

/** Fields each signature needs before it is meaningful (signet-format.md §4, last column). */
const PREREQUISITES: Record<'org' | 'user' | 'ssr', Record<number, readonly number[]>> = {
  org: { 4: [1, 3], 253: [1, 3, 4], 255: [1, 3, 4, 253, 254] },
  user: { 4: [1, 2], 5: [1, 2], 6: [1, 2, 5], 253: [1, 2, 5, 6], 255: [1, 2, 5, 6, 253, 254] },
  ssr: { 4: [1, 2], 5: [1, 2] },
};

const CHECK_NAMES: Record<number, string> = { 4: 'crypto', 5: 'ssr', 6: 'crypto', 253: 'full', 255: 'id' };

const LEVEL_OF: Record<number, VerificationState> = { 5: 'ssr', 4: 'crypto', 6: 'crypto', 253: 'full', 255: 'id' };

const STATE_ORDER: readonly VerificationState[] = ['ssr', 'crypto', 'full', 'id'];

/** True when `state` is a success at least as high as `minimum` (`invalid` etc. never are). */
export function stateAtLeast(state: VerificationState, minimum: 'ssr' | 'crypto' | 'full' | 'id'): boolean {
  const rank = STATE_ORDER.indexOf(state);
  return rank >= 0 && rank >= STATE_ORDER.indexOf(minimum);
}

/**
 * A `pok=` value: exactly 43 unpadded base64 characters = 32 bytes (signet-format.md §3.1).
 * Throws `code` naming the offending length.
 */
export function parsePok(text: string, code: ErrorCode = 'BAD_INPUT'): Uint8Array {
  if (text.length !== 43) throw new DimeError(code, `pok: ${text.length} characters, expected 43`);
  if (!/^[A-Za-z0-9+/]{43}$/.test(text)) throw new DimeError(code, 'pok: not unpadded base64');
  const key = base64Decode(text, 'pok');
  if (base64EncodeUnpadded(key) !== text) throw new DimeError(code, 'pok: not a canonical base64 encoding of 32 bytes');
  return key;
}

function pokBytes(pok: string | Uint8Array): Uint8Array {
  if (typeof pok !== 'string') {
    if (pok.length !== 32) throw usageError(`pok: ${pok.length} bytes, expected 32`);
    return pok;
  }
  return parsePok(pok, 'USAGE');
}

/**
 * The keys allowed to sign user signets: the POK and every SOK with the signet permission (§3.2).
 * A SOK counts only when the org's crypto signature (field 4, over fields 1–3) verifies under the
 * POK: otherwise anyone could add their own SOK to a copy of the org signet.
 */
export function orgSigningKeys(org: SignetObject): Uint8Array[] {
  if (org.type !== 'org') throw usageError(`the org signet given is ${org.type === 'user' ? 'a user signet' : org.type === 'ssr' ? 'an SSR' : 'a keys file'}`);
  const keys = [signingKeyOf(org)];
  const soks = findFields(org, 2);
  // Without SOKs the answer is the POK alone: skip the field-4 verification (one Ed25519 verify per
  // user signet checked, 20% of the work).
  if (soks.length === 0 || !verifiesWithAny(org, 4, keys)) return keys;
  for (const sok of soks) {
    const parsed = parseSok(sok.value);
    if ((parsed.permissions & SOK_PERMISSION.signet) !== 0) keys.push(parsed.publicKey.slice());
  }
  return keys;
}

function verifiesWithAny(obj: SignetObject, id: number, keys: readonly Uint8Array[]): boolean {
  const field = findField(obj, id);
  if (!field) return false;
  const covered = payloadBefore(obj, id);
  return keys.some((key) => ed25519Verify(field.value, covered, key));
}

/**
 * How `next` follows `previous` in a user's history (profile §5): `same-key` (no custody needed),
 * `ok` (field 4 verifies under the previous signing key), `missing` (keys differ and there is no
 * field 4) or `bad` (field 4 does not verify).
 */
export function custodyLink(previous: SignetObject, next: SignetObject): 'same-key' | 'ok' | 'missing' | 'bad' {
  const previousKey = signingKeyOf(previous);
  if (findField(next, 4) && next.type !== 'org') return verifiesWithAny(next, 4, [previousKey]) ? 'ok' : 'bad';
  return bytesEqual(previousKey, signingKeyOf(next)) ? 'same-key' : 'missing';
}

/** True when `next` is a valid custody successor of `previous` (same key, or a good field 4). */
export function isCustodySuccessor(previous: SignetObject, next: SignetObject): boolean {
  const link = custodyLink(previous, next);
  return link === 'same-key' || link === 'ok';
}

/**
 * Verifies a signet or SSR (profile §2 `signet -v` table). Org signets are checked with their own
 * POK (trust `self`), restricted to `poks` when given (trust `pok`); user signets need `org`
 * (trust `org`): field 5 by the user's key, 6/253/255 by the org POK or a signing SOK. Throws
 * USAGE for a user signet without `org`, BAD_INPUT for keys files.
 */
export function verifySignet(obj: SignetObject, options: VerifyOptions = {}): SignetVerification {
  const type = obj.type;
  if (type !== 'org' && type !== 'user' && type !== 'ssr') throw badInput('a keys file has no signatures to verify');
  const checks: SignatureCheck[] = [];
  let trust: TrustSource;
  let pokAccepted: boolean | undefined;
  let orgKeys: Uint8Array[] = [];

  const hasKey = findField(obj, 1) !== undefined;
  const ownKey = hasKey ? [signingKeyOf(obj)] : [];
  if (type === 'org') {
    orgKeys = ownKey;
    trust = options.poks ? 'pok' : 'self';
    if (options.poks) {
      const accepted = options.poks.map(pokBytes);
      pokAccepted = hasKey && accepted.some((k) => bytesEqual(k, ownKey[0]!));
      checks.push({ field: 1, name: 'pok', ok: pokAccepted });
    } else {
      pokAccepted = hasKey;
    }
  } else if (type === 'user') {
    if (!options.org) throw usageError('a user signet is verified against its org signet (none given)');
    orgKeys = orgSigningKeys(options.org);
    trust = 'org';
    if (options.poks) {
      const accepted = options.poks.map(pokBytes);
      pokAccepted = accepted.some((k) => bytesEqual(k, orgKeys[0]!));
    }
  } else {
    trust = 'self';
  }

  let custodyBroken = false;
  if (type !== 'org' && options.previous) {
    const link = custodyLink(options.previous, obj);
    if (link !== 'same-key') {
      custodyBroken = link !== 'ok';
      checks.push({ field: 4, name: 'custody', ok: link === 'ok' });
    }
  }

  const signatureIds = type === 'org' ? [4, 253, 255] : type === 'user' ? [5, 6, 253, 255] : [5];
  const present = signatureIds.filter((id) => findField(obj, id));
  let invalid = false;
  let incomplete = present.length === 0;
  for (const id of present) {
    const keys = id === 5 ? ownKey : orgKeys;
    const ok = verifiesWithAny(obj, id, keys);
    checks.push({ field: id, name: CHECK_NAMES[id]!, ok });
    if (!ok) invalid = true;
    if (PREREQUISITES[type][id]!.some((need) => !findField(obj, need))) incomplete = true;
  }
  if (type !== 'org' && findField(obj, 4) && PREREQUISITES[type][4]!.some((need) => !findField(obj, need))) incomplete = true;
  checks.sort((a, b) => a.field - b.field);

  let state: VerificationState;
  if (invalid) state = 'invalid';
  else if (custodyBroken) state = 'broken-custody';
  else if (incomplete) state = 'incomplete';
  else state = LEVEL_OF[present[present.length - 1]!]!;

  const result: SignetVerification = { type, state, trust, checks, fingerprints: fingerprints(obj) };
  return pokAccepted === undefined ? result : { ...result, pokAccepted };
}

/** Exit-0 condition of `signet -v` (profile §2): SSR `ssr`; org ≥ crypto with the POK accepted; user ≥ crypto. */
export function verificationPassed(result: SignetVerification): boolean {
  switch (result.type) {
    case 'ssr':
      return result.state === 'ssr';
    case 'org':
      return stateAtLeast(result.state, 'crypto') && result.pokAccepted === true;
    case 'user':
      return stateAtLeast(result.state, 'crypto') && result.pokAccepted !== false;
  }
}

/** The error code a failed verification maps to (for CLIs and servers). */
export function verificationErrorCode(result: SignetVerification): ErrorCode {
  switch (result.state) {
    case 'invalid':
      return 'SIGNATURE_INVALID';
    case 'broken-custody':
      return 'CUSTODY';
    case 'incomplete':
    case 'ssr':
      return 'INCOMPLETE';
    default:
      return 'SIGNATURE_INVALID'; // a good signet whose POK is not accepted
  }
}


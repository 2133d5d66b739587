/**
 * Publishing a signet into the DX store (profile §5, §6 `dmtpd publish`): org signets verify under
 * their own POK; user signets verify against the stored org signet of their domain; a new signet for
 * an address becomes current and the old one stays in its history. A link to a signet with another
 * signing key is checked for a custody signature (field 4) by the previous key: a bad one is always
 * refused, a missing one only with `requireCustody`.
 */
import { DimeError, badInput } from '@dime/core/errors';
import { domainOfName, isUserName, normalizeSignetName } from '@dime/core/dmtp';
import {
  custodyLink,
  decodeSignetObject,
  fingerprints as signetFingerprints,
  signetIdentifier,
  signingKeyOf,
  stateAtLeast,
  verificationErrorCode,
  verifySignet,
  type Fingerprints,
  type SignetObject,
} from '@dime/core/signet';
import type { CustodyStatus, DxStore } from './store.js';

/** Largest signet libdime can fetch: `250 OK [B64]` CRLF must fit its 4096-byte buffer (dmtp.md §3.1). */
export const LIBDIME_MAX_SIGNET_BYTES = 3063;

export interface PublishOptions {
  requireCustody?: boolean;
  /** The store's domain: the name of an org signet that carries no identifier (field 254). */
  defaultDomain?: string;
}

export interface PublishResult {
  name: string;
  type: 'org' | 'user';
  /** `published`: now current; `unchanged`: it already was the current signet. */
  status: 'published' | 'unchanged';
  custody: CustodyStatus;
  fingerprints: Fingerprints;
  /** Set when the signet is too large for libdime clients. */
  warning?: string;
}

function nameOf(obj: SignetObject, type: 'org' | 'user', options: PublishOptions): string {
  const identifier = signetIdentifier(obj);
  if (identifier === undefined) {
    if (type === 'org' && options.defaultDomain) return options.defaultDomain;
    throw badInput(`field 254: missing; a ${type} signet without its ${type === 'org' ? 'domain' : 'address'} cannot be published`);
  }
  const name = normalizeSignetName(identifier);
  if (!name || isUserName(name) !== (type === 'user')) {
    throw badInput(`field 254: ${JSON.stringify(identifier)} is not ${type === 'org' ? 'a domain' : 'an address'}`);
  }
  return name;
}

/**
 * Validates `input` (armor or binary) and stores it; returns what happened. Throws DimeError. The
 * checks against the current signets and the insert are one transaction (concurrent publishers).
 */
export function publishSignet(store: DxStore, input: Uint8Array | string, options: PublishOptions = {}): PublishResult {
  const obj = decodeSignetObject(input);
  return store.exclusive(() => publishDecoded(store, obj, options));
}

function publishDecoded(store: DxStore, obj: SignetObject, options: PublishOptions): PublishResult {
  if (obj.type !== 'org' && obj.type !== 'user') {
    throw badInput(obj.type === 'ssr' ? 'an SSR is not published; the org signs it into a user signet first (signet -s)' : 'a keys file is never published');
  }
  const type = obj.type;
  const name = nameOf(obj, type, options);
  const fingerprints = signetFingerprints(obj);

  let verification;
  if (type === 'org') {
    verification = verifySignet(obj);
  } else {
    const org = store.current(domainOfName(name));
    if (!org) throw new DimeError('NOT_FOUND', `${name}: no org signet for ${domainOfName(name)} in the store; publish it first`);
    verification = verifySignet(obj, { org: decodeSignetObject(org.signet) });
  }
  if (!stateAtLeast(verification.state, 'crypto')) {
    const against = type === 'org' ? 'its own POK' : `the org signet of ${domainOfName(name)}`;
    throw new DimeError(verificationErrorCode(verification), `${name}: ${type} signet does not verify against ${against} (state ${verification.state})`);
  }

  const previous = store.current(name);
  let custody: CustodyStatus = 'start';
  if (previous) {
    if (previous.fingerprints.id === fingerprints.id) {
      return { name, type, status: 'unchanged', custody: previous.custody, fingerprints };
    }
    if (store.all(name).some((stored) => stored.fingerprints.id === fingerprints.id)) {
      throw new DimeError('EXISTS', `${name}: this signet is already in the history; an older signet is never made current again`);
    }
    const previousObj = decodeSignetObject(previous.signet);
    if (type === 'org') {
      custody = custodyLink(previousObj, obj) === 'same-key' ? 'same-key' : 'missing';
    } else {
      const link = custodyLink(previousObj, obj);
      if (link === 'bad') throw new DimeError('CUSTODY', `${name}: the custody signature (field 4) does not verify under the previous signing key`);
      if (link === 'missing' && options.requireCustody) {
        throw new DimeError('CUSTODY', `${name}: the signing key changed and there is no custody signature (field 4) by the previous key (--require-custody)`);
      }
      custody = link;
    }
  }
  store.insert({ name, type, signet: obj.bytes, signingKey: signingKeyOf(obj), custody, fingerprints });
  const result: PublishResult = { name, type, status: 'published', custody, fingerprints };
  if (obj.bytes.length > LIBDIME_MAX_SIGNET_BYTES) {
    result.warning = `${obj.bytes.length} bytes: libdime clients cannot fetch signets over ${LIBDIME_MAX_SIGNET_BYTES} bytes`;
  }
  return result;
}

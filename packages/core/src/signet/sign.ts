/**
 * Generation and signing (signet-format.md §4, §10.1). Every signature is pure Ed25519 over `P[<id]`
 * (the field bytes before the signature field, header excluded), so signing is deterministic: the
 * same keys and answers give the same bytes, which is how the magma vectors are rebuilt.
 */
import { DimeError, badInput, usageError } from '../errors/dime-error.js';
import { utf8Encode } from '../bytes/encoding.js';
import { ed25519Sign, ed25519Verify } from '../crypto/ed25519.js';
import { findField } from './object.js';
import { signingKeyField, type SignetKeys } from './keys.js';
import { parseSigningKey } from './keys-math.js';
import { encodePayload, encodeSignetObject } from './serialize.js';
import { payloadBefore } from './fingerprint.js';
import type { SignetDialect, SignetFieldInput, SignetObject, SignetType } from './types.js';

/** The wizard's answers (`--name` …): each non-empty answer becomes one informational field. */
export interface SignetAnswers {
  readonly name?: string;
  readonly address?: string;
  readonly province?: string;
  readonly country?: string;
  readonly postalCode?: string;
  readonly phone?: string;
}

/** Answer → field id (signet-format.md §2.1: 16 Name, 17 Address, 18 Province, 19 Country, 20 Postal-Code, 21 Phone-Number). */
export const ANSWER_FIELDS: readonly (readonly [keyof SignetAnswers, number])[] = [
  ['name', 16],
  ['address', 17],
  ['province', 18],
  ['country', 19],
  ['postalCode', 20],
  ['phone', 21],
];

export interface GenerateOptions {
  /** How keys and lengths are written (default `magma`). */
  readonly dialect?: SignetDialect;
}

function inputsOf(obj: SignetObject): SignetFieldInput[] {
  return obj.fields.map((f) => (f.label ? { id: f.id, value: f.value, label: f.label, lengthWidth: f.lengthWidth } : { id: f.id, value: f.value, lengthWidth: f.lengthWidth }));
}

/** Inserts `field` after every field with an id not above its own (repeated ids keep their order). */
function insertSorted(fields: SignetFieldInput[], field: SignetFieldInput): SignetFieldInput[] {
  const at = fields.findIndex((f) => f.id > field.id);
  return at < 0 ? [...fields, field] : [...fields.slice(0, at), field, ...fields.slice(at)];
}

function withSignature(type: SignetType, fields: SignetFieldInput[], id: number, seed: Uint8Array, dialect: SignetDialect): SignetFieldInput[] {
  const rest = fields.filter((f) => f.id !== id);
  const covered = encodePayload(type, rest.filter((f) => f.id < id), { dialect });
  return insertSorted(rest, { id, value: ed25519Sign(seed, covered) });
}

function withAnswers(fields: SignetFieldInput[], answers: SignetAnswers): SignetFieldInput[] {
  let out = fields;
  for (const [key, id] of ANSWER_FIELDS) {
    const text = answers[key];
    if (text === undefined || text === '') continue;
    const value = utf8Encode(text);
    if (value.length > 255) throw usageError(`${key}: ${value.length} bytes, at most 255`);
    out = insertSorted(out, { id, value });
  }
  return out;
}

function identifierField(id: string): SignetFieldInput {
  const value = utf8Encode(id);
  if (value.length === 0 || value.length > 255) throw usageError(`signet identifier: ${value.length} bytes, expected 1 to 255`);
  return { id: 254, value };
}

/**
 * Adds (or replaces) signature field `id` signed by `seed` over `P[<id]`. Fields after it are kept
 * as they are, so re-signing 253 leaves an old 255 stale (the caller re-signs it too).
 */
export function addSignature(obj: SignetObject, id: number, seed: Uint8Array, options: GenerateOptions = {}): SignetObject {
  const dialect = options.dialect ?? 'magma';
  return encodeSignetObject(obj.type, withSignature(obj.type, inputsOf(obj), id, seed, dialect), { dialect });
}

/**
 * An org signet as `signet -g <domain>` makes it (signet-format.md §10.1): field 1 the POK, 3 the
 * encryption key, 4 the crypto signature, the answers (16–21), 253, 254 = `domain`, 255.
 */
export function createOrgSignet(keys: SignetKeys, domain: string, answers: SignetAnswers = {}, options: GenerateOptions = {}): SignetObject {
  if (keys.type !== 'org-keys') throw usageError('an org signet needs organizational keys');
  if (domain.includes('@')) throw usageError(`org signet id "${domain}" is an address; an org id is a domain`);
  const dialect = options.dialect ?? 'magma';
  const seed = keys.signingSeed;
  let fields: SignetFieldInput[] = [
    { id: 1, value: signingKeyField(keys, dialect) },
    { id: 3, value: keys.encryptionPublic },
  ];
  fields = withSignature('org', fields, 4, seed, dialect);
  fields = withAnswers(fields, answers);
  fields = withSignature('org', fields, 253, seed, dialect);
  fields = insertSorted(fields, identifierField(domain));
  fields = withSignature('org', fields, 255, seed, dialect);
  return encodeSignetObject('org', fields, { dialect });
}

export interface SsrOptions extends GenerateOptions {
  /** The previous user keys: adds the chain-of-custody signature (field 4) for a key rotation. */
  readonly custody?: SignetKeys;
}

/** An SSR as `signet -g <address>` makes it: 1 signing key, 2 encryption key, optional 4, then 5. */
export function createSsr(keys: SignetKeys, options: SsrOptions = {}): SignetObject {
  if (keys.type !== 'user-keys') throw usageError('an SSR needs user keys');
  const dialect = options.dialect ?? 'magma';
  let fields: SignetFieldInput[] = [
    { id: 1, value: signingKeyField(keys, dialect) },
    { id: 2, value: keys.encryptionPublic },
  ];
  if (options.custody) {
    if (options.custody.type !== 'user-keys') throw usageError('the custody keys must be user keys');
    fields = withSignature('ssr', fields, 4, options.custody.signingSeed, dialect);
  }
  fields = withSignature('ssr', fields, 5, keys.signingSeed, dialect);
  return encodeSignetObject('ssr', fields, { dialect });
}

/**
 * Turns an SSR into a user signet (signet-format.md §4 "Turning an SSR into a user signet"): the
 * SSR payload is kept byte for byte, the magic becomes 1789, then 6 (signed by the org key), the
 * answers, 253, 254 = `address` and 255 are appended. The SSR's self-signature must verify;
 * a rotation SSR (with field 4) is accepted (its custody is the verifier's business).
 */
export function signSsr(ssr: SignetObject, orgKeys: SignetKeys, address: string, answers: SignetAnswers = {}): SignetObject {
  if (ssr.type !== 'ssr') throw badInput(`not an SSR: the object is ${ssr.type === 'org' ? 'an org signet' : ssr.type}`);
  if (orgKeys.type !== 'org-keys') throw usageError('signing an SSR needs organizational keys (a user keys file cannot sign signets)');
  if (!/^[^@\s]+@[^@\s]+$/.test(address)) throw usageError(`"${address}" is not a user@domain address`);
  const key = findField(ssr, 1);
  if (!key) throw badInput('field 1: missing (the SSR carries no signing key)');
  const self = findField(ssr, 5);
  if (!self) throw badInput('field 5: missing (the SSR carries no self-signature)');
  if (!ed25519Verify(self.value, payloadBefore(ssr, 5), parseSigningKey(key.value))) {
    throw new DimeError('SIGNATURE_INVALID', 'field 5: the SSR self-signature does not verify');
  }
  if (!findField(ssr, 2)) throw badInput('field 2: missing (the SSR carries no encryption key)');
  const seed = orgKeys.signingSeed;
  let fields = inputsOf(ssr);
  fields = withSignature('user', fields, 6, seed, 'magma');
  fields = withAnswers(fields, answers);
  fields = withSignature('user', fields, 253, seed, 'magma');
  fields = insertSorted(fields, identifierField(address));
  fields = withSignature('user', fields, 255, seed, 'magma');
  return encodeSignetObject('user', fields);
}

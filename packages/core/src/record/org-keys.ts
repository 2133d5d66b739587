/**
 * The POK seed of an org keys file (armored `ORGANIZATIONAL KEY` or binary; payload 68 or 69),
 * read through the signet codec so every dialect `signet` reads is read here too.
 */
import { badInput } from '../errors/dime-error.js';
import { decodeKeys, decodeSignetObject, type SignetKeys } from '../signet/index.js';

export function readOrgKeys(data: Uint8Array, what: string): SignetKeys {
  const obj = decodeSignetObject(data);
  if (obj.type === 'user-keys') {
    throw badInput(`${what}: a user keys file holds no POK; give the organisation's keys file (ORGANIZATIONAL KEY)`);
  }
  if (obj.type !== 'org-keys') {
    throw badInput(`${what}: ${obj.type === 'org' ? 'an org signet' : obj.type === 'user' ? 'a user signet' : 'an SSR'} holds no private key; give the organisation's keys file`);
  }
  return decodeKeys(obj);
}

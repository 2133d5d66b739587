import { createHash } from 'node:crypto';
import { toBytes } from '../bytes/encoding.js';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export function digest(name: HashName, ...parts: Uint8Array[]): Uint8Array {
  const hash = createHash(name);
  for (const part of parts) hash.update(part);
  return toBytes(hash.digest());
}

export function sha512(...parts: Uint8Array[]): Uint8Array {
  return digest('sha512', ...parts);
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  return digest('sha256', ...parts);
}

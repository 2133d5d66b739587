export {
  ED25519_SEED_LENGTH,
  ED25519_PUBLIC_LENGTH,
  ED25519_SIGNATURE_LENGTH,
  ed25519PrivateKeyObject,
  ed25519PublicKeyObject,
  ed25519GenerateSeed,
  ed25519PublicFromSeed,
  ed25519Sign,
  ed25519Verify,
  ed25519SeedFromPkcs8,
} from './ed25519.js';
export { digest, sha512, sha256 } from './hash.js';
export type { HashName } from './hash.js';

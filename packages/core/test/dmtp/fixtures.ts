/** Shared material for the DMTP tests: a certificate, real signets made with the signet API, a store. */
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../../src/dmtp/certificate.js';
import type { SignetStore, VerifyAnswer } from '../../src/dmtp/session.js';
import { createOrgSignet, createSsr, signSsr } from '../../src/signet/sign.js';
import { generateKeys, type SignetKeys } from '../../src/signet/keys.js';
import { fingerprints, type Fingerprints } from '../../src/signet/fingerprint.js';
import type { SignetObject } from '../../src/signet/types.js';

export const DX_HOST = 'dx.example.test';
export const DOMAIN = 'example.test';
export const ALICE = 'alice@example.test';

let certificate: SelfSignedCertificate | undefined;
export function testCertificate(): SelfSignedCertificate {
  certificate ??= createSelfSignedCertificate({ hostname: DX_HOST });
  return certificate;
}

export interface Identity {
  keys: SignetKeys;
  signet: SignetObject;
  fingerprints: Required<Fingerprints>;
}

export interface World {
  org: Identity;
  /** Alice's first signet, then her rotated one (new keys, custody signature by the old key). */
  alice: Identity;
  aliceRotated: Identity;
}

function identity(keys: SignetKeys, signet: SignetObject): Identity {
  return { keys, signet, fingerprints: fingerprints(signet) as Required<Fingerprints> };
}

export function makeWorld(): World {
  const orgKeys = generateKeys('org-keys');
  const org = createOrgSignet(orgKeys, DOMAIN, { name: 'Example Org' });
  const aliceKeys = generateKeys('user-keys');
  const alice = signSsr(createSsr(aliceKeys), orgKeys, ALICE, { name: 'Alice' });
  const rotatedKeys = generateKeys('user-keys');
  const rotated = signSsr(createSsr(rotatedKeys, { custody: aliceKeys }), orgKeys, ALICE, { name: 'Alice' });
  return { org: identity(orgKeys, org), alice: identity(aliceKeys, alice), aliceRotated: identity(rotatedKeys, rotated) };
}

/** A store in memory with the semantics of profile §5 (the SQLite one lives in dmtpd). */
export class MemoryStore implements SignetStore {
  private readonly entries: { name: string; signet: SignetObject; fps: string[] }[] = [];

  add(name: string, signet: SignetObject): this {
    this.entries.push({ name, signet, fps: Object.values(fingerprints(signet)) });
    return this;
  }

  private of(name: string) {
    return this.entries.filter((entry) => entry.name === name);
  }

  lookup(name: string, fingerprint?: string): Uint8Array | undefined {
    const all = this.of(name).filter((entry) => fingerprint === undefined || entry.fps.includes(fingerprint));
    return all[all.length - 1]?.signet.bytes;
  }

  verify(name: string, fingerprint: string): VerifyAnswer {
    const all = this.of(name);
    const current = all[all.length - 1];
    if (!current || !all.some((entry) => entry.fps.includes(fingerprint))) return { status: 'unknown' };
    if (current.fps.includes(fingerprint)) return { status: 'current' };
    return { status: 'update', full: fingerprints(current.signet).full! };
  }

  history(address: string, start?: string, end?: string): Uint8Array[] | undefined {
    const all = this.of(address);
    const from = start === undefined ? 0 : all.findIndex((entry) => entry.fps.includes(start));
    let to = all.length - 1;
    if (end !== undefined) to = all.map((entry) => entry.fps.includes(end)).lastIndexOf(true);
    if (from < 0 || to < 0 || to < from) return undefined;
    return all.slice(from, to + 1).map((entry) => entry.signet.bytes);
  }
}

export function worldStore(world: World): MemoryStore {
  return new MemoryStore().add(DOMAIN, world.org.signet).add(ALICE, world.alice.signet).add(ALICE, world.aliceRotated.signet);
}

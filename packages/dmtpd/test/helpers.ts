/** dmtpd test material: temporary DX directories holding real signets made with the signet API. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armorSignetObject, createOrgSignet, createSsr, fingerprints, generateKeys, signSsr, type Fingerprints, type SignetKeys, type SignetObject } from '@dime/core/signet';
import { initDx, openDxStore } from '../src/dx.js';
import { publishSignet } from '../src/publish.js';

export const DOMAIN = 'example.test';
export const DX_HOST = 'dx.example.test';
export const ALICE = 'alice@example.test';

export interface Made {
  keys: SignetKeys;
  signet: SignetObject;
  fp: Required<Fingerprints>;
}

function made(keys: SignetKeys, signet: SignetObject): Made {
  return { keys, signet, fp: fingerprints(signet) as Required<Fingerprints> };
}

export interface Identities {
  org: Made;
  alice: Made;
  /** Alice rotated: new keys, custody signature by her first key. */
  alice2: Made;
  /** Alice re-signed from her first SSR (same key, same `ssr` fingerprint as `alice`). */
  aliceResigned: Made;
}

export function makeIdentities(): Identities {
  const orgKeys = generateKeys('org-keys');
  const org = createOrgSignet(orgKeys, DOMAIN, { name: 'Example' });
  const aliceKeys = generateKeys('user-keys');
  const ssr = createSsr(aliceKeys);
  const alice = signSsr(ssr, orgKeys, ALICE, { name: 'Alice' });
  const aliceResigned = signSsr(ssr, orgKeys, ALICE, { name: 'Alice A.' });
  const alice2Keys = generateKeys('user-keys');
  const alice2 = signSsr(createSsr(alice2Keys, { custody: aliceKeys }), orgKeys, ALICE, { name: 'Alice' });
  return { org: made(orgKeys, org), alice: made(aliceKeys, alice), alice2: made(alice2Keys, alice2), aliceResigned: made(aliceKeys, aliceResigned) };
}

export function tempDir(prefix = 'dmtpd-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A DX directory with the org signet and Alice's first and rotated signets published, in that order. */
export function makeDxDir(dir: string, ids: Identities): string {
  const dxDir = join(dir, 'dx');
  initDx({ dir: dxDir, domain: DOMAIN, dx: DX_HOST });
  const { store } = openDxStore(dxDir);
  try {
    for (const signet of [ids.org.signet, ids.alice.signet, ids.alice2.signet]) publishSignet(store, signet.bytes);
  } finally {
    store.close();
  }
  return dxDir;
}

export function writeSignet(dir: string, name: string, signet: SignetObject): string {
  const path = join(dir, name);
  writeFileSync(path, armorSignetObject(signet));
  return path;
}

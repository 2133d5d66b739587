/**
 * The end-to-end scenarios, run against one lab world per DNS server (ours or BIND): the happy path,
 * then the world is changed and broken step by step, the way it happens to an operator. Every step
 * runs the real `dime` bin and asserts its exit status, its JSON and the one line a user reads.
 * The order matters (each scenario leaves the world as the next one expects).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArmor } from '@dime/core/signet';
import { buildLabWorld, runBin, type LabWorld } from '../../packages/lab/src/index.js';
import { ensureBinsBuilt, errorLine } from './support.js';

/** Generous: each scenario runs several bins, and the whole suite shares two cores. */
const SCENARIO_TIMEOUT_MS = 120_000;

export function defineScenarios(dns: 'lab' | 'bind', skip: boolean): void {
  describe.skipIf(skip).sequential(`DIME lab end to end (${dns === 'lab' ? 'dime-lab DNS' : 'BIND named'})`, () => {
    let world: LabWorld;
    let firstFull: string;

    beforeAll(async () => {
      await ensureBinsBuilt();
      world = await buildLabWorld({ dns });
      firstFull = world.users.alice.fingerprints.full;
    }, 180_000);
    afterAll(async () => {
      await world?.stop();
    }, SCENARIO_TIMEOUT_MS);

    it('happy path: the record is secure and pins the DX certificate', async () => {
      const pok = (await runBin('signet', ['--pok-of', world.files.orgKeys])).stdout.trim();
      expect(pok).toMatch(/^[A-Za-z0-9+/]{43}$/);
      const run = await world.runDime(['record', world.domain, '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const json = JSON.parse(run.stdout);
      expect(json).toMatchObject({ domain: 'example.test', source: 'dns', dnssec: 'secure', version: 1, pok: [pok], dx: ['dx.example.test'], policy: 'experimental' });
      expect(json.tls).toHaveLength(1);
      expect(world.record).toBe(`ver=1 pok=${pok} tls=${json.tls[0]} pol=experimental dx=dx.example.test sub=strict`);
    }, SCENARIO_TIMEOUT_MS);

    it("happy path: dime -f <alice's full fingerprint> verifies alice through DNSSEC and the pinned DX", async () => {
      const alice = world.users.alice;
      const run = await world.runDime(['-f', alice.fingerprints.full, alice.address, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const json = JSON.parse(run.stdout);
      expect(json.verified).toBe(true);
      expect(json.error).toBeNull();
      expect(json.record).toMatchObject({ domain: 'example.test', dnssec: 'secure', source: 'dns' });
      expect(json.dx).toEqual({ host: 'dx.example.test', port: world.dx.port, trust: 'dime-record' });
      expect(json.signet.type).toBe('user');
      expect(json.signet.state).toBe('id'); // signet -s adds the id signature (field 255)
      expect(json.signet.fingerprints).toMatchObject({ full: alice.fingerprints.full, crypto: alice.fingerprints.crypto, id: alice.fingerprints.id });
      // The signet received is byte for byte the one signet -s wrote and dmtpd published.
      expect(Buffer.from(parseArmor(json.signet.armored).bytes)).toEqual(Buffer.from(parseArmor(readFileSync(alice.signet, 'utf8')).bytes));
      const org = await world.runDime([world.domain, '--json']);
      expect(org.code, org.stderr).toBe(0);
      expect(JSON.parse(org.stdout).signet.type).toBe('org');
      const human = await world.runDime(['-f', alice.fingerprints.full, alice.address]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain(alice.fingerprints.full);
    }, SCENARIO_TIMEOUT_MS);

    it('key rotation: the new signet is current, the old one is outdated, and custody links them', async () => {
      const alice = await world.rotateUserKeys('alice');
      const newFull = alice.fingerprints.full;
      expect(newFull).not.toBe(firstFull);
      const current = await world.runDime([alice.address, '--json']);
      expect(current.code, current.stderr).toBe(0);
      expect(JSON.parse(current.stdout).signet.fingerprints.full).toBe(newFull);

      const outdated = await world.runDime(['-c', '-f', firstFull, alice.address, '--json']);
      expect(outdated.code).toBe(1);
      expect(JSON.parse(outdated.stdout)).toMatchObject({ name: alice.address, current: false, newest: newFull });
      expect(errorLine(outdated.stderr)).toContain(`the newest fingerprint is ${newFull}`);
      const fresh = await world.runDime(['-c', '-f', newFull, alice.address, '--json']);
      expect(fresh.code, fresh.stderr).toBe(0);
      expect(JSON.parse(fresh.stdout)).toMatchObject({ current: true });

      const history = await world.runDime(['-H', '-f', firstFull, alice.address, '--json']);
      expect(history.code, history.stderr).toBe(0);
      const chain = JSON.parse(history.stdout).chain as Array<{ fingerprints: { full: string }; custody: string }>;
      expect(chain.map((c) => c.custody)).toEqual(['start', 'ok']);
      expect(chain.map((c) => c.fingerprints.full)).toEqual([firstFull, newFull]);
    }, SCENARIO_TIMEOUT_MS);

    it('a tampered signet in the store: dime refuses it with exit 1', async () => {
      const { replaced } = await world.tamperStoredSignet('alice');
      expect(replaced).toBeGreaterThanOrEqual(1);
      const alice = world.users.alice;
      const run = await world.runDime(['-f', alice.fingerprints.full, alice.address, '--json']);
      expect(run.code).toBe(1);
      const json = JSON.parse(run.stdout);
      expect(json.verified).toBe(false);
      expect(json.error.code).toBe('SIGNATURE_INVALID');
      expect(errorLine(run.stderr)).toMatch(/^dime: error: user signet of alice@example\.test: state invalid/);
      // The org signet beside it is untouched.
      const org = await world.runDime([world.domain]);
      expect(org.code, org.stderr).toBe(0);
    }, SCENARIO_TIMEOUT_MS);

    it('a DX presenting a certificate the record does not pin: refused before any signet is trusted', async () => {
      await world.swapDxCertificate();
      const run = await world.runDime([world.domain, '--json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).error.code).toBe('CERT_UNTRUSTED');
      expect(errorLine(run.stderr)).toMatch(/certificate not pinned by the record/);
      // The operator publishes a record for the new certificate: trusted again.
      await world.republishRecord();
      const fixed = await world.runDime([world.domain, '--json']);
      expect(fixed.code, fixed.stderr).toBe(0);
      expect(JSON.parse(fixed.stdout).dx.trust).toBe('dime-record');
    }, SCENARIO_TIMEOUT_MS);

    it('a zone re-signed with expired signatures: bogus, exit 1, dime stops before connecting', async () => {
      await world.expireZoneSignatures('example.test.');
      const run = await world.runDime([world.domain, '--json']);
      expect(run.code).toBe(1);
      const json = JSON.parse(run.stdout);
      expect(json.error.code).toBe('DNSSEC_BOGUS');
      expect(json.dx).toBeFalsy();
      const line = errorLine(run.stderr);
      expect(line).toMatch(/bogus/);
      expect(line).toMatch(/expired 2020-02-01T00:00:00Z/);
      const record = await world.runDime(['record', world.domain, '--json']);
      expect(record.code).toBe(1);
      expect(JSON.parse(record.stdout).dnssec).toBe('bogus');
      // Signed again with a current window, the world is whole.
      await world.resignZone('example.test.');
      const again = await world.runDime([world.domain]);
      expect(again.code, again.stderr).toBe(0);
    }, SCENARIO_TIMEOUT_MS);
  });
}

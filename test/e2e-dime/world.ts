/**
 * The end-to-end DIME world, made only with the project's bins and real BIND:
 *
 * - identities by `signet`: the example.test org, alice (then alice rotated: new keys, custody
 *   signature by the old ones), an org signet for badpok.test made with the same org keys, and
 *   mallory@example.test signed by another organisation (evil.test);
 * - two DX stores by `dmtpd init` / `dmtpd publish` (the real one, and one with another certificate);
 * - records by `genrec`: example.test pins the real DX certificate with the org POK; badpok.test
 *   publishes evil.test's POK (pinning the same certificate with it);
 * - the signed hierarchy by test/bind (`.` → `test.` → `example.test.`, the broken siblings, and
 *   `badpok.test.`), served by real `named` with a recursive resolver in front.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBindWorld, standardZones, quoteTxt, type BindWorld } from '../bind/world.js';
import { mustRun, startDmtpd, type RunningDmtpd } from './bins.js';

export interface Fps {
  ssr?: string;
  crypto: string;
  full: string;
  id: string;
}

export interface DimeWorld {
  dir: string;
  bind: BindWorld;
  dx: RunningDmtpd;
  /** The same signets behind a certificate the record does not pin. */
  otherDx: RunningDmtpd;
  record: string;
  badPokRecord: string;
  fps: { org: Fps; alice: Fps; aliceRotated: Fps; mallory: Fps; badpok: Fps };
  files: { orgSignet: string; mallorySignet: string; cert: string; key: string };
  /** `--resolver … --trust-anchor …`: what every dime run needs. */
  dnsArgs: string[];
  stop(): Promise<void>;
}

async function fingerprintsOf(file: string, cwd: string): Promise<Fps> {
  return JSON.parse(await mustRun('signet', ['-f', file, '--kind', 'all', '--json'], cwd)) as Fps;
}

export async function startDimeWorld(): Promise<DimeWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'dime-e2e-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    const signet = (...args: string[]) => mustRun('signet', args, dir);
    await signet('-g', 'example.test', '-k', 'org.key', '-o', 'org.signet', '--name', 'Example Org');
    await signet('-g', 'badpok.test', '-k', 'org.key', '-o', 'badpok.signet', '--name', 'Example Org');
    await signet('-g', 'alice@example.test', '-k', 'alice.key', '-o', 'alice.ssr');
    await signet('-s', 'alice@example.test', '-r', 'alice.ssr', '-k', 'org.key', '-o', 'alice.signet', '--name', 'Alice');
    await signet('-g', 'alice@example.test', '-k', 'alice2.key', '-c', 'alice.key', '-o', 'alice2.ssr');
    await signet('-s', 'alice@example.test', '-r', 'alice2.ssr', '-k', 'org.key', '-o', 'alice2.signet', '--name', 'Alice');
    await signet('-g', 'evil.test', '-k', 'evil.key', '-o', 'evil.signet');
    await signet('-g', 'mallory@example.test', '-k', 'mallory.key', '-o', 'mallory.ssr');
    await signet('-s', 'mallory@example.test', '-r', 'mallory.ssr', '-k', 'evil.key', '-o', 'mallory.signet');

    const dmtpd = (...args: string[]) => mustRun('dmtpd', args, dir);
    await dmtpd('init', '--domain', 'example.test', '--dx', 'dx.example.test', '--dir', 'dx');
    await dmtpd('publish', '--dir', 'dx', 'org.signet', 'badpok.signet', 'alice.signet', 'alice2.signet');
    await dmtpd('init', '--domain', 'example.test', '--dx', 'dx.example.test', '--dir', 'dx-other');
    await dmtpd('publish', '--dir', 'dx-other', 'org.signet', 'alice.signet', 'alice2.signet');

    const cert = join(dir, 'dx', 'tls', 'cert.pem');
    const record = (await mustRun('genrec', ['-k', 'org.key', '-c', cert, '-d', 'dx.example.test'], dir)).trim();
    const badPokRecord = (await mustRun('genrec', ['-k', 'evil.key', '-c', cert, '-d', 'dx.example.test'], dir)).trim();

    const bind = await startBindWorld({
      zones: [...standardZones({ dxText: record }), { name: 'badpok.test.', records: [`_dx TXT ${quoteTxt(badPokRecord)}`] }],
    });
    stops.push(() => bind.stop());
    const dx = await startDmtpd(join(dir, 'dx'));
    stops.push(() => dx.stop());
    const otherDx = await startDmtpd(join(dir, 'dx-other'));
    stops.push(() => otherDx.stop());

    return {
      dir,
      bind,
      dx,
      otherDx,
      record,
      badPokRecord,
      fps: {
        org: await fingerprintsOf('org.signet', dir),
        alice: await fingerprintsOf('alice.signet', dir),
        aliceRotated: await fingerprintsOf('alice2.signet', dir),
        mallory: await fingerprintsOf('mallory.signet', dir),
        badpok: await fingerprintsOf('badpok.signet', dir),
      },
      files: { orgSignet: join(dir, 'org.signet'), mallorySignet: join(dir, 'mallory.signet'), cert, key: join(dir, 'dx', 'tls', 'key.pem') },
      dnsArgs: ['--resolver', bind.resolver, '--trust-anchor', bind.trustAnchorFile],
      async stop() {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A file's text (for certificates and keys handed to an in-process server). */
export function text(path: string): string {
  return readFileSync(path, 'utf8');
}

/** The client against our server over real TLS on 127.0.0.1, both listeners. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tlsConnect } from 'node:tls';
import { DmtpServer } from '../../src/dmtp/server.js';
import { DmtpClient, type DmtpClientOptions } from '../../src/dmtp/client.js';
import { DimeError } from '../../src/errors/dime-error.js';
import { bytesEqual } from '../../src/bytes/encoding.js';
import { ALICE, DOMAIN, DX_HOST, makeWorld, testCertificate, worldStore, type World } from './fixtures.js';

let world: World;
let server: DmtpServer;
const sessions: string[] = [];

beforeAll(async () => {
  world = makeWorld();
  const cert = testCertificate();
  server = await DmtpServer.start({
    hostname: DX_HOST,
    store: worldStore(world),
    key: cert.keyPem,
    cert: cert.certPem,
    listen: { host: '127.0.0.1', port: 0 },
    dual: { host: '127.0.0.1', port: 0 },
    log: (line) => sessions.push(line),
  });
});

afterAll(async () => {
  await server?.close();
});

function options(extra: Partial<DmtpClientOptions> = {}): DmtpClientOptions {
  return { host: DX_HOST, address: '127.0.0.1', port: server.address!.port, ca: testCertificate().certPem, readTimeoutMs: 5000, ...extra };
}

async function expectError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(DimeError);
  expect((error as DimeError).code).toBe(code);
  expect((error as DimeError).message).toMatch(message);
}

describe('DmtpClient ↔ DmtpServer (implicit TLS)', () => {
  it('fetches the org signet and the user signet by each of its four fingerprints', async () => {
    const client = await DmtpClient.connect(options());
    try {
      expect(client.banner).toEqual({ code: 220, lines: [`<${DX_HOST}> DMTPv1 TSDMTP`] });
      expect(client.peerCertificate.authorized).toBe(true);
      expect(bytesEqual(client.peerCertificate.der, testCertificate().der)).toBe(true);
      const org = await client.getSignet(DOMAIN);
      expect(bytesEqual(org.bytes, world.org.signet.bytes)).toBe(true);
      expect(org.fingerprints).toEqual(world.org.fingerprints);
      for (const kind of ['ssr', 'crypto', 'full', 'id'] as const) {
        const user = await client.getSignet(ALICE, world.alice.fingerprints[kind]);
        expect(user.signet.type).toBe('user');
        expect(user.fingerprints[kind]).toBe(world.alice.fingerprints[kind]);
        expect(bytesEqual(user.bytes, world.alice.signet.bytes)).toBe(true);
      }
      const current = await client.getSignet(ALICE);
      expect(current.fingerprints.id).toBe(world.aliceRotated.fingerprints.id);
      // hex input is normalised before it is sent
      const byHex = await client.getSignet(ALICE, Buffer.from(world.alice.fingerprints.full, 'base64').toString('hex'));
      expect(byHex.fingerprints.full).toBe(world.alice.fingerprints.full);
    } finally {
      await client.quit();
    }
  });

  it('VRFY current and outdated, HIST with the custody chain, NOOP/RSET/MODE', async () => {
    const client = await DmtpClient.connect(options());
    try {
      expect(await client.verifyFingerprint(ALICE, world.aliceRotated.fingerprints.ssr)).toEqual({ current: true });
      expect(await client.verifyFingerprint(ALICE, world.alice.fingerprints.crypto)).toEqual({ current: false, newest: world.aliceRotated.fingerprints.full });
      const chain = await client.history(ALICE, world.alice.fingerprints.crypto);
      expect(chain.map((s) => s.fingerprints.id)).toEqual([world.alice.fingerprints.id, world.aliceRotated.fingerprints.id]);
      const one = await client.history(ALICE, world.alice.fingerprints.crypto, world.alice.fingerprints.full);
      expect(one.map((s) => s.fingerprints.id)).toEqual([world.alice.fingerprints.id]);
      await client.noop();
      await client.rset();
      expect(await client.mode()).toBe('DMTPv1');
    } finally {
      await client.quit();
    }
  });

  it('450 is NOT_FOUND; the client refuses malformed names before sending', async () => {
    const client = await DmtpClient.connect(options());
    try {
      await expectError(client.getSignet('bob@example.test'), 'NOT_FOUND', /450 SIGNET NOT FOUND\./);
      await expectError(client.getSignet(ALICE, world.org.fingerprints.full), 'NOT_FOUND', /450/);
      await expectError(client.verifyFingerprint(ALICE, world.org.fingerprints.full), 'NOT_FOUND', /450/);
      await expectError(client.getSignet('not a name'), 'BAD_INPUT', /not a domain or an address/);
      await expectError(client.history(DOMAIN), 'BAD_INPUT', /only kept for user signets/);
      await client.noop(); // the session is still in step
    } finally {
      await client.quit();
    }
  });

  it('logs the wire as C:/S: lines', async () => {
    const log: string[] = [];
    const client = await DmtpClient.connect(options({ wireLog: (line) => log.push(line) }));
    await client.noop();
    await client.quit();
    expect(log).toEqual([`S: 220 <${DX_HOST}> DMTPv1 TSDMTP`, 'C: NOOP', 'S: 250 OK', 'C: QUIT', 'S: 221 BYE']);
  });

  it('certificate policy is the caller’s: PKIX failure is CERT_UNTRUSTED, a hook sees the DER first', async () => {
    await expectError(DmtpClient.connect(options({ ca: undefined })), 'CERT_UNTRUSTED', /not trusted/);
    await expectError(DmtpClient.connect(options({ host: 'other.example.test' })), 'CERT_UNTRUSTED', /does not name other\.example\.test/);
    const seen: Uint8Array[] = [];
    const client = await DmtpClient.connect(
      options({ ca: undefined, rejectUnauthorized: false, checkCertificate: (peer) => void seen.push(peer.der) })
    );
    expect(client.peerCertificate.authorized).toBe(false);
    expect(bytesEqual(seen[0]!, testCertificate().der)).toBe(true);
    await client.quit();
    await expectError(
      DmtpClient.connect(
        options({
          rejectUnauthorized: false,
          checkCertificate: () => {
            throw new DimeError('CERT_UNTRUSTED', 'certificate not pinned by the record');
          },
        })
      ),
      'CERT_UNTRUSTED',
      /not pinned/
    );
  });

  it('offers TLS 1.3 by default and serves a libdime-like TLS 1.2 client with ECDHE-RSA-AES256-GCM-SHA384', async () => {
    const client = await DmtpClient.connect(options());
    expect(client.peerCertificate.protocol).toBe('TLSv1.3');
    await client.quit();
    const banner = await new Promise<{ cipher: string; protocol: string | null; data: string }>((resolve, reject) => {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: server.address!.port,
        servername: DX_HOST,
        rejectUnauthorized: false,
        maxVersion: 'TLSv1.2',
        ciphers: 'ECDHE-RSA-AES256-GCM-SHA384',
        ecdhCurve: 'P-256',
      });
      socket.once('data', (data) => {
        resolve({ cipher: socket.getCipher().name, protocol: socket.getProtocol(), data: data.toString('latin1') });
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(banner).toEqual({ cipher: 'ECDHE-RSA-AES256-GCM-SHA384', protocol: 'TLSv1.2', data: `220 <${DX_HOST}> DMTPv1 TSDMTP\r\n` });
  });

  it('a signet without the requested fingerprint is FINGERPRINT_MISMATCH', async () => {
    const cert = testCertificate();
    // A DX that ignores the fingerprint and always hands out the current signet.
    const liar = await DmtpServer.start({
      hostname: DX_HOST,
      key: cert.keyPem,
      cert: cert.certPem,
      listen: { host: '127.0.0.1', port: 0 },
      store: { lookup: () => world.aliceRotated.signet.bytes, verify: () => ({ status: 'current' }), history: () => [world.aliceRotated.signet.bytes] },
    });
    try {
      const client = await DmtpClient.connect(options({ port: liar.address!.port }));
      await expectError(client.getSignet(ALICE, world.alice.fingerprints.full), 'FINGERPRINT_MISMATCH', /does not have that fingerprint/);
      await expectError(client.getSignet(DOMAIN), 'PROTOCOL', /sent a user object for example\.test, expected an org signet/);
      await expectError(client.history(ALICE, world.alice.fingerprints.full), 'FINGERPRINT_MISMATCH', /does not start with/);
      await expectError(client.getSignet('bob@example.test'), 'FINGERPRINT_MISMATCH', /answered for bob@example\.test with the signet of "alice@example\.test"/);
      await client.quit();
    } finally {
      await liar.close();
    }
  });
});

describe('concurrency', () => {
  it('commands issued together on one client are answered in order', async () => {
    const client = await DmtpClient.connect(options());
    try {
      const [org, old, current, vrfy] = await Promise.all([
        client.getSignet(DOMAIN),
        client.getSignet(ALICE, world.alice.fingerprints.id),
        client.getSignet(ALICE),
        client.verifyFingerprint(ALICE, world.alice.fingerprints.id),
      ]);
      expect(org.fingerprints.id).toBe(world.org.fingerprints.id);
      expect(old.fingerprints.id).toBe(world.alice.fingerprints.id);
      expect(current.fingerprints.id).toBe(world.aliceRotated.fingerprints.id);
      expect(vrfy).toEqual({ current: false, newest: world.aliceRotated.fingerprints.full });
    } finally {
      await client.quit();
    }
  });

  it('20 clients at once each get their own answers', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const client = await DmtpClient.connect(options({ starttls: i % 2 === 1, port: i % 2 === 1 ? server.dualAddress!.port : server.address!.port }));
        try {
          const wanted = i % 3 === 0 ? world.alice : world.aliceRotated;
          return (await client.getSignet(ALICE, wanted.fingerprints.full)).fingerprints.id === wanted.fingerprints.id;
        } finally {
          await client.quit();
        }
      })
    );
    expect(results).toEqual(Array(20).fill(true));
  });
});

describe('DmtpClient ↔ DmtpServer (dual mode)', () => {
  it('STARTTLS then the same lookups', async () => {
    const log: string[] = [];
    const client = await DmtpClient.connect(options({ port: server.dualAddress!.port, starttls: true, wireLog: (l) => log.push(l) }));
    try {
      expect(client.banner).toEqual({ code: 220, lines: [`<${DX_HOST}> ESMTP DMTPv1 TSDMTP`] });
      const org = await client.getSignet(DOMAIN);
      expect(org.fingerprints.full).toBe(world.org.fingerprints.full);
    } finally {
      await client.quit();
    }
    expect(log.slice(0, 4)).toEqual([
      `S: 220 <${DX_HOST}> ESMTP DMTPv1 TSDMTP`,
      `C: STARTTLS <${DX_HOST}> MODE=DMTPv1`,
      'S: 220 READY',
      'S: 250 OK DMTPv1',
    ]);
  });

  it('implicit TLS on the dual port fails cleanly as NETWORK, plaintext on the TLS port times out', async () => {
    await expectError(DmtpClient.connect(options({ port: server.dualAddress!.port, connectTimeoutMs: 2000 })), 'NETWORK', /TLS handshake/);
    await expectError(DmtpClient.connect(options({ starttls: true, readTimeoutMs: 300 })), 'NETWORK', /no banner reply .* within 300 ms/);
  });
});

describe('session log', () => {
  it('has one line per finished session', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200)); // earlier tests' sessions have ended
    const before = sessions.length;
    const client = await DmtpClient.connect(options());
    await client.noop();
    await client.quit();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sessions.length).toBe(before + 1);
    expect(sessions[before]).toMatch(/^session peer=127\.0\.0\.1:\d+ listener=dmtp tls=TLSv1\.3 commands=2 violations=0 end=quit duration=\d+\.\d{3}s$/);
  });
});

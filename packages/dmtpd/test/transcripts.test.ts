/**
 * dmtp.md §6.3 transcripts A–E replayed byte for byte against `startDx` holding real signets (made
 * with the signet API, published through the SQLite store), over real TLS on 127.0.0.1. E runs on
 * the dual-mode listener.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { base64Encode } from '@dime/core/bytes';
import { createSsr, fingerprints, generateKeys, signSsr, type Fingerprints, type SignetObject } from '@dime/core/signet';
import { WirePeer } from '../../core/test/dmtp/fixtures.js';
import { openDxStore, startDx, type RunningDx } from '../src/dx.js';
import { publishSignet } from '../src/publish.js';
import { ALICE, DOMAIN, DX_HOST, makeDxDir, makeIdentities, tempDir, type Identities } from './helpers.js';

let ids: Identities;
let alice3: { signet: SignetObject; fp: Required<Fingerprints> };
let dir: ReturnType<typeof tempDir>;
let dx: RunningDx;

beforeAll(async () => {
  ids = makeIdentities();
  dir = tempDir();
  const dxDir = makeDxDir(dir.path, ids);
  // A second rotation, so that HIST START..END spans three signets as in transcript D.
  const signet = signSsr(createSsr(generateKeys('user-keys'), { custody: ids.alice2.keys }), ids.org.keys, ALICE);
  alice3 = { signet, fp: fingerprints(signet) as Required<Fingerprints> };
  const { store } = openDxStore(dxDir);
  expect(publishSignet(store, signet.bytes, { requireCustody: true }).custody).toBe('ok');
  store.close();
  dx = await startDx({ dir: dxDir, listen: '127.0.0.1:0', dual: '127.0.0.1:0' });
});

afterAll(async () => {
  await dx?.close();
  dir?.remove();
});

const b64 = (signet: SignetObject) => base64Encode(signet.bytes);
const BANNER = `220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`;

/** A libdime-like ClientHello: TLS 1.2 only, the one suite, SNI = the DX host. */
function libdimeConnect(port: number): Promise<WirePeer> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = tlsConnect(
      { host: '127.0.0.1', port, servername: DX_HOST, rejectUnauthorized: false, maxVersion: 'TLSv1.2', minVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', ecdhCurve: 'P-256' },
      () => {
        expect(socket.getCipher().name).toBe('ECDHE-RSA-AES256-GCM-SHA384');
        resolve(WirePeer.wrap(socket));
      }
    );
    socket.once('error', reject);
  });
}

describe('startDx', () => {
  it('reports the real bound addresses', () => {
    expect(dx.address.host).toBe('127.0.0.1');
    expect(dx.address.port).toBeGreaterThan(0);
    expect(dx.dualAddress?.port).toBeGreaterThan(0);
    expect(dx.hostname).toBe(DX_HOST);
    expect(dx.domain).toBe(DOMAIN);
  });
});

describe('dmtp.md §6.3 transcripts', () => {
  it('A: org signet, TLS 1.2 with ECDHE-RSA-AES256-GCM-SHA384, no QUIT', async () => {
    const peer = await libdimeConnect(dx.address.port);
    expect(await peer.line()).toBe(BANNER);
    peer.write(`SGNT <${DOMAIN}>\r\n`);
    const reply = await peer.line();
    expect(reply).toBe(`250 OK [${b64(ids.org.signet)}]\r\n`);
    expect(reply.startsWith('250 OK [Bv')).toBe(true); // magic 1776 = 0x06F0
    peer.destroy();
  });

  it('B: org signet then the user signet by fingerprint; 450 for an unknown one', async () => {
    const peer = await WirePeer.tls(dx.address.port);
    expect(await peer.line()).toBe(BANNER);
    peer.write(`SGNT <${DOMAIN}>\r\n`);
    expect(await peer.line()).toBe(`250 OK [${b64(ids.org.signet)}]\r\n`);
    peer.write(`SGNT <${ALICE}> [${ids.alice.fp.full}]\r\n`);
    expect(await peer.line()).toBe(`250 OK [${b64(ids.alice.signet)}]\r\n`);
    peer.write(`SGNT <${ALICE}> [${ids.org.fp.full}]\r\n`);
    expect(await peer.line()).toBe('450 SIGNET NOT FOUND.\r\n');
    peer.destroy();
  });

  it('B: SGNT by each of the four fingerprint kinds (and the current signet without one)', async () => {
    const peer = await WirePeer.tls(dx.address.port);
    await peer.line();
    for (const kind of ['ssr', 'crypto', 'full', 'id'] as const) {
      peer.write(`SGNT <${ALICE}> [${ids.alice2.fp[kind]}]\r\n`);
      expect(await peer.line()).toBe(`250 OK [${b64(ids.alice2.signet)}]\r\n`);
    }
    peer.write(`SGNT <${ALICE}>\r\n`);
    expect(await peer.line()).toBe(`250 OK [${b64(alice3.signet)}]\r\n`);
    peer.write(`SGNT USER=<${ALICE}> FINGERPRINT=[${ids.alice.fp.id}]\r\n`);
    expect(await peer.line()).toBe(`250 OK [${b64(ids.alice.signet)}]\r\n`);
    peer.destroy();
  });

  it('C: VRFY CURRENT and UPDATE [NEWFP]', async () => {
    const peer = await WirePeer.tls(dx.address.port);
    expect(await peer.line()).toBe(BANNER);
    peer.write(`VRFY <${ALICE}> [${alice3.fp.crypto}]\r\n`);
    expect(await peer.line()).toBe('250 CURRENT\r\n');
    peer.write(`VRFY <${ALICE}> [${ids.alice.fp.full}]\r\n`);
    expect(await peer.line()).toBe(`250 UPDATE [${alice3.fp.full}]\r\n`);
    peer.write(`VRFY <${ALICE}> [${ids.org.fp.full}]\r\n`);
    expect(await peer.line()).toBe('450 SIGNET NOT FOUND.\r\n');
    peer.destroy();
  });

  it('D: HIST START END over three signets, then START alone', async () => {
    const peer = await WirePeer.tls(dx.address.port);
    expect(await peer.line()).toBe(BANNER);
    peer.write(`HIST <${ALICE}> [${ids.alice.fp.full}] [${alice3.fp.full}]\r\n`);
    expect(await peer.line()).toBe(`250-[${b64(ids.alice.signet)}]\r\n`);
    expect(await peer.line()).toBe(`250-[${b64(ids.alice2.signet)}]\r\n`);
    expect(await peer.line()).toBe(`250-[${b64(alice3.signet)}]\r\n`);
    expect(await peer.line()).toBe('250 OK\r\n');
    peer.write(`HIST <${ALICE}> [${ids.alice2.fp.id}]\r\n`);
    expect(await peer.line()).toBe(`250-[${b64(ids.alice2.signet)}]\r\n`);
    expect(await peer.line()).toBe(`250-[${b64(alice3.signet)}]\r\n`);
    expect(await peer.line()).toBe('250 OK\r\n');
    peer.write(`HIST <${ALICE}> [${alice3.fp.id}] [${ids.alice.fp.id}]\r\n`);
    expect(await peer.line()).toBe('450 SIGNET NOT FOUND.\r\n');
    peer.destroy();
  });

  it('E: dual mode on the --dual listener, STARTTLS without SNI', async () => {
    const plain = await WirePeer.plain(dx.dualAddress!.port);
    expect(await plain.line()).toBe(`220 <${DX_HOST}> ESMTP DMTPv1 TSDMTP\r\n`);
    plain.write(`STARTTLS <${DX_HOST}> MODE=DMTPv1\r\n`);
    expect(await plain.line()).toBe('220 READY\r\n');
    const tls = await plain.startTls();
    expect(await tls.line()).toBe('250 OK DMTPv1\r\n');
    tls.write(`SGNT <${DOMAIN}>\r\n`);
    expect(await tls.line()).toBe(`250 OK [${b64(ids.org.signet)}]\r\n`);
    tls.write('QUIT\r\n');
    expect(await tls.line()).toBe('221 BYE\r\n');
    await tls.closed;
  });

  it('F: EHLO, MODE, NOOP, RSET, HELP, QUIT shapes', async () => {
    const peer = await WirePeer.tls(dx.address.port);
    await peer.line();
    peer.write('EHLO <origin.example>\r\nMODE\r\nNOOP\r\nRSET\r\nHELP\r\nQUIT\r\n');
    const lines: string[] = [];
    for (let i = 0; i < 11; i++) lines.push(await peer.line());
    expect(lines).toEqual([
      `250-<${DX_HOST}>\r\n`,
      '250-SGNT\r\n',
      '250-VRFY\r\n',
      '250-HIST\r\n',
      '250 OK\r\n',
      '200 OK DMTPv1\r\n',
      '250 OK\r\n',
      '250 OK\r\n',
      '214-AVAILABLE COMMANDS: SGNT VRFY HIST EHLO MODE NOOP RSET HELP QUIT\r\n',
      '214 OK\r\n',
      '221 BYE\r\n',
    ]);
    await peer.closed;
  });

  it('accepts LF-only command lines and answers with CRLF', async () => {
    const peer = await WirePeer.tls(dx.address.port);
    await peer.line();
    peer.write(`sgnt <${DOMAIN.toUpperCase()}>\nNOOP\n`);
    expect(await peer.line()).toBe(`250 OK [${b64(ids.org.signet)}]\r\n`);
    expect(await peer.line()).toBe('250 OK\r\n');
    peer.destroy();
  });
});

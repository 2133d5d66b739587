import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import forge from 'node-forge';
import * as noble from '@noble/ed25519';
import { sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import {
  base64Decode,
  base64Encode,
  certificateMatches,
  ed25519GenerateSeed,
  findCertificateMatch,
  hexEncode,
  newRecord,
  readCertificate,
  readCertificatePem,
  readRecordFile,
  readSigningKey,
  sha512,
  signCertificate,
  utf8Encode,
} from '@dime/core';
import { sharedVectorsAvailable, vectorPath } from '../helpers.js';
import { failure } from './util.js';

noble.hashes.sha512 = nobleSha512;

/** A small self-signed certificate made here (RSA 1024 keeps the test fast; only its bytes matter). */
function makeCertificatePem(commonName: string): string {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2027-01-01T00:00:00Z');
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}


const OTHER_PEM = makeCertificatePem('dx.other.example');

describe.runIf(sharedVectorsAvailable())('tls= on magma sandbox material (record-and-dnssec.md §2.1)', () => {
  // vitest runs a skipped suite's body to collect it: read only when the vectors exist.
  const have = sharedVectorsAvailable();
  const keyFile = have ? readFileSync(vectorPath('signet', 'magma-sandbox-dime.localhost.localdomain.key')) : Buffer.alloc(0);
  const pemFile = have ? readFileSync(vectorPath('record', 'magma-sandbox-tls.localhost.localdomain.pem')) : Buffer.alloc(0);
  const expected = have ? readRecordFile(readFileSync(vectorPath('record', 'expected-record.zone'), 'utf8')) : (undefined as never);

  it('reads the first CERTIFICATE block after the PRIVATE KEY block: 1559 bytes, known SHA-512', () => {
    const der = readCertificatePem(pemFile);
    expect(der.length).toBe(1559);
    expect(hexEncode(sha512(der))).toBe(
      'd57df89bc68e3d4cd39ea25d48a1dde5687fc8250256bc9cff3d2b39b9f90f7f1cd7998a3e347567d75c7b0dff375dbb9075cd0f0e5d328fc402fd6712affaaa'
    );
    expect(readCertificate(pemFile)).toEqual(der);
    expect(readCertificate(der)).toEqual(der); // DER input too
  });

  it('signs the certificate to exactly the tls= of expected-record.zone, and it matches', () => {
    const key = readSigningKey(keyFile);
    const der = readCertificatePem(pemFile);
    const tls = signCertificate(key.seed, der);
    expect(tls).toBe(expected.record.tls[0]);
    expect(tls).toBe('ooYv26aWxb9ik4jScV/sFZyJ9l70YSHToSwChtY+0twZJiDopBnXUwY/B9wAvXwwUQc5b85ry+rB681oc9ydCg');
    expect(certificateMatches(expected.record, der)).toBe(true);
    expect(findCertificateMatch(expected.record, der)).toEqual({ tlsIndex: 0, pokIndex: 0 });
    // Independent oracle: @noble/ed25519 verifies the same signature over SHA-512(DER), not over the DER.
    const signature = base64Decode(tls);
    const pok = base64Decode(expected.record.pok[0]!);
    expect(noble.verify(signature, sha512(der), pok)).toBe(true);
    expect(noble.verify(signature, der, pok)).toBe(false);
  });

  it('a different certificate does not match', () => {
    expect(certificateMatches(expected.record, readCertificatePem(OTHER_PEM))).toBe(false);
  });
});

describe('certificateMatches tries every (tls, pok) pair', () => {
  const seedA = ed25519GenerateSeed();
  const seedB = ed25519GenerateSeed();
  const pokA = readSigningKeyFromSeed(seedA);
  const pokB = readSigningKeyFromSeed(seedB);
  const der = readCertificatePem(OTHER_PEM);
  const otherDer = readCertificatePem(makeCertificatePem('dx2.other.example'));

  function readSigningKeyFromSeed(seed: Uint8Array): string {
    const pem = `-----BEGIN ED25519 PRIVATE KEY-----\n${base64Encode(seed)}\n-----END ED25519 PRIVATE KEY-----\n`;
    return readSigningKey(utf8Encode(pem)).pok;
  }

  it('finds a match in the second tls under the second pok (libdime tried only the first tls against all poks)', () => {
    const record = newRecord({
      pok: [pokA, pokB],
      tls: [signCertificate(seedA, otherDer), signCertificate(seedB, der)],
    });
    expect(findCertificateMatch(record, der)).toEqual({ tlsIndex: 1, pokIndex: 1 });
    expect(findCertificateMatch(record, otherDer)).toEqual({ tlsIndex: 0, pokIndex: 0 });
  });

  it('no tls, or a tls signed by a key that is not in the record, is no match', () => {
    expect(certificateMatches(newRecord({ pok: [pokA] }), der)).toBe(false);
    expect(certificateMatches(newRecord({ pok: [pokA], tls: [signCertificate(seedB, der)] }), der)).toBe(false);
  });

  it('a single flipped byte of the certificate breaks the match', () => {
    const record = newRecord({ pok: [pokA], tls: [signCertificate(seedA, der)] });
    const flipped = der.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(certificateMatches(record, der)).toBe(true);
    expect(certificateMatches(record, flipped)).toBe(false);
  });
});

describe('readCertificatePem rejects bad PEM as BAD_INPUT', () => {
  const body = OTHER_PEM.split('\n').filter((l) => l && !l.startsWith('-----')).join('\n');
  const cases: Array<[string, string]> = [
    ['', 'certificate: no CERTIFICATE block'],
    ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'certificate: no CERTIFICATE block'],
    [`-----BEGIN CERTIFICATE-----\n${body}\n`, 'certificate: PEM block "CERTIFICATE" at line 1 has no matching END line'],
    [`-----BEGIN CERTIFICATE-----\n${body}\n-----END PRIVATE KEY-----\n`, 'certificate: PEM block "CERTIFICATE" at line 1 has no matching END line'],
    ['-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n', 'certificate: CERTIFICATE block at line 1 is not base64'],
  ];
  for (const [pem, message] of cases) {
    it(message + (pem === '' ? ' (empty)' : ''), () => {
      const err = failure(() => readCertificatePem(pem));
      expect(err.code).toBe('BAD_INPUT');
      expect(err.exitCode).toBe(3);
      expect(err.message).toBe(message);
    });
  }

  it('not an X.509 structure, and trailing bytes after the DER', () => {
    const junk = `-----BEGIN CERTIFICATE-----\n${base64Encode(new Uint8Array([0x30, 0x03, 1, 2, 3]))}\n-----END CERTIFICATE-----\n`;
    const err = failure(() => readCertificatePem(junk, 'certificate x.pem'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message.startsWith('certificate x.pem: not an X.509 certificate (')).toBe(true);
    const der = readCertificatePem(OTHER_PEM);
    const padded = new Uint8Array([...der, 0, 0]);
    const trailing = failure(() => readCertificate(padded));
    expect(trailing.code).toBe('BAD_INPUT');
    expect(trailing.message).toBe('certificate: 2 bytes after the certificate');
  });

  it('CRLF line ends are fine', () => {
    expect(readCertificatePem(OTHER_PEM.replace(/\n/g, '\r\n'))).toEqual(readCertificatePem(OTHER_PEM));
  });
});

import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  armorSignetObject,
  base64Encode,
  base64EncodeUnpadded,
  crc24Bytes,
  decodeKeys,
  decodeSignetObject,
  encodeKeys,
  generateKeys,
  pokOf,
  readSigningKey,
  toBytes,
  utf8Encode,
} from '@dime/core';
import { sharedVectorsAvailable, vectorPath } from '../helpers.js';
import { failure } from './util.js';


function ed25519Pem(seed: Uint8Array, crc: 'right' | 'wrong' | 'none'): Uint8Array {
  const crcBytes = crc24Bytes(seed);
  if (crc === 'wrong') crcBytes[2]! ^= 1;
  const crcLine = crc === 'none' ? '' : `=${base64Encode(crcBytes)}\n`;
  return utf8Encode(`-----BEGIN ED25519 PRIVATE KEY-----\n${base64Encode(seed)}\n${crcLine}-----END ED25519 PRIVATE KEY-----\n`);
}

describe.runIf(sharedVectorsAvailable())('org keys files from the vectors (expected.json _record)', () => {
  // vitest runs a skipped suite's body to collect it: read only when the vectors exist.
  const expected = (sharedVectorsAvailable() ? JSON.parse(readFileSync(vectorPath('signet', 'expected.json'), 'utf8')) : { _record: {} }) as {
    _record: Record<string, string>;
  };

  for (const name of ['magma-sandbox-dime.localhost.localdomain.key', 'magma-check-org.key']) {
    it(`pok of ${name}`, () => {
      const bytes = readFileSync(vectorPath('signet', name));
      const key = readSigningKey(bytes);
      expect(key.source).toBe('org-keys');
      expect(key.pok).toBe(expected._record[`pok_of_${name}`]);
      expect(key.pok).toBe(pokOf(decodeKeys(decodeSignetObject(toBytes(bytes)))));
      expect(base64EncodeUnpadded(key.publicKey)).toBe(key.pok);
    });
  }

  it('the C genrec key form (ED25519 PRIVATE KEY with CRC) of the sandbox seed gives the same pok', () => {
    const org = readSigningKey(readFileSync(vectorPath('signet', 'magma-sandbox-dime.localhost.localdomain.key')));
    const pem = ed25519Pem(org.seed, 'right');
    // record-and-dnssec.md §3.2 gives this block's CRC line: =s8SO
    expect(Buffer.from(pem).toString()).toContain('\n=s8SO\n');
    const key = readSigningKey(pem);
    expect(key.source).toBe('ed25519-pem');
    expect(key.pok).toBe('h44kA4AXy2gFnlF+osucG2t4SOBeu8CA3WWxo6RLfIA');
  });

  it('a user keys file is refused: it holds no POK', () => {
    const err = failure(() => readSigningKey(readFileSync(vectorPath('signet', 'magma-check-user.key')), 'key file u.key'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe("key file u.key: a user keys file holds no POK; give the organisation's keys file (ORGANIZATIONAL KEY)");
  });

  it('a signet is refused: it holds no private key', () => {
    const err = failure(() => readSigningKey(readFileSync(vectorPath('signet', 'magma-check-org.signet')), 'key file o.signet'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe("key file o.signet: an org signet holds no private key; give the organisation's keys file");
  });
});

describe('org keys files in every dialect', () => {
  const keys = generateKeys('org-keys');
  const pok = base64EncodeUnpadded(keys.signingPublic);

  for (const dialect of ['magma', 'prime', 'libdime'] as const) {
    it(`${dialect}: armored and binary`, () => {
      const obj = encodeKeys(keys, dialect);
      expect(obj.bytes.length).toBe(dialect === 'libdime' ? 74 : 73);
      expect(readSigningKey(utf8Encode(armorSignetObject(obj, dialect))).pok).toBe(pok);
      expect(readSigningKey(obj.bytes).pok).toBe(pok);
    });
  }

  it('a keys file with a wrong CRC is BAD_INPUT naming the file', () => {
    const armored = armorSignetObject(encodeKeys(keys)).replace(/\n=(.)/, (_, c: string) => `\n=${c === 'A' ? 'B' : 'A'}`);
    const err = failure(() => readSigningKey(utf8Encode(armored), 'key file k.key'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message.startsWith('key file k.key: armor: CRC-24 mismatch')).toBe(true);
  });
});

describe('ED25519 PRIVATE KEY (the C genrec form) and PKCS#8', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = toBytes(Buffer.from(jwk.d!, 'base64url'));
  const pok = Buffer.from(jwk.x!, 'base64url').toString('base64').replace(/=+$/, '');

  it('with its CRC line', () => {
    expect(readSigningKey(ed25519Pem(seed, 'right'))).toMatchObject({ source: 'ed25519-pem', pok });
  });

  it('without a CRC line (what libdime\'s ed25519 tool writes) is accepted', () => {
    expect(readSigningKey(ed25519Pem(seed, 'none')).pok).toBe(pok);
  });

  it('with a wrong CRC line is refused', () => {
    const err = failure(() => readSigningKey(ed25519Pem(seed, 'wrong'), 'key file e.pem'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe('key file e.pem: ED25519 PRIVATE KEY CRC-24 mismatch');
  });

  it('with a body that is not 32 bytes is refused', () => {
    const err = failure(() => readSigningKey(ed25519Pem(new Uint8Array(33), 'none'), 'key file e.pem'));
    expect(err.message).toBe('key file e.pem: ED25519 PRIVATE KEY holds 33 bytes, expected a 32-byte seed');
  });

  it('PKCS#8 PEM and DER', () => {
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    expect(readSigningKey(utf8Encode(pem))).toMatchObject({ source: 'pkcs8', pok });
    const der = toBytes(privateKey.export({ format: 'der', type: 'pkcs8' }));
    expect(readSigningKey(der).pok).toBe(pok);
  });

  it('an RSA PKCS#8 key is refused', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const err = failure(() => readSigningKey(utf8Encode(rsa), 'key file r.pem'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe('key file r.pem: the PKCS#8 key is rsa, expected Ed25519');
  });

  it('other PEM keys are named in the refusal', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }) as string;
    const err = failure(() => readSigningKey(utf8Encode(ec), 'key file ec.pem'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toBe('key file ec.pem: EC PRIVATE KEY is not a POK key (expected an ORGANIZATIONAL KEY, an ED25519 PRIVATE KEY or a PKCS#8 PRIVATE KEY)');
    const enc = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n';
    expect(failure(() => readSigningKey(utf8Encode(enc), 'key file x')).message).toBe('key file x: an encrypted PKCS#8 key is not supported');
  });

  it('garbage is BAD_INPUT (exit 3), never a stack trace', () => {
    for (const input of [new Uint8Array(0), utf8Encode('hello'), new Uint8Array([0x07, 0xa0, 0, 0, 1, 1])]) {
      const err = failure(() => readSigningKey(input, 'key file g'));
      expect(err.code).toBe('BAD_INPUT');
      expect(err.exitCode).toBe(3);
      expect(err.message.startsWith('key file g: ')).toBe(true);
    }
  });
});

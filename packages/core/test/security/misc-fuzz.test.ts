/**
 * Hostile input for the smaller readers: trust-anchor files (zone lines, BIND `trust-anchors` and
 * `trusted-keys`, unbound root.key), resolv.conf, `--resolver` and `HOST:PORT` values, PEM
 * certificates, DMTP names. Each returns a value (or undefined where documented) or throws DimeError.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import fc from 'fast-check';
import {
  createSelfSignedCertificate,
  normalizeAddress,
  normalizeSignetName,
  parseHostPort,
  parseResolvConf,
  parseServerAddress,
  parseTrustAnchors,
  readCertificate,
  readCertificatePem,
} from '@dime/core';
import { FUZZ_SEED, Rng, check, fcParams, mutateBytesDeep, mutateTextDeep, runs } from './harness.js';

const ROOT_ZONE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../vectors/dnssec/root-anchors.zone'), 'utf8');
const KEY = 'AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3';
const ANCHOR_FILES = [
  ROOT_ZONE,
  `trust-anchors {\n  . initial-key 257 3 8 "${KEY}";\n  example.test. static-ds 61929 15 2 "90F76E63 AABB";\n};\n`,
  `trusted-keys {\n  "." 257 3 8 "${KEY.slice(0, 20)} ${KEY.slice(20)}";\n};\n`,
  `; autotrust\n.\t172800\tIN\tDNSKEY\t257 3 8 ${KEY} ;{id = 20326 (ksk)} ;;state=2\n`,
  'example.test. 3600 IN DS 61929 15 2 90F76E63\nlab.test. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n',
];

describe('small readers under mutation', () => {
  it('trust-anchor files in every syntax', () => {
    const rng = new Rng(FUZZ_SEED + 40);
    for (let i = 0; i < runs(1500); i++) {
      check('parseTrustAnchors', parseTrustAnchors, mutateTextDeep(rng, ANCHOR_FILES[i % ANCHOR_FILES.length]!, 3));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => void check('parseTrustAnchors', parseTrustAnchors, text)),
      fcParams(500)
    );
  });

  it('resolv.conf, --resolver and HOST:PORT values', () => {
    const rng = new Rng(FUZZ_SEED + 41);
    const confs = ['nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n', 'nameserver ::1\nnameserver 192.0.2.1 # comment\n', '; c\n#x\nnameserver fe80::1%eth0\n'];
    const servers = ['127.0.0.1', '127.0.0.1:5353', '[::1]:53', '::1', 'resolver.example:53', 'a:b:c'];
    for (let i = 0; i < runs(1500); i++) {
      check('parseResolvConf', parseResolvConf, mutateTextDeep(rng, confs[i % confs.length]!, 3));
      const server = mutateTextDeep(rng, servers[i % servers.length]!, 2);
      check('parseServerAddress', parseServerAddress, server);
      check('parseHostPort', parseHostPort, server);
    }
  });

  it('PEM and DER certificates', () => {
    const rng = new Rng(FUZZ_SEED + 42);
    const { certPem } = createSelfSignedCertificate({ hostname: 'dx.example.test' });
    const der = Buffer.from(certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    for (let i = 0; i < runs(600); i++) {
      check('readCertificatePem', (t: string) => readCertificatePem(t), mutateTextDeep(rng, certPem, 3));
      check('readCertificate', (b: Uint8Array) => readCertificate(b), mutateBytesDeep(rng, new Uint8Array(der), [1, 2, 3, 5, 6], 3));
    }
  });

  it('DMTP names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        check('normalizeSignetName', normalizeSignetName, text);
        check('normalizeAddress', normalizeAddress, text);
      }),
      fcParams(1000)
    );
  });
});

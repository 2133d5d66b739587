/**
 * A self-signed RSA certificate for a DX (profile §6 `dmtpd init`, the lab): RSA keys because the
 * libdime client only offers ECDHE-RSA-AES256-GCM-SHA384 (dmtp.md §1.2). node:crypto makes the key,
 * node-forge only assembles and signs the X.509 structure (profile §1).
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface SelfSignedOptions {
  /** The DX host name (or IP address): subject CN and the only subjectAltName. */
  hostname: string;
  /** Validity in days from now; default 825 (the longest PKIX clients still accept). */
  days?: number;
  /** RSA modulus size; default 2048. */
  bits?: number;
  /** Start of validity; default now minus one hour (clock skew). */
  notBefore?: Date;
}

export interface SelfSignedCertificate {
  certPem: string;
  /** PKCS#8 PEM; write it with mode 0600. */
  keyPem: string;
  /** DER of the certificate (what a `tls=` value signs the SHA-512 of). */
  der: Uint8Array;
}

export function createSelfSignedCertificate(options: SelfSignedOptions): SelfSignedCertificate {
  const bits = options.bits ?? 2048;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const keyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // A positive serial: clear the top bit of 16 random bytes.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const notBefore = options.notBefore ?? new Date(Date.now() - 3600_000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + (options.days ?? 825) * 86400_000);
  const subject = [{ name: 'commonName', value: options.hostname }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const altName = isIP(options.hostname) ? { type: 7, ip: options.hostname } : { type: 2, value: options.hostname };
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [altName] },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const der = new Uint8Array(new X509Certificate(certPem).raw);
  return { certPem, keyPem, der };
}

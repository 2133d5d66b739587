/** Every RFC vector (copied under test/vectors/dnssec with provenance) checked with our code. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { base64Encode, hexEncode } from '@dime/core/bytes';
import { decodeDnskey, decodeDs, decodeRrsig, encodeRrsig, parseZoneFile } from '@dime/core/dns';
import type { ResourceRecord } from '@dime/core/dns';
import {
  WorkBudget,
  dnskeyPublicKey,
  dsFromDnskey,
  dsMatchesDnskey,
  importBindPrivateKey,
  keyTag,
  signData,
  signedData,
  validateRecordSet,
  verifyRrset,
  verifyRrsig,
  verifySignature,
} from '@dime/core/dnssec';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../vectors/dnssec');
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
const zone = (f: string) => parseZoneFile(read(f), { defaultTtl: 172800 });
const opts = (iso: string) => ({ now: new Date(iso), budget: new WorkBudget() });
const ofType = (rrs: ResourceRecord[], t: string) => rrs.filter((r) => r.type === t);

describe('RFC 4034 §5.4', () => {
  const rrs = zone('rfc4034.zone');
  const [key, ds] = [ofType(rrs, 'DNSKEY')[0]!, ofType(rrs, 'DS')[0]!];
  it('key tag 60485 and the SHA-1 DS digest', () => {
    expect(keyTag(key.rdata)).toBe(60485);
    expect(hexEncode(dsFromDnskey('dskey.example.com.', key.rdata, 1))).toBe(hexEncode(ds.rdata));
    expect(dsMatchesDnskey('DSKEY.Example.COM.', ds.rdata, key.rdata)).toBe(true);
    const sha256 = hexEncode(decodeDs(dsFromDnskey('dskey.example.com.', key.rdata, 2)).digest).toUpperCase();
    expect(sha256.startsWith('D4B7D520')).toBe(true);
    expect(sha256.endsWith('9DA50A')).toBe(true);
  });
});

describe('RFC 5702 (RSA/SHA-256, RSA/SHA-512)', () => {
  const text = read('rfc5702.zone');
  const rrs = zone('rfc5702.zone');
  const keys = ofType(rrs, 'DNSKEY');
  const a = ofType(rrs, 'A');
  const sigs = ofType(rrs, 'RRSIG');
  const [sec61, sec62] = text.split('---- 6.2.');

  it('key tags 9033 and 3740', () => {
    expect(keys.map((k) => keyTag(k.rdata))).toEqual([9033, 3740]);
  });

  it('signed data of §6.1 is byte-exact', () => {
    expect(hexEncode(signedData(decodeRrsig(sigs[0]!.rdata), a))).toBe(
      '0001080300000e1070dbd880386d43802349076578616d706c65036e65740003777777076578616d706c65036e6574000001000100000e100004c000025b'
    );
  });

  it('both RRSIGs verify inside their window and fail outside it', () => {
    for (const sig of sigs) {
      expect(verifyRrsig(a, sig, keys, opts('2020-06-01T00:00:00Z')).status).toBe('valid');
    }
    const late = verifyRrsig(a, sigs[0]!, keys, opts('2031-01-01T00:00:00Z'));
    expect(late.status).toBe('invalid');
    expect(late.reason).toBe('RRSIG A www.example.net by example.net/9033 expired 2030-01-01T00:00:00Z');
  });

  it('re-signing with the published private keys reproduces both signatures bit for bit', () => {
    for (const [section, i] of [[sec61!, 0], [sec62!, 1]] as const) {
      const { algorithm, key } = importBindPrivateKey(section);
      expect(algorithm).toBe(i === 0 ? 8 : 10);
      expect(base64Encode(dnskeyPublicKey(algorithm, key))).toBe(base64Encode(decodeDnskey(keys[i]!.rdata).publicKey));
      const f = decodeRrsig(sigs[i]!.rdata);
      expect(base64Encode(signData(algorithm, key, signedData(f, a)))).toBe(base64Encode(f.signature));
    }
  });
});

describe('RFC 6605 (ECDSA P-256, P-384)', () => {
  const text = read('rfc6605.zone');
  const rrs = zone('rfc6605.zone');
  const keys = ofType(rrs, 'DNSKEY');
  const a = ofType(rrs, 'A');

  it('DS digests (SHA-256 and SHA-384) and key tags match', () => {
    const ds = ofType(rrs, 'DS');
    expect(keys.map((k) => keyTag(k.rdata))).toEqual([55648, 10771]);
    expect(hexEncode(dsFromDnskey('example.net.', keys[0]!.rdata, 2))).toBe(hexEncode(ds[0]!.rdata));
    expect(hexEncode(dsFromDnskey('example.net.', keys[1]!.rdata, 4))).toBe(hexEncode(ds[1]!.rdata));
  });

  it('both RRSIGs verify inside the window', () => {
    const v = verifyRrset(a, ofType(rrs, 'RRSIG'), keys, opts('2010-08-20T00:00:00Z'));
    expect(v.status).toBe('secure');
    for (const sig of ofType(rrs, 'RRSIG')) expect(verifyRrsig(a, sig, keys, opts('2010-08-20T00:00:00Z')).status).toBe('valid');
  });

  it('private scalars give the published public keys; fresh signatures verify', () => {
    const sections = text.split('---- 6.2.');
    sections.forEach((section, i) => {
      const { algorithm, key } = importBindPrivateKey(section);
      expect(base64Encode(dnskeyPublicKey(algorithm, key))).toBe(base64Encode(decodeDnskey(keys[i]!.rdata).publicKey));
      const f = decodeRrsig(ofType(rrs, 'RRSIG')[i]!.rdata);
      const data = signedData(f, a);
      const fresh = signData(algorithm, key, data);
      expect(fresh.length).toBe(i === 0 ? 64 : 96);
      expect(verifySignature(algorithm, decodeDnskey(keys[i]!.rdata).publicKey, data, fresh)).toBe(true);
    });
  });
});

describe('RFC 8080 (Ed25519, Ed448) with erratum 4935', () => {
  const text = read('rfc8080.zone');
  const rrs = zone('rfc8080.zone');
  const keys = ofType(rrs, 'DNSKEY');
  const mx = ofType(rrs, 'MX');
  const sigs = ofType(rrs, 'RRSIG');
  const privateKeys = [...text.matchAll(/PrivateKey: (\S+)(?:\n; \| ;\s+(\S+))?/g)].map((m) => m[1]! + (m[2] ?? ''));
  const algs = [15, 15, 16, 16];
  const inWindow = '2015-08-01T00:00:00Z';

  it('key tags and SHA-256 DS records match', () => {
    expect(keys.map((k) => keyTag(k.rdata))).toEqual([3613, 35217, 9713, 38353]);
    ofType(rrs, 'DS').forEach((ds, i) => expect(dsMatchesDnskey('example.com.', ds.rdata, keys[i]!.rdata)).toBe(true));
  });

  it('signed data for key 3613 is byte-exact', () => {
    expect(hexEncode(signedData(decodeRrsig(sigs[0]!.rdata), mx))).toBe(
      '000f0f0200000e1055d4fc6055b94ce00e1d076578616d706c6503636f6d00076578616d706c6503636f6d00000f000100000e100014000a046d61696c076578616d706c6503636f6d00'
    );
  });

  it('all four corrected RRSIGs verify (secure) and re-sign bit for bit', () => {
    expect(privateKeys.length).toBe(4);
    sigs.forEach((sig, i) => {
      expect(verifyRrsig(mx, sig, keys, opts(inWindow)).status).toBe('valid');
      const { algorithm, key } = importBindPrivateKey(`Algorithm: ${algs[i]}\nPrivateKey: ${privateKeys[i]}`);
      expect(base64Encode(dnskeyPublicKey(algorithm, key))).toBe(base64Encode(decodeDnskey(keys[i]!.rdata).publicKey));
      const f = decodeRrsig(sig.rdata);
      expect(base64Encode(signData(algorithm, key, signedData(f, mx)))).toBe(base64Encode(f.signature));
    });
    expect(verifyRrset(mx, sigs, keys, opts(inWindow)).status).toBe('secure');
  });

  it('the signatures as originally published (labels 3) are bogus, and labels 3 reproduces them', () => {
    const published = [...text.matchAll(/RRSIG MX 3 3600 \(\n;\s+1440021600 1438207200 (\d+) example\.com\. \(\n((?:;\s+\S+\s*\n?)+?);\s+(\S+) \)/g)];
    expect(published.length).toBe(4);
    published.forEach((m, i) => {
      const signature = Buffer.from((m[2]!.replace(/[;\s]/g, '') + m[3]!), 'base64');
      const f = { ...decodeRrsig(sigs[i]!.rdata), labels: 3, signature: new Uint8Array(signature) };
      const forged: ResourceRecord = { ...sigs[i]!, rdata: encodeRrsig(f) };
      const v = verifyRrsig(mx, forged, keys, opts(inWindow));
      expect(v.status).toBe('invalid');
      expect(validateRecordSet(mx, [forged], keys, { now: new Date(inWindow), signer: 'example.com.' }).status).toBe('bogus');
      expect(validateRecordSet(mx, [sigs[i]!], keys, { now: new Date(inWindow), signer: 'example.com.' }).status).toBe('secure');
      expect(v.reason).toBe(`RRSIG MX example.com by example.com/${f.keyTag} has labels 3, more than the owner's 2`);
      // with labels 2 (what a validator uses for this owner) the published signature does not verify
      const asLabels2 = { ...f, labels: 2 };
      expect(verifySignature(algs[i]!, decodeDnskey(keys[i]!.rdata).publicKey, signedData(asLabels2, mx), f.signature)).toBe(false);
      const { algorithm, key } = importBindPrivateKey(`Algorithm: ${algs[i]}\nPrivateKey: ${privateKeys[i]}`);
      expect(base64Encode(signData(algorithm, key, signedData(f, mx)))).toBe(base64Encode(f.signature));
    });
  });
});

describe('root anchors', () => {
  it('KSK-2017 20326 and KSK-2024 38696: tags and DS digests', () => {
    const rrs = zone('root-anchors.zone');
    const keys = ofType(rrs, 'DNSKEY');
    expect(keys.map((k) => keyTag(k.rdata))).toEqual([20326, 38696]);
    ofType(rrs, 'DS').forEach((ds, i) => expect(hexEncode(dsFromDnskey('.', keys[i]!.rdata, 2))).toBe(hexEncode(ds.rdata)));
  });
});

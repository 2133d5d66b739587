/** Key tag (RFC 4034 Appendix B): a 16-bit checksum over the DNSKEY RDATA; not unique. */

export function keyTag(dnskeyRdata: Uint8Array): number {
  if (dnskeyRdata.length >= 4 && dnskeyRdata[3] === 1) {
    // Algorithm 1 (RSA/MD5, Appendix B.1): the third-to-last and second-to-last octets of the key.
    const n = dnskeyRdata.length;
    return n < 7 ? 0 : (dnskeyRdata[n - 3]! << 8) | dnskeyRdata[n - 2]!;
  }
  let acc = 0;
  for (let i = 0; i < dnskeyRdata.length; i++) acc += i & 1 ? dnskeyRdata[i]! : dnskeyRdata[i]! << 8;
  acc += (acc >>> 16) & 0xffff;
  return acc & 0xffff;
}


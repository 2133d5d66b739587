/** OpenPGP CRC-24 (RFC 4880 §6.1), the armor checksum of signet-format.md §7.2. */
const CRC24_INIT = 0xb704ce;
const CRC24_POLY = 0x1864cfb;

export function crc24(bytes: Uint8Array): number {
  let crc = CRC24_INIT;
  for (const byte of bytes) {
    crc ^= byte << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= CRC24_POLY;
    }
  }
  return crc & 0xffffff;
}

/** The 3 big-endian CRC bytes. */
export function crc24Bytes(bytes: Uint8Array): Uint8Array {
  const crc = crc24(bytes);
  return new Uint8Array([crc >>> 16, (crc >>> 8) & 0xff, crc & 0xff]);
}

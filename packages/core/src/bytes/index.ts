export {
  toBytes,
  utf8Encode,
  utf8Decode,
  base64Encode,
  base64EncodeUnpadded,
  base64Decode,
  hexEncode,
  hexDecode,
  concatBytes,
  bytesEqual,
  compareBytes,
} from './encoding.js';
export { ByteReader } from './reader.js';
export { ByteWriter } from './writer.js';

/** Armor (signet-format.md §7, profile §2): CRC-24, writer layout, and every reader tolerance and refusal. */
import { describe, expect, it } from 'vitest';
import { armorEncode, crc24, decodeSignetObject, hexDecode, hexEncode, parseArmor, utf8Encode } from '@dime/core';
import { expectDimeError } from './util.js';

// The magma sandbox org signet (PRIME dialect), as published in lavabit/magma sandbox/etc/.
const SANDBOX_B64 =
  'BvAAAIYBIIeOJAOAF8toBZ5RfqLLnBtreEjgXrvAgN1lsaOkS3yAAyEC/10o1zAxt/VrZVjUJYYIDg6r5M+Ka0hcIRuzDqJU4hEEWx/E2nCYovVWPPlO7tYkzG4M+FnGXuqY+OI5PDKKyzjCILV+sp/I3TCusHj0p0+yTsa1odlK3WfJs092oP7QDA==';
const SANDBOX = new Uint8Array(Buffer.from(SANDBOX_B64, 'base64'));
const ARMORED = armorEncode(SANDBOX, 'ORGANIZATIONAL SIGNET');

function rewrap(width: number, eol: string, { crc = true, lead = '', tag = 'ORGANIZATIONAL SIGNET', endTag = tag } = {}): string {
  const lines = [`-----BEGIN ${tag}-----`];
  for (let i = 0; i < SANDBOX_B64.length; i += width) lines.push(SANDBOX_B64.slice(i, i + width));
  if (crc) lines.push('=Rli0');
  lines.push(`-----END ${endTag}-----`);
  return lead + lines.join(eol) + eol;
}

describe('CRC-24', () => {
  it('matches the OpenPGP check value and the vectors', () => {
    expect(crc24(utf8Encode('123456789'))).toBe(0x21cf02); // RFC 4880 CRC-24 check value
    expect(crc24(SANDBOX)).toBe(0x4658b4); // "=Rli0"
    expect(crc24(new Uint8Array(0))).toBe(0xb704ce);
  });
});

describe('armorEncode', () => {
  it('writes 64-character lines, the CRC line, LF and a final newline', () => {
    expect(ARMORED).toBe(
      '-----BEGIN ORGANIZATIONAL SIGNET-----\n' +
        'BvAAAIYBIIeOJAOAF8toBZ5RfqLLnBtreEjgXrvAgN1lsaOkS3yAAyEC/10o1zAx\n' +
        't/VrZVjUJYYIDg6r5M+Ka0hcIRuzDqJU4hEEWx/E2nCYovVWPPlO7tYkzG4M+FnG\n' +
        'XuqY+OI5PDKKyzjCILV+sp/I3TCusHj0p0+yTsa1odlK3WfJs092oP7QDA==\n' +
        '=Rli0\n' +
        '-----END ORGANIZATIONAL SIGNET-----\n'
    );
  });

  it('never writes an empty line when the base64 fills whole lines', () => {
    const text = armorEncode(new Uint8Array(48), 'USER KEY'); // 64 base64 characters exactly
    expect(text.split('\n')).toEqual(['-----BEGIN USER KEY-----', 'A'.repeat(64), '=' + text.split('\n')[2]!.slice(1), '-----END USER KEY-----', '']);
    expect(text).not.toContain('\n\n');
  });
});

describe('parseArmor accepts', () => {
  it.each([
    ['LF, 64-character lines', rewrap(64, '\n')],
    ['CRLF', rewrap(64, '\r\n')],
    ['CR-CR-LF', rewrap(64, '\r\r\n')],
    ['bare CR', rewrap(64, '\r')],
    ['20-character lines', rewrap(20, '\n')],
    ['one long line', rewrap(1000, '\n')],
    ['leading text', rewrap(64, '\n', { lead: 'Here is my signet:\n\nsome text -----\n' })],
    ['no final newline', rewrap(64, '\n').trimEnd()],
  ])('%s', (_name, text) => {
    const block = parseArmor(text);
    expect(block.tag).toBe('ORGANIZATIONAL SIGNET');
    expect(hexEncode(block.bytes)).toBe(hexEncode(SANDBOX));
    expect(block.checksummed).toBe(true);
  });

  it('blank lines, indentation and trailing blanks', () => {
    const text = ARMORED.split('\n').map((line) => `  ${line}\t `).join('\n\n') + '\n\n   \n';
    expect(hexEncode(parseArmor(text).bytes)).toBe(hexEncode(SANDBOX));
  });

  it('the first block when several follow', () => {
    const block = parseArmor(ARMORED + armorEncode(new Uint8Array([1, 2, 3]), 'USER KEY'));
    expect(block.tag).toBe('ORGANIZATIONAL SIGNET');
  });

  it('a missing CRC line only with lenient', () => {
    const text = rewrap(64, '\n', { crc: false });
    expectDimeError(() => parseArmor(text), 'BAD_INPUT', 'armor: missing CRC-24 line (=XXXX)');
    const block = parseArmor(text, { lenient: true });
    expect(block.checksummed).toBe(false);
    expect(hexEncode(block.bytes)).toBe(hexEncode(SANDBOX));
  });

  it('the legacy SIGNET tag only with lenient', () => {
    const text = rewrap(64, '\n', { crc: false, tag: 'SIGNET' });
    expectDimeError(() => parseArmor(text), 'BAD_INPUT', 'armor: unknown tag "SIGNET"');
    expect(parseArmor(text, { lenient: true }).tag).toBe('SIGNET');
  });

  it('every tag of the profile, the type still coming from the magic', () => {
    for (const tag of ['ORGANIZATIONAL SIGNET', 'USER SIGNET', 'SIGNET SIGNING REQUEST', 'ORGANIZATIONAL KEY', 'USER KEY']) {
      const obj = decodeSignetObject(armorEncode(SANDBOX, tag));
      expect(obj.type).toBe('org');
      expect(obj.armorTag).toBe(tag);
    }
  });
});

describe('parseArmor refuses', () => {
  it('a wrong CRC, even with lenient', () => {
    const text = ARMORED.replace('=Rli0', '=Rli1');
    for (const lenient of [false, true]) {
      expectDimeError(() => parseArmor(text, { lenient }), 'BAD_INPUT', 'armor: CRC-24 mismatch (line says 0x4658b5, data has 0x4658b4)');
    }
  });

  it('data changed under a good CRC line', () => {
    const text = ARMORED.replace('BvAAAIYBIIeO', 'BvAAAIYBIIeP');
    expectDimeError(() => parseArmor(text), 'BAD_INPUT', /^armor: CRC-24 mismatch \(line says 0x4658b4, data has 0x[0-9a-f]{6}\)$/);
  });

  it('BEGIN/END tag mismatch', () => {
    expectDimeError(() => parseArmor(rewrap(64, '\n', { endTag: 'USER SIGNET' })), 'BAD_INPUT', 'armor: BEGIN ORGANIZATIONAL SIGNET does not match END USER SIGNET');
  });

  it('a missing END line', () => {
    expectDimeError(() => parseArmor(ARMORED.replace('-----END ORGANIZATIONAL SIGNET-----\n', '')), 'BAD_INPUT', 'armor: no END ORGANIZATIONAL SIGNET line');
  });

  it('no BEGIN line at all', () => {
    expectDimeError(() => parseArmor('just some text\n'), 'BAD_INPUT', 'armor: no BEGIN line');
  });

  it('an unknown tag', () => {
    expectDimeError(() => parseArmor(armorEncode(SANDBOX, 'PGP PUBLIC KEY BLOCK')), 'BAD_INPUT', 'armor: unknown tag "PGP PUBLIC KEY BLOCK"');
  });

  it('characters outside base64', () => {
    expectDimeError(() => parseArmor(ARMORED.replace('t/VrZVjU', 't/Vr*VjU')), 'BAD_INPUT', 'armor: line 3 is not base64');
  });

  it('data after the CRC line', () => {
    expectDimeError(() => parseArmor(ARMORED.replace('=Rli0\n', '=Rli0\nAAAA\n')), 'BAD_INPUT', 'armor: data after the CRC line');
  });

  it('padding in the middle of the data', () => {
    const text = armorEncode(SANDBOX, 'USER KEY').replace(/^(-----BEGIN USER KEY-----\n)/, '$1AA==\n');
    expectDimeError(() => parseArmor(text), 'BAD_INPUT', 'armor: base64 padding inside the data');
  });

  it('base64 whose length does not decode to the header length (5 + length)', () => {
    const short = SANDBOX.subarray(0, SANDBOX.length - 1);
    expectDimeError(() => decodeSignetObject(armorEncode(short, 'ORGANIZATIONAL SIGNET')), 'BAD_INPUT', 'header: payload length 134, but 133 bytes follow');
    const long = new Uint8Array([...SANDBOX, 0]);
    expectDimeError(() => decodeSignetObject(armorEncode(long, 'ORGANIZATIONAL SIGNET')), 'BAD_INPUT', 'header: payload length 134, but 135 bytes follow');
  });

  it('a stray dash line inside the block', () => {
    expectDimeError(() => parseArmor(ARMORED.replace('=Rli0', '-----BEGIN USER KEY-----\n=Rli0')), 'BAD_INPUT', 'armor: unexpected line "-----BEGIN USER KEY-----" inside ORGANIZATIONAL SIGNET');
  });
});

describe('decodeSignetObject input forms', () => {
  it('reads armor text, armor bytes and the binary form alike', () => {
    const fromText = decodeSignetObject(ARMORED);
    const fromBytes = decodeSignetObject(utf8Encode(ARMORED));
    const fromBinary = decodeSignetObject(SANDBOX);
    for (const obj of [fromText, fromBytes, fromBinary]) expect(hexEncode(obj.bytes)).toBe(hexEncode(SANDBOX));
    expect(fromBinary.armorTag).toBeUndefined();
  });

  it('reports garbage as a header problem', () => {
    expectDimeError(() => decodeSignetObject(hexDecode('0102')), 'BAD_INPUT', 'header: 2 bytes, a signet object needs at least 5');
    expectDimeError(() => decodeSignetObject(hexDecode('1234000000')), 'BAD_INPUT', 'header: unknown magic 4660 (0x1234)');
    expectDimeError(() => decodeSignetObject(hexDecode('079b000000')), 'BAD_INPUT', 'header: encrypted keys (magic 1947) are not supported');
  });
});

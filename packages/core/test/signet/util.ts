/** Test helpers for hand-built signet bytes (kept tiny on purpose: the tests show the bytes). */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { DimeError, concatBytes, hexDecode, type ErrorCode } from '@dime/core';
import { vectorPath } from '../helpers.js';

/** A valid compressed secp256k1 point (the magma org vector's encryption key). */
export const ENC_KEY = hexDecode('038f1fd384ac24eb6066f2006803076f494053a24698a590058651745b8838eb64');
/** The same point uncompressed. */
export const ENC_KEY_65 = hexDecode(
  '048f1fd384ac24eb6066f2006803076f494053a24698a590058651745b8838eb641d03304d400b3c954de17b4e0d7e30dfb445b7c5c18eb5c21ac6870f6c1868df'
);
/** x = 5 has no y on secp256k1: a compressed "point" that is not on the curve. */
export const OFF_CURVE = concatBytes(new Uint8Array([2]), new Uint8Array(31), new Uint8Array([5]));
/** The magma org vector's POK, raw. */
export const POK = hexDecode('3ce04f97967426dab7ffc40af059162809644729f2d89d1d5ea637c61d22de6b');
export const POK_40 = concatBytes(new Uint8Array([0x40]), POK);

/** Binary object: u16 magic, u24 length, then the parts. */
export function object(magic: number, ...parts: Uint8Array[]): Uint8Array {
  const payload = concatBytes(...parts);
  return concatBytes(new Uint8Array([magic >> 8, magic & 0xff, payload.length >> 16, (payload.length >> 8) & 0xff, payload.length & 0xff]), payload);
}

/** A field with a 1-byte length. */
export function f1(id: number, value: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([id, value.length]), value);
}

/** A field with a 2-byte length. */
export function f2(id: number, value: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([id, value.length >> 8, value.length & 0xff]), value);
}

/** A fixed 64-byte signature field. */
export function sig(id: number, fill = 0): Uint8Array {
  return concatBytes(new Uint8Array([id]), new Uint8Array(64).fill(fill));
}

export function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

export function readVector(name: string): string {
  return readFileSync(vectorPath('signet', name), 'utf8');
}

/** Asserts `fn` throws a DimeError with this code and exactly this message. */
export function expectDimeError(fn: () => unknown, code: ErrorCode, message: string | RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a DimeError').toBeInstanceOf(DimeError);
  const error = thrown as DimeError;
  expect(error.code).toBe(code);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

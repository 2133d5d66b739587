/** Shared helper of the record tests. */
import { expect } from 'vitest';
import { DimeError } from '@dime/core';

/** Runs `fn`, which must throw a DimeError, and returns that error for its code and message. */
export function failure(fn: () => unknown): DimeError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DimeError);
    return err as DimeError;
  }
  throw new Error('expected a DimeError, nothing was thrown');
}

/**
 * Review of issue 5: two `dmtpd publish` runs at once. Publishing reads the current signet, checks the
 * custody link against it and inserts; when another process inserted in between, the new signet was
 * stored as current with a custody status computed against a signet that was no longer current (six
 * concurrent `publish --require-custody` runs, each rotating from Alice's first key, stored four
 * "ok" links that `dime -H` then rejects). The read, the check and the insert are now one write
 * transaction; here the other process is a second connection that publishes from inside the first
 * one's read of the current signet, deterministically.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSsr, custodyLink, decodeSignetObject, generateKeys, signSsr } from '@dime/core/signet';
import { openSqliteStore, SqliteStore, type DxStore } from '../src/store.js';
import { publishSignet } from '../src/publish.js';
import { ALICE, makeIdentities, tempDir } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
let path: string;

beforeEach(() => {
  dir = tempDir();
  path = join(dir.path, 'signets.db');
  openSqliteStore(path, { create: true }).close();
});
afterEach(() => dir.remove());

describe('concurrent publish (review)', () => {
  it('a publish from another connection cannot slip between the custody check and the insert', () => {
    const ids = makeIdentities();
    const first = openSqliteStore(path);
    first.setMeta('domain', 'example.test');
    publishSignet(first, ids.org.signet.bytes);
    publishSignet(first, ids.alice.signet.bytes);

    // Two rotations, both with a custody signature by Alice's first key.
    const orgKeys = ids.org.keys;
    const rotate = () => signSsr(createSsr(generateKeys('user-keys'), { custody: ids.alice.keys }), orgKeys, ALICE, { name: 'Alice' });
    const mine = rotate();
    const theirs = rotate();

    // The other process: its own connection, no busy wait, so a held write lock shows as SQLITE_BUSY.
    const other = new SqliteStore(new Database(path, { timeout: 0 }));
    let interleaved: 'published' | 'blocked' | undefined;
    const racing = new Proxy(first as DxStore, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property === 'current') {
          return (name: string) => {
            const current = target.current(name);
            // Right after this publish has read the current signet, the other one publishes.
            if (name === ALICE && interleaved === undefined) {
              try {
                publishSignet(other, theirs.bytes, { requireCustody: true });
                interleaved = 'published';
              } catch (error) {
                expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
                interleaved = 'blocked';
              }
            }
            return current;
          };
        }
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });

    const result = publishSignet(racing, mine.bytes, { requireCustody: true });
    expect(interleaved).toBe('blocked');
    expect(result.status).toBe('published');
    expect(result.custody).toBe('ok');

    // The stored history is a chain whose every recorded link is the real one.
    const history = first.all(ALICE);
    expect(history.map((s) => s.fingerprints.full)).toEqual([ids.alice.fp.full, result.fingerprints.full]);
    for (let i = 1; i < history.length; i++) {
      expect(custodyLink(decodeSignetObject(history[i - 1]!.signet), decodeSignetObject(history[i]!.signet))).toBe(history[i]!.custody);
    }
    // The other process, retrying now, is refused: its custody signature is by a key no longer current.
    expect(() => publishSignet(other, theirs.bytes, { requireCustody: true })).toThrowError(/custody signature \(field 4\) does not verify/);
    other.close();
    first.close();
  });
});

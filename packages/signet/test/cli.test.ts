/**
 * `signet` in-process (profile §6): the `_rebuild` recipes through the CLI, file safety (0600 keys,
 * never overwritten, --force only for outputs), the `-v` exit table, JSON shapes, bad input with
 * exit code and message, prompts.
 */
import { chmodSync, copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { armorEncode, concatBytes, decodeSignetObject, encodeSignetObject } from '@dime/core';
import { sharedVectorsAvailable, vectorPath } from '../../core/test/helpers.js';
import { run, scriptedPrompter, tempDir } from './run.js';

const available = sharedVectorsAvailable();
const vector = (name: string) => vectorPath('signet', name);
const read = (path: string) => readFileSync(path, 'utf8');
const mode = (path: string) => statSync(path).mode & 0o777;

let cwd: string;
let dir: string;
beforeEach(() => {
  cwd = process.cwd();
  dir = tempDir();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
});

/** An org signet, SSR and user signet made through the CLI in `dir`. */
async function world(dialect = 'magma') {
  expect((await run(['-g', 'example.test', '--dialect', dialect, '--name', 'Example'])).code).toBe(0);
  expect((await run(['-g', 'alice@example.test', '--dialect', dialect])).code).toBe(0);
  expect((await run(['-s', 'alice@example.test', '-r', 'alice-example.test.ssr', '-k', 'example.test.key', '--name', 'Alice'])).code).toBe(0);
}

describe.skipIf(!available)('the _rebuild recipes through the CLI', () => {
  const expected = available ? JSON.parse(read(vector('expected.json'))) : {};

  it('-g example.com with the vector keys and answers reproduces magma-check-org.signet byte for byte', async () => {
    const recipe = expected._rebuild['magma-check-org.signet'];
    copyFileSync(vector(recipe.from_keys), 'example.com.key');
    chmodSync('example.com.key', 0o600);
    const a = recipe.answers;
    const r = await run(['-g', recipe.id, '--name', a.name, '--address', a.address, '--country', a.country, '--postal-code', a.postal_code, '--phone', a.phone]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('reused keys file example.com.key');
    expect(read('example.com.signet')).toBe(read(vector('magma-check-org.signet')));
    expect(read('example.com.key')).toBe(read(vector(recipe.from_keys)));
  });

  it('-s user@example.com with the vector SSR and org keys reproduces magma-check-user.signet byte for byte', async () => {
    const recipe = expected._rebuild['magma-check-user.signet'];
    copyFileSync(vector(recipe.org_keys), 'org.key');
    const r = await run(['-s', recipe.id, '-r', vector(recipe.from_ssr), '-k', 'org.key', '--name', recipe.answers.name]);
    expect(r.code).toBe(0);
    expect(read('user-example.com.signet')).toBe(read(vector('magma-check-user.signet')));
  });

  it('--pok-of prints the pok= values of expected.json', async () => {
    for (const name of ['magma-check-org.key', 'magma-sandbox-dime.localhost.localdomain.key']) {
      const r = await run(['--pok-of', vector(name)]);
      expect(r).toEqual({ code: 0, out: `${expected._record[`pok_of_${name}`]}\n`, err: '' });
    }
    expect(JSON.parse((await run(['--pok-of', vector('magma-check-org.key'), '--json'])).out)).toEqual({ pok: 'POBPl5Z0Jtq3/8QK8FkWKAlkRyny2J0dXqY3xh0i3ms' });
    const user = await run(['--pok-of', vector('magma-check-user.key')]);
    expect(user.code).toBe(3);
    expect(user.err).toBe(`signet: error: keys file ${vector('magma-check-user.key')}: holds user keys, expected organizational keys\n`);
  });

  it('-f prints the vector fingerprints; -v verifies every vector', async () => {
    const f = await run(['-f', vector('magma-check-user.signet'), '--json']);
    expect(JSON.parse(f.out)).toEqual(expected['magma-check-user.signet'].fingerprints);
    expect((await run(['-f', vector('magma-check-user.signet'), '--kind', 'crypto'])).out).toBe(`${expected['magma-check-user.signet'].fingerprints.crypto}\n`);
    const sandbox = await run(['-v', vector('magma-sandbox-dime.localhost.localdomain.signet'), '--record', `ver=1 pok=${expected._record['pok_of_magma-sandbox-dime.localhost.localdomain.key']}`, '--json']);
    expect(sandbox.code).toBe(0);
    expect(JSON.parse(sandbox.out)).toMatchObject({ type: 'org', state: 'crypto', trust: 'pok', pokAccepted: true });
    const user = await run(['-v', vector('magma-check-user.signet'), '--org', vector('magma-check-org.signet')]);
    expect(user.code).toBe(0);
    expect(user.out.split('\n')[0]).toBe('user signet: id (trust: org)');
  });
});

describe('files: keys 0600 and never overwritten, outputs replaced only with --force', () => {
  it('-g example.test writes the keys file 0600 and the signet, with default names', async () => {
    const r = await run(['-g', 'example.test']);
    expect(r.code).toBe(0);
    expect(mode('example.test.key')).toBe(0o600);
    expect(decodeSignetObject(readFileSync('example.test.key')).type).toBe('org-keys');
    expect(decodeSignetObject(readFileSync('example.test.signet')).type).toBe('org');
    expect(read('example.test.signet').split('\n')[0]).toBe('-----BEGIN ORGANIZATIONAL SIGNET-----');
  });

  it('an SSR gets <local>-<domain> names and a USER KEY file', async () => {
    expect((await run(['-g', 'alice@example.test'])).code).toBe(0);
    expect(mode('alice-example.test.key')).toBe(0o600);
    expect(read('alice-example.test.key').split('\n')[0]).toBe('-----BEGIN USER KEY-----');
    expect(read('alice-example.test.ssr').split('\n')[0]).toBe('-----BEGIN ORGANIZATIONAL SIGNET-----');
  });

  it('an existing signet is replaced only with --force, and the keys file is reused, never replaced', async () => {
    expect((await run(['-g', 'example.test', '--name', 'A'])).code).toBe(0);
    const keys = read('example.test.key');
    const signet = read('example.test.signet');
    const again = await run(['-g', 'example.test', '--name', 'A', '--json']);
    expect(again.code).toBe(2);
    expect(again.err).toBe('signet: error: signet example.test.signet exists; use --force to replace it\n');
    expect(JSON.parse(again.out)).toEqual({ error: { code: 'EXISTS', message: 'signet example.test.signet exists; use --force to replace it' } });
    const forced = await run(['-g', 'example.test', '--name', 'A', '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.out)).toMatchObject({ keysCreated: false, keys: 'example.test.key', output: 'example.test.signet' });
    expect(read('example.test.key')).toBe(keys);
    expect(read('example.test.signet')).toBe(signet); // same keys and answers: same bytes
    expect(mode('example.test.key')).toBe(0o600);
  });

  it('--force never replaces a keys file of the wrong type (exit 3, file untouched)', async () => {
    expect((await run(['-g', 'alice@example.test'])).code).toBe(0);
    const userKeys = read('alice-example.test.key');
    const r = await run(['-g', 'example.test', '-k', 'alice-example.test.key', '--force']);
    expect(r.code).toBe(3);
    expect(r.err).toBe('signet: error: keys file alice-example.test.key: holds user keys, expected organizational keys\n');
    expect(read('alice-example.test.key')).toBe(userKeys);
  });

  it('-c naming the same file as -k is refused (a rotation needs new keys)', async () => {
    expect((await run(['-g', 'alice@example.test'])).code).toBe(0);
    const r = await run(['-g', 'alice@example.test', '-k', 'alice-example.test.key', '-c', './alice-example.test.key', '-o', 'new.ssr']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('signet: error: -c ./alice-example.test.key is the keys file itself; a rotation needs new keys\n');
  });

  it('-c adds a custody signature that -v --previous checks', async () => {
    await world();
    const rotate = await run(['-g', 'alice@example.test', '-k', 'alice2.key', '-o', 'alice2.ssr', '-c', 'alice-example.test.key']);
    expect(rotate.code).toBe(0);
    expect(decodeSignetObject(readFileSync('alice2.ssr')).fields.map((f) => f.id)).toEqual([1, 2, 4, 5]);
    expect((await run(['-s', 'alice@example.test', '-r', 'alice2.ssr', '-k', 'example.test.key', '-o', 'alice2.signet'])).code).toBe(0);
    const ok = await run(['-v', 'alice2.signet', '--org', 'example.test.signet', '--previous', 'alice-example.test.signet', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).checks[0]).toEqual({ field: 4, name: 'custody', ok: true });
    // against the wrong previous signet: broken custody, exit 1
    const bad = await run(['-v', 'alice-example.test.signet', '--org', 'example.test.signet', '--previous', 'alice2.signet', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ state: 'broken-custody', error: { code: 'CUSTODY' } });
  });

  it('-c with an org id, and answers for an SSR, are usage errors', async () => {
    const custody = await run(['-g', 'example.test', '-c', 'x.key']);
    expect(custody).toMatchObject({ code: 2, err: 'signet: error: -c/--custody applies only to an SSR (-g user@domain)\n' });
    const answers = await run(['-g', 'alice@example.test', '--name', 'Alice']);
    expect(answers).toMatchObject({ code: 2, err: 'signet: error: --name does not apply to an SSR (the org adds answers when it signs: -s)\n' });
  });

  it('-s refuses an existing output without --force, a missing -r, and user keys', async () => {
    await world();
    const exists = await run(['-s', 'alice@example.test', '-r', 'alice-example.test.ssr', '-k', 'example.test.key']);
    expect(exists).toMatchObject({ code: 2, err: 'signet: error: signet alice-example.test.signet exists; use --force to replace it\n' });
    expect((await run(['-s', 'alice@example.test', '-k', 'example.test.key'])).code).toBe(2);
    const userKeys = await run(['-s', 'alice@example.test', '-r', 'alice-example.test.ssr', '-k', 'alice-example.test.key', '-o', 'x.signet']);
    expect(userKeys).toMatchObject({ code: 3, err: 'signet: error: keys file alice-example.test.key: holds user keys, expected organizational keys\n' });
    const notSsr = await run(['-s', 'alice@example.test', '-r', 'example.test.signet', '-k', 'example.test.key', '-o', 'x.signet']);
    expect(notSsr).toMatchObject({ code: 3, err: 'signet: error: SSR example.test.signet: is an org signet, not an SSR\n' });
  });
});

describe('round trip through the CLI in every dialect', () => {
  it.each(['magma', 'prime', 'libdime'])('%s: generate → dump → verify → sign SSR → verify the user signet against the org', async (dialect) => {
    await world(dialect);
    const dump = await run(['-d', 'example.test.signet']);
    expect(dump.code).toBe(0);
    expect(dump.out.split('\n')[0]).toBe(`organizational signet, ${dialect === 'prime' ? 292 : dialect === 'libdime' ? 294 : 293} bytes, ${dialect} dialect, armor tag ORGANIZATIONAL SIGNET`);
    const org = await run(['-v', 'example.test.signet', '--json']);
    expect(JSON.parse(org.out)).toMatchObject({ type: 'org', state: 'id', trust: 'self', pokAccepted: true });
    const ssr = await run(['-v', 'alice-example.test.ssr', '--json']);
    expect(ssr.code).toBe(0);
    expect(JSON.parse(ssr.out)).toMatchObject({ type: 'ssr', state: 'ssr', trust: 'self', pokAccepted: null });
    const user = await run(['-v', 'alice-example.test.signet', '--org', 'example.test.signet', '--json']);
    expect(user.code).toBe(0);
    expect(JSON.parse(user.out)).toMatchObject({ type: 'user', state: 'id', trust: 'org' });
    const keysDump = await run(['-d', 'example.test.key']);
    expect(keysDump.out.split('\n')[0]).toBe(`organizational keys file, ${dialect === 'libdime' ? 74 : 73} bytes, ${dialect === 'libdime' ? 'libdime' : 'magma'} dialect, armor tag ORGANIZATIONAL KEY`);
  });
});

describe('-v exit table (profile §2)', () => {
  it('user signet without --org: exit 2', async () => {
    await world();
    const r = await run(['-v', 'alice-example.test.signet', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'USAGE', message: 'a user signet is verified against its org signet: give --org ORGSIGNET' } });
  });

  it('user signet against the wrong org: exit 1, invalid, with the JSON keys of the profile', async () => {
    await world();
    expect((await run(['-g', 'other.test'])).code).toBe(0);
    const r = await run(['-v', 'alice-example.test.signet', '--org', 'other.test.signet', '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['type', 'state', 'trust', 'pokAccepted', 'fingerprints', 'checks', 'error']);
    expect(json).toMatchObject({ type: 'user', state: 'invalid', trust: 'org', pokAccepted: null });
    expect(json.error).toEqual({ code: 'SIGNATURE_INVALID', message: 'signature does not verify: field 6 (crypto), field 253 (full), field 255 (id)' });
    expect(r.err).toBe('signet: error: signature does not verify: field 6 (crypto), field 253 (full), field 255 (id)\n');
  });

  it('org signet with --pok / --record: exit 0 only when its POK is accepted', async () => {
    await world();
    const pok = (await run(['--pok-of', 'example.test.key'])).out.trim();
    expect((await run(['-v', 'example.test.signet', '--pok', pok])).code).toBe(0);
    expect((await run(['-v', 'example.test.signet', '--record', `ver=1 pok=${pok} pol=strict`])).code).toBe(0);
    expect((await run(['-g', 'other.test'])).code).toBe(0);
    const other = (await run(['--pok-of', 'other.test.key'])).out.trim();
    expect((await run(['-v', 'example.test.signet', '--record', `ver=1 pok=${other}`])).code).toBe(1);
    expect((await run(['-v', 'example.test.signet', '--record', `ver=1 pok=${other} pok=${pok}`])).code).toBe(0);
    const refused = await run(['-v', 'example.test.signet', '--pok', other, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ state: 'id', trust: 'pok', pokAccepted: false, error: { code: 'SIGNATURE_INVALID', message: 'POK is not among the accepted keys (--pok/--record)' } });
    const badRecord = await run(['-v', 'example.test.signet', '--record', 'ver=2 pok=abc', '--json']);
    expect(badRecord.code).toBe(1);
    expect(JSON.parse(badRecord.out).error.code).toBe('RECORD_INVALID');
    expect(badRecord.err).toMatch(/^signet: error: --record: .+\n$/);
    const badPok = await run(['-v', 'example.test.signet', '--pok', `${pok}=`]);
    expect(badPok).toMatchObject({ code: 2, err: 'signet: error: pok: 44 characters, expected 43\n' });
  });

  it('an org signet holding only a POK dumps fine and verifies as incomplete (exit 1)', async () => {
    const full = decodeSignetObject(readFileSync(await makeOrg()));
    const onlyPok = encodeSignetObject('org', full.fields.filter((f) => f.id === 1));
    writeFileSync('pok-only.signet', armorEncode(onlyPok.bytes, 'ORGANIZATIONAL SIGNET'));
    expect((await run(['-d', 'pok-only.signet'])).code).toBe(0);
    const r = await run(['-v', 'pok-only.signet', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ state: 'incomplete', checks: [], error: { code: 'INCOMPLETE' } });
  });

  it('a signature by the wrong key: exit 1', async () => {
    const path = await makeOrg();
    const org = decodeSignetObject(readFileSync(path));
    const bytes = org.bytes.slice();
    bytes[bytes.length - 1]! ^= 0x01; // last byte of the ID signature
    writeFileSync('tampered.signet', armorEncode(bytes, 'ORGANIZATIONAL SIGNET'));
    const r = await run(['-v', 'tampered.signet']);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe('org signet: invalid (trust: self, POK accepted)');
    expect(r.err).toBe('signet: error: signature does not verify: field 255 (id)\n');
  });

  it('a keys file cannot be verified (exit 2)', async () => {
    await makeOrg();
    expect(await run(['-v', 'example.test.key'])).toMatchObject({ code: 2, err: 'signet: error: example.test.key: a keys file carries no signatures to verify (use -d)\n' });
  });
});

async function makeOrg(): Promise<string> {
  expect((await run(['-g', 'example.test'])).code).toBe(0);
  return join(process.cwd(), 'example.test.signet');
}

describe('bad input files: exit 3 with a message naming the problem', () => {
  const POK_40 = concatBytes(new Uint8Array([0x40]), new Uint8Array(32).fill(1));
  const header = (payload: Uint8Array, magic = 1776, length = payload.length) =>
    concatBytes(new Uint8Array([magic >> 8, magic & 0xff, length >> 16, (length >> 8) & 0xff, length & 0xff]), payload);
  const field = (id: number, value: Uint8Array) => concatBytes(new Uint8Array([id, value.length]), value);
  const text = (s: string) => new TextEncoder().encode(s);
  const offCurve = concatBytes(new Uint8Array([2]), new Uint8Array(31), new Uint8Array([5]));

  it.each([
    ['length header ≠ payload', header(field(1, POK_40), 1776, 40), 'header: payload length 40, but 35 bytes follow'],
    ['fields out of order', header(concatBytes(field(1, POK_40), field(17, text('a')), field(16, text('b')))), 'field 16: out of order (after field 17)'],
    ['duplicate unique field', header(concatBytes(field(1, POK_40), field(16, text('a')), field(16, text('b')))), 'field 16: duplicate (Name may appear only once)'],
    ['undefined id', header(concatBytes(field(1, POK_40), field(30, text('a')))), 'field 30: not defined for an organizational signet'],
    ['truncated field', header(concatBytes(field(1, POK_40), new Uint8Array([16, 9, 65]))), 'field 16: truncated (needs 9 bytes, 1 left)'],
    ['trailing bytes', header(concatBytes(field(1, POK_40), new Uint8Array([255]), new Uint8Array(64), new Uint8Array([0]))), 'field 255: 1 trailing bytes after the last field'],
    ['non-curve secp256k1 key', header(concatBytes(field(1, POK_40), field(3, offCurve))), 'field 3: secp256k1 key is not a point on the curve'],
  ])('%s', async (_name, bytes, message) => {
    writeFileSync('bad.signet', armorEncode(bytes, 'ORGANIZATIONAL SIGNET'));
    for (const action of ['-d', '-v', '-f']) {
      const r = await run([action, 'bad.signet', '--json']);
      expect(r.code).toBe(3);
      expect(r.err).toBe(`signet: error: file bad.signet: ${message}\n`);
      expect(JSON.parse(r.out)).toEqual({ error: { code: 'BAD_INPUT', message: `file bad.signet: ${message}` } });
    }
  });

  it('armor: wrong CRC, missing CRC (waived by --lenient), tag mismatch', async () => {
    await makeOrg();
    const good = read('example.test.signet');
    const crcLine = good.split('\n').find((l) => /^=....$/.test(l))!;
    writeFileSync('wrong-crc.signet', good.replace(crcLine, crcLine === '=AAAA' ? '=AAAB' : '=AAAA'));
    const wrong = await run(['-d', 'wrong-crc.signet', '--lenient']);
    expect(wrong.code).toBe(3);
    expect(wrong.err).toMatch(/^signet: error: file wrong-crc\.signet: armor: CRC-24 mismatch \(line says 0x[0-9a-f]{6}, data has 0x[0-9a-f]{6}\)\n$/);
    writeFileSync('no-crc.signet', good.replace(`${crcLine}\n`, ''));
    expect(await run(['-d', 'no-crc.signet'])).toMatchObject({ code: 3, err: 'signet: error: file no-crc.signet: armor: missing CRC-24 line (=XXXX)\n' });
    expect((await run(['-d', 'no-crc.signet', '--lenient'])).code).toBe(0);
    writeFileSync('mismatch.signet', good.replace('-----END ORGANIZATIONAL SIGNET-----', '-----END USER SIGNET-----'));
    expect(await run(['-d', 'mismatch.signet'])).toMatchObject({ code: 3, err: 'signet: error: file mismatch.signet: armor: BEGIN ORGANIZATIONAL SIGNET does not match END USER SIGNET\n' });
    expect(await run(['-d', 'missing.signet'])).toMatchObject({ code: 3, err: 'signet: error: file missing.signet: cannot read (ENOENT)\n' });
  });

  it('armor with CRLF, CR-CR-LF, leading text and 20-character lines reads fine', async () => {
    await makeOrg();
    const good = read('example.test.signet');
    const lines = good.trimEnd().split('\n');
    const body = lines.slice(1, -2).join('');
    const narrow = [lines[0]!, ...(body.match(/.{1,20}/g) ?? []), lines.at(-2)!, lines.at(-1)!];
    const variants = {
      crlf: lines.join('\r\n'),
      crcrlf: lines.join('\r\r\n'),
      leading: `Dear admin,\nhere is the signet.\n\n${good}`,
      narrow: narrow.join('\n'),
    };
    const expected = (await run(['-d', 'example.test.signet', '--json'])).out;
    for (const [name, content] of Object.entries(variants)) {
      writeFileSync(`${name}.signet`, content);
      const r = await run(['-d', `${name}.signet`, '--json']);
      expect(r.code, name).toBe(0);
      expect(r.out, name).toBe(expected);
    }
  });
});

describe('output shapes', () => {
  it('-d --json is {type, size, fields:[{id,name,value}], fingerprints}', async () => {
    await world();
    const r = await run(['-d', 'alice-example.test.signet', '--json']);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['type', 'size', 'fields', 'fingerprints']);
    expect(json.type).toBe('user');
    expect(json.fields.map((f: { id: number }) => f.id)).toEqual([1, 2, 5, 6, 16, 253, 254, 255]);
    expect(json.fields[4]).toEqual({ id: 16, name: 'Name', value: 'Alice' });
    expect(Object.keys(json.fingerprints)).toEqual(['ssr', 'crypto', 'full', 'id']);
    const keys = JSON.parse((await run(['-d', 'alice-example.test.key', '--json'])).out);
    expect(keys.type).toBe('user-keys');
    expect(keys.fields.map((f: { name: string }) => f.name)).toEqual(['Signing-Key', 'Signing-Key (raw)', 'Encryption-Key']);
  });

  it('-f --kind selects one kind; a kind the type lacks is a usage error', async () => {
    await world();
    const all = JSON.parse((await run(['-f', 'alice-example.test.ssr', '--json'])).out);
    expect(Object.keys(all)).toEqual(['ssr']);
    expect(JSON.parse((await run(['-f', 'example.test.signet', '--kind', 'full', '--json'])).out)).toEqual({ full: expect.stringMatching(/^[A-Za-z0-9+/]{86}$/) });
    expect(await run(['-f', 'alice-example.test.ssr', '--kind', 'crypto'])).toMatchObject({ code: 2, err: 'signet: error: an SSR has no crypto fingerprint\n' });
    expect(await run(['-f', 'example.test.signet', '--kind', 'sha1'])).toMatchObject({ code: 2, err: 'signet: error: --kind sha1: expected ssr, crypto, full, id or all\n' });
  });

  it('-x lists every defined id through 255', async () => {
    const json = JSON.parse((await run(['-x', 'org', '--json'])).out);
    expect(json.type).toBe('org');
    expect(json.fields.at(-1)).toMatchObject({ id: 255, name: 'Organizational-Signature', required: true, length: 'fixed 64' });
    expect(json.fields.map((f: { id: number }) => f.id)).toContain(251);
    const ssr = await run(['-x', 'ssr']);
    expect(ssr.out.split('\n')[0]).toBe('SSR field types:');
    expect(ssr.out.trimEnd().split('\n')).toHaveLength(7);
    expect(await run(['-x', 'keys'])).toMatchObject({ code: 2, err: 'signet: error: -x keys: expected org, user or ssr\n' });
  });
});

describe('usage', () => {
  it.each([
    [[], 'nothing to do: give one of -g, -s, -d, -v, -f, -x or --pok-of (see -h)'],
    [['-d', 'a', '-v', 'b'], 'conflicting actions: -d and -v'],
    [['-d', 'a', '-k', 'b'], '-k does not apply to -d'],
    [['-g', 'example.test', '-r', 'x.ssr'], '-r does not apply to -g'],
    [['-v', 'a', '--kind', 'id'], '--kind does not apply to -v'],
    [['-g', 'not a domain'], '"not a domain" is not a domain name'],
    [['-s', 'example.test', '-r', 'a', '-k', 'b'], '"example.test" is not a user@domain address'],
  ])('%j → exit 2', async (args, message) => {
    const r = await run(args as string[]);
    expect(r).toEqual({ code: 2, out: '', err: `signet: error: ${message}\n` });
  });

  it('unknown options and bad --dialect are commander errors, exit 2, one stderr line', async () => {
    const unknown = await run(['--bogus']);
    expect(unknown).toEqual({ code: 2, out: '', err: "signet: error: unknown option '--bogus'\n" });
    const dialect = await run(['-g', 'example.test', '--dialect', 'pgp', '--json']);
    expect(dialect.code).toBe(2);
    expect(dialect.err).toMatch(/^signet: error: option '--dialect <dialect>' argument 'pgp' is invalid\. Allowed choices are magma, prime, libdime\.\n$/);
    expect(JSON.parse(dialect.out).error.code).toBe('USAGE');
  });

  it('-h and --version exit 0', async () => {
    const help = await run(['-h']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: signet [options]');
    expect(help.out).toContain('--pok-of <keysfile>');
    expect(await run(['--version'])).toEqual({ code: 0, out: '0.1.0\n', err: '' });
  });

  it('--debug adds a stack trace; without it there is none', async () => {
    const plain = await run(['-d', 'missing.signet']);
    expect(plain.err.split('\n').filter(Boolean)).toHaveLength(1);
    const debug = await run(['-d', 'missing.signet', '--debug']);
    expect(debug.err.split('\n').length).toBeGreaterThan(3);
    expect(debug.err).toContain('    at ');
  });

  it('--verbose notes go to stderr', async () => {
    const r = await run(['-g', 'example.test', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('signet: wrote keys file example.test.key (mode 0600)\n');
  });
});

describe('prompts', () => {
  it('asks for the missing answers in the C order (on stderr through the prompter) and stores them', async () => {
    const prompter = scriptedPrompter(['Example LLC', '', 'United States', '20500', '(202) 456-1111']);
    const r = await run(['-g', 'example.test', '--address', '1 Main St'], prompter);
    expect(r.code).toBe(0);
    expect(prompter.questions).toEqual(['Organization name:', 'Organization country:', 'Organization postal code:', 'Organization phone number:']);
    const dump = JSON.parse((await run(['-d', 'example.test.signet', '--json'])).out);
    expect(dump.fields.filter((f: { id: number }) => f.id >= 16 && f.id <= 21)).toEqual([
      { id: 16, name: 'Name', value: 'Example LLC' },
      { id: 17, name: 'Address', value: '1 Main St' },
      // the empty answer to country was skipped; the rest shifted into their own questions
      { id: 20, name: 'Postal-Code', value: 'United States' },
      { id: 21, name: 'Phone-Number', value: '20500' },
    ]);
  });

  it('stops asking at end of input and keeps what it has', async () => {
    const prompter = scriptedPrompter(['Alice', null]);
    await world();
    const r = await run(['-s', 'alice@example.test', '-r', 'alice-example.test.ssr', '-k', 'example.test.key', '-o', 'p.signet'], prompter);
    expect(r.code).toBe(0);
    expect(prompter.questions).toEqual(['User name:', 'User address:']);
    const dump = JSON.parse((await run(['-d', 'p.signet', '--json'])).out);
    expect(dump.fields.filter((f: { id: number }) => f.id === 16)).toEqual([{ id: 16, name: 'Name', value: 'Alice' }]);
  });

  it('never prompts without a terminal (main() default when stdin is not a TTY)', async () => {
    expect(process.stdin.isTTY).toBeFalsy();
    let out = '';
    const { main } = await import('../src/index.js');
    const code = await main(['-g', 'example.test'], { out: (t) => void (out += t), err: () => undefined });
    expect(code).toBe(0);
    const dump = decodeSignetObject(readFileSync('example.test.signet'));
    expect(dump.fields.map((f) => f.id)).toEqual([1, 3, 4, 253, 254, 255]);
  });
});

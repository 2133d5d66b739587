import { beforeAll, describe, expect, it } from 'vitest';
import { DmtpSession } from '../../src/dmtp/session.js';
import { base64Encode } from '../../src/bytes/encoding.js';
import { ALICE, DOMAIN, DX_HOST, makeWorld, worldStore, type World } from './fixtures.js';

let world: World;
beforeAll(() => {
  world = makeWorld();
});

function session(options: { dual?: boolean; maxViolations?: number } = {}) {
  return new DmtpSession({ hostname: DX_HOST, store: worldStore(world), ...options });
}

describe('DmtpSession', () => {
  it('greets with the DMTPv1 banner, or the ESMTP one in dual mode', () => {
    expect(session().greeting()).toBe(`220 <${DX_HOST}> DMTPv1 TSDMTP\r\n`);
    expect(session({ dual: true }).greeting()).toBe(`220 <${DX_HOST}> ESMTP DMTPv1 TSDMTP\r\n`);
  });

  it('answers SGNT with the current signet, or the newest having the fingerprint, else 450', async () => {
    const s = session();
    expect(await s.handleLine(`SGNT <${DOMAIN}>`)).toEqual({ reply: `250 OK [${base64Encode(world.org.signet.bytes)}]\r\n`, action: 'continue' });
    expect((await s.handleLine(`SGNT <${ALICE}>`)).reply).toBe(`250 OK [${base64Encode(world.aliceRotated.signet.bytes)}]\r\n`);
    for (const fp of Object.values(world.alice.fingerprints)) {
      expect((await s.handleLine(`SGNT <${ALICE}> [${fp}]`)).reply).toBe(`250 OK [${base64Encode(world.alice.signet.bytes)}]\r\n`);
    }
    expect((await s.handleLine(`SGNT <${ALICE}> [${world.org.fingerprints.full}]`)).reply).toBe('450 SIGNET NOT FOUND.\r\n');
    expect((await s.handleLine('SGNT <bob@example.test>')).reply).toBe('450 SIGNET NOT FOUND.\r\n');
  });

  it('VRFY: CURRENT, UPDATE [FULL] or 450', async () => {
    const s = session();
    expect((await s.handleLine(`VRFY <${ALICE}> [${world.aliceRotated.fingerprints.crypto}]`)).reply).toBe('250 CURRENT\r\n');
    expect((await s.handleLine(`VRFY <${ALICE}> [${world.alice.fingerprints.id}]`)).reply).toBe(`250 UPDATE [${world.aliceRotated.fingerprints.full}]\r\n`);
    expect((await s.handleLine(`VRFY <${ALICE}> [${world.org.fingerprints.id}]`)).reply).toBe('450 SIGNET NOT FOUND.\r\n');
  });

  it('HIST: 250- lines of [B64] then 250 OK; 501 for an org name', async () => {
    const s = session();
    expect((await s.handleLine(`HIST <${ALICE}> [${world.alice.fingerprints.full}]`)).reply).toBe(
      `250-[${base64Encode(world.alice.signet.bytes)}]\r\n250-[${base64Encode(world.aliceRotated.signet.bytes)}]\r\n250 OK\r\n`
    );
    expect((await s.handleLine(`HIST <${ALICE}> [${world.aliceRotated.fingerprints.full}] [${world.alice.fingerprints.full}]`)).reply).toBe('450 SIGNET NOT FOUND.\r\n');
    expect((await s.handleLine(`HIST USER=<${DOMAIN}>`)).reply).toBe('501 INVALID HIST PARAMETER.\r\n');
  });

  it('EHLO, MODE, NOOP, RSET, HELP, QUIT and unknown commands', async () => {
    const s = session();
    expect((await s.handleLine('EHLO <origin.example>')).reply).toBe(`250-<${DX_HOST}>\r\n250-SGNT\r\n250-VRFY\r\n250-HIST\r\n250 OK\r\n`);
    expect((await s.handleLine('MODE')).reply).toBe('200 OK DMTPv1\r\n');
    expect((await s.handleLine('NOOP')).reply).toBe('250 OK\r\n');
    expect((await s.handleLine('RSET')).reply).toBe('250 OK\r\n');
    expect((await s.handleLine('HELP')).reply).toBe('214-AVAILABLE COMMANDS: SGNT VRFY HIST EHLO MODE NOOP RSET HELP QUIT\r\n214 OK\r\n');
    expect((await s.handleLine('HELP HIST')).reply).toBe('214-HIST <ADDRESS> [START] [END]\r\n214 OK\r\n');
    expect((await s.handleLine('DATA')).reply).toBe('500 INVALID COMMAND\r\n');
    expect((await s.handleLine('STARTTLS <dx.example.test> MODE=DMTPv1')).reply).toBe('454 SESSION IS ALREADY ENCRYPTED.\r\n');
    expect(await s.handleLine('QUIT')).toEqual({ reply: '221 BYE\r\n', action: 'close' });
    expect(s.isClosed).toBe(true);
    expect(await s.handleLine('NOOP')).toEqual({ reply: '', action: 'close' });
  });

  it('dual mode: signet commands need STARTTLS first', async () => {
    const s = session({ dual: true });
    expect((await s.handleLine(`SGNT <${DOMAIN}>`)).reply).toBe('503 DMTP COMMAND REQUIRES STARTTLS FIRST.\r\n');
    expect((await s.handleLine('MODE')).reply).toBe('200 OK DMTPv1\r\n');
    expect(await s.handleLine('STARTTLS <mx.example.test> MODE=DMTPv1')).toEqual({ reply: '220 READY\r\n', action: 'starttls' });
    expect(s.tlsStarted()).toBe('250 OK DMTPv1\r\n');
    expect((await s.handleLine(`SGNT <${DOMAIN}>`)).reply).toBe(`250 OK [${base64Encode(world.org.signet.bytes)}]\r\n`);
  });

  it('counts violations and ends with 421 at the limit', async () => {
    const s = session({ maxViolations: 3 });
    expect((await s.handleLine('BOGUS')).reply).toBe('500 INVALID COMMAND\r\n');
    expect(s.handleOverflow().reply).toBe('500 LINE TOO LONG.\r\n');
    expect(await s.handleLine('SGNT')).toEqual({ reply: `421 <${DX_HOST}> TOO MANY INVALID COMMANDS, CLOSING.\r\n`, action: 'close' });
    expect(s.violations).toBe(3);
  });

  it('a line holding a NUL is an invalid command', async () => {
    const s = session();
    expect((await s.handleLine({ kind: 'line', text: 'NO\0OP', hasNul: true })).reply).toBe('500 INVALID COMMAND\r\n');
  });

  it('a failing store gives 451 and the session goes on', async () => {
    const s = new DmtpSession({
      hostname: DX_HOST,
      store: { lookup: () => Promise.reject(new Error('disk gone')), verify: () => ({ status: 'unknown' }), history: () => undefined },
    });
    expect((await s.handleLine(`SGNT <${DOMAIN}>`)).reply).toBe('451 INTERNAL SERVER ERROR.\r\n');
    expect((await s.handleLine('NOOP')).reply).toBe('250 OK\r\n');
  });
});

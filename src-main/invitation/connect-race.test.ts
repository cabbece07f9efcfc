/**
 * The helper's racing Connect against a real requester: an invitation listener on loopback TCP
 * that also hosts its pairing on a real relay. The point under test: one Connect spends at most
 * one password attempt, whatever ways are open, and it falls back only when nothing was charged.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../src-shared/contract/errors';
import { startInvitationListener } from '../link/invitation-listener';
import { recordingLog, testChannelSchemas, testInvitationId } from '../link/link-test-helpers';
import { hostInvitationOnRelay } from '../relay/relay-invitation-host';
import { newPairingId } from '../relay/relay-protocol';
import { startTestRelay } from '../relay/relay-test-helpers';
import { connectRacing, spentNothing, type RaceConnectOptions } from './connect-race';

const PASSWORD = 'race-password-123';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A requester: listener on 127.0.0.1, hosted on a fresh relay under a fresh pairing id. */
async function requester(opts: { relay?: boolean } = {}) {
  const invitationId = testInvitationId();
  const listener = await startInvitationListener({
    invitationId,
    password: PASSWORD,
    requesterName: 'Ana',
    expiresAt: Date.now() + 60_000,
    channelSchemas: testChannelSchemas,
    logger: () => {},
    host: '127.0.0.1',
    handshakeTimeoutMs: 3000,
  });
  cleanups.push(() => listener.close());
  const wrong: number[] = [];
  listener.on('wrong-password', ({ attemptsLeft }) => wrong.push(attemptsLeft));
  let relay: RaceConnectOptions['relay'] = null;
  let stopHost = async () => {};
  if (opts.relay !== false) {
    const { relay: server } = await startTestRelay();
    cleanups.push(() => server.close());
    const pairingId = newPairingId();
    let waiting!: () => void;
    const registered = new Promise<void>((r) => (waiting = r));
    const host = hostInvitationOnRelay(listener, { url: server.url, pairingId, logger: () => {}, retryDelayMs: 50, onStatus: (s) => s.state === 'waiting' && waiting() });
    cleanups.push(() => host.stop());
    stopHost = () => host.stop();
    await registered;
    relay = { url: server.url, pairingId };
  }
  return { listener, invitationId, relay, wrong, stopHost };
}

function helper(r: { invitationId: string; relay: RaceConnectOptions['relay'] }, over: Partial<RaceConnectOptions> = {}): RaceConnectOptions {
  return {
    candidates: [],
    relay: r.relay,
    invitationId: r.invitationId,
    password: PASSWORD,
    helperName: 'Bruno',
    requesterName: 'Ana',
    channelSchemas: testChannelSchemas,
    logger: recordingLog().log,
    handshakeTimeoutMs: 3000,
    connectTimeoutMs: 2000,
    relayTimeoutMs: 3000,
    ...over,
  };
}

async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (isAppError(e)) return e;
  throw new Error(`expected an AppError, got ${String(e)}`);
}

/** A TCP port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A TCP server that is not Remote Assist: it greets every connection with `banner`. */
async function otherService(banner: string): Promise<number> {
  const s = net.createServer((c) => {
    c.on('error', () => {});
    c.resume(); // read (and ignore) what comes, so the client's close is seen
    c.end(banner);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
  return (s.address() as net.AddressInfo).port;
}

describe('racing Connect (direct candidates and the relay in parallel)', () => {
  it('with both ways open, each wrong-password Connect spends exactly one attempt; the right one links directly', async () => {
    const r = await requester();
    const direct = [{ host: '127.0.0.1', port: r.listener.port }];
    for (const expectedLeft of [4, 3]) {
      const e = await appError(connectRacing(helper(r, { candidates: direct, password: 'not-the-password' })));
      expect(e.code).toBe('wrong-password');
      expect(e.details?.attemptsLeft).toBe(expectedLeft);
      expect(r.listener.attemptsLeft).toBe(expectedLeft);
    }
    // The listener reports the spent attempt once the helper hung up, a moment after the helper knows.
    await expect.poll(() => r.wrong).toEqual([4, 3]);
    const ok = await connectRacing(helper(r, { candidates: direct }));
    cleanups.push(() => ok.link.close());
    expect(ok.via).toBe('direct');
    expect(ok.peerAddress).toBe(`127.0.0.1:${r.listener.port}`);
    expect(r.listener.attemptsLeft).toBe(3);
    expect(r.listener.state).toBe('used');
  });

  it('uses the relay when no direct address answers, and the link says "via relay"', async () => {
    const r = await requester();
    const ok = await connectRacing(helper(r, { candidates: [{ host: '127.0.0.1', port: await closedPort() }] }));
    cleanups.push(() => ok.link.close());
    expect(ok.via).toBe('relay');
    expect(ok.peerAddress).toBe(`via relay ${r.relay!.url.replace(/\/$/, '')}`);
    expect(r.listener.attemptsLeft).toBe(5);
  });

  it('a wrong password through the relay also spends exactly one attempt', async () => {
    const r = await requester();
    const e = await appError(connectRacing(helper(r, { password: 'wrong-again', candidates: [{ host: '127.0.0.1', port: await closedPort() }] })));
    expect(e.code).toBe('wrong-password');
    expect(r.listener.attemptsLeft).toBe(4);
    await expect.poll(() => r.wrong).toEqual([4]);
  });

  it('falls back to the relay, charging nothing, when a direct address is another program', async () => {
    const r = await requester();
    const port = await otherService('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    const ok = await connectRacing(helper(r, { candidates: [{ host: '127.0.0.1', port }], relayGraceMs: 2000 }));
    cleanups.push(() => ok.link.close());
    expect(ok.via).toBe('relay');
    expect(r.listener.attemptsLeft).toBe(5);
  });

  it('falls back to the relay, charging nothing, when a direct address is another invitation\'s listener', async () => {
    const r = await requester();
    // The requester's old address and port now belong to someone else's invitation.
    const other = await startInvitationListener({ invitationId: testInvitationId(), password: 'other-password', requesterName: 'Eve', expiresAt: Date.now() + 60_000, channelSchemas: testChannelSchemas, logger: () => {}, host: '127.0.0.1' });
    cleanups.push(() => other.close());
    const ok = await connectRacing(helper(r, { candidates: [{ host: '127.0.0.1', port: other.port }], relayGraceMs: 2000 }));
    cleanups.push(() => ok.link.close());
    expect(ok.via).toBe('relay');
    expect(r.listener.attemptsLeft).toBe(5);
    expect(other.attemptsLeft).toBe(5);
  });

  it('a direct address that is another program, with no relay: a clear error, nothing charged', async () => {
    const r = await requester({ relay: false });
    const port = await otherService('HTTP/1.1 400 Bad Request\r\n\r\n');
    const e = await appError(connectRacing(helper(r, { candidates: [{ host: '127.0.0.1', port }] })));
    expect(e.code).toBe('unavailable');
    expect(spentNothing(e)).toBe(true);
    expect(e.message).toMatch(/did not answer like a Remote Assist invitation/);
  });

  it('when no way works, says what failed on each', async () => {
    const r = await requester();
    // The requester cancelled: nobody waits at the relay any more.
    await r.stopHost();
    await r.listener.close();
    const e = await appError(connectRacing(helper(r, { candidates: [{ host: '127.0.0.1', port: await closedPort() }], relayTimeoutMs: 1200 })));
    expect(e.code).toBe('unreachable');
    expect(e.message).toMatch(/Could not reach Ana's computer at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Through the relay it did not work either: Nobody is waiting at the relay/);
  });

  it('refuses bad local input before opening anything', async () => {
    const r = await requester({ relay: false });
    expect((await appError(connectRacing(helper(r, { helperName: ' ' })))).code).toBe('invalid-input');
    expect((await appError(connectRacing(helper(r, { candidates: [], relay: null })))).message).toMatch(/no address and no relay/);
  });
});

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../src-shared/contract/errors';
import { CHANNELS } from '../../src-shared/protocol/channels';
import { connectToInvitation, type ConnectOptions } from './invitation-connector';
import { startInvitationListener, type InvitationListener, type InvitationListenerOptions } from './invitation-listener';
import { runInitiatorHandshake } from './handshake-initiator';
import type { PeerLink } from './link-types';
import { nextEvent, recordingLog, sleep, testChannelSchemas, testInvitationId } from './link-test-helpers';

const PASSWORD = 'correct horse battery';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(over: Partial<InvitationListenerOptions> = {}) {
  const logs = recordingLog();
  const listener = await startInvitationListener({
    invitationId: testInvitationId(),
    password: PASSWORD,
    requesterName: 'Ana',
    expiresAt: Date.now() + 60_000,
    channelSchemas: testChannelSchemas,
    logger: logs.log,
    host: '127.0.0.1',
    handshakeTimeoutMs: 3000,
    ...over,
  });
  cleanups.push(() => listener.close());
  return { listener, logs };
}

function connectOpts(listener: InvitationListener, invitationId: string, over: Partial<ConnectOptions> = {}): ConnectOptions {
  return {
    candidates: [{ host: '127.0.0.1', port: listener.port }],
    invitationId,
    password: PASSWORD,
    helperName: 'Bruno',
    requesterName: 'Ana',
    channelSchemas: testChannelSchemas,
    logger: () => {},
    handshakeTimeoutMs: 3000,
    ...over,
  };
}

async function expectAppError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

function track(link: PeerLink) {
  cleanups.push(() => link.close());
  return link;
}

const sampleHeaders = {
  control: { kind: 'input', x: 0.5 },
  chat: { text: 'hello' },
  files: { id: 'f1', seq: 3 },
  signal: { sdp: 'v=0' },
} as const;

describe('invitation handshake over real TCP', () => {
  it('links with the right password; messages flow on all channels both ways; bad headers are dropped and logged', async () => {
    const invitationId = testInvitationId();
    const { listener, logs } = await listen({ invitationId });
    const linked = nextEvent(listener, 'linked');
    const { link: helperLink, requesterName, peerAddress } = await connectToInvitation(connectOpts(listener, invitationId));
    const ev = await linked;
    track(helperLink);
    track(ev.link);
    expect(requesterName).toBe('Ana');
    expect(ev.helperName).toBe('Bruno');
    expect(helperLink.peerName).toBe('Ana');
    expect(helperLink.localName).toBe('Bruno');
    expect(ev.link.peerName).toBe('Bruno');
    expect(ev.link.localName).toBe('Ana');
    expect(peerAddress).toBe(`127.0.0.1:${listener.port}`);
    expect(ev.peerAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(listener.state).toBe('used');
    expect(listener.attemptsLeft).toBe(5); // the successful attempt was refunded

    for (const [from, to] of [
      [helperLink, ev.link],
      [ev.link, helperLink],
    ] as const) {
      for (const ch of CHANNELS) {
        const got = new Promise<[unknown, Uint8Array | undefined]>((r) => to.channel(ch).onMessage((h, b) => r([h, b])));
        from.channel(ch).send(sampleHeaders[ch], ch === 'files' ? new Uint8Array([1, 2, 3]) : undefined);
        const [h, b] = await got;
        expect(h).toEqual(sampleHeaders[ch]);
        expect(b ? [...b] : undefined).toEqual(ch === 'files' ? [1, 2, 3] : undefined);
      }
    }

    // A header that fails the chat schema is dropped and logged; the next good one still arrives.
    const received: unknown[] = [];
    ev.link.channel('chat').onMessage((h) => received.push(h));
    helperLink.channel('chat').send({ text: 42 });
    helperLink.channel('chat').send({ text: 'still here' });
    await vi_waitFor(() => received.length >= 1);
    await sleep(20);
    expect(received).toEqual([{ text: 'still here' }]);
    expect(logs.entries.some((e) => e.message.includes('failed its schema') && e.fields?.channel === 'chat')).toBe(true);
    expect(ev.link.closed).toBe(false);

    // A clean close is reported as such on the other side.
    const closed = new Promise((r) => ev.link.onClose(r));
    helperLink.close('Helper is done.');
    expect(await closed).toEqual({ reason: 'closed-by-peer', message: 'Helper is done.' });
  });

  it('counts wrong passwords down 4, 3, 2, 1 and then locks, even for the right password', async () => {
    const invitationId = testInvitationId();
    const { listener } = await listen({ invitationId });
    const wrongEvents: number[] = [];
    listener.on('wrong-password', (e) => wrongEvents.push(e.attemptsLeft));
    const locked = nextEvent(listener, 'locked');
    const seen: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const err = await expectAppError(connectToInvitation(connectOpts(listener, invitationId, { password: 'wrong' })));
      expect(err.code).toBe('wrong-password');
      expect(err.message).toMatch(/^The password is not correct\. \d attempts? left\.$/);
      seen.push(err.details?.attemptsLeft as number);
    }
    expect(seen).toEqual([4, 3, 2, 1]);
    expect(listener.attemptsLeft).toBe(1);
    const fifth = await expectAppError(connectToInvitation(connectOpts(listener, invitationId, { password: 'wrong' })));
    expect(fifth.code).toBe('locked');
    expect(fifth.message).toBe('Too many wrong passwords were tried; ask for a new invitation.');
    await locked;
    expect(listener.state).toBe('locked');
    await vi_waitFor(() => wrongEvents.length === 5);
    expect(wrongEvents).toEqual([4, 3, 2, 1, 0]);
    // The sixth try, with the RIGHT password: the port is closed, or a refusal says "locked".
    const sixth = await expectAppError(connectToInvitation(connectOpts(listener, invitationId)));
    expect(['locked', 'unreachable']).toContain(sixth.code);
  });

  it('a locked invitation refuses a connection that was already open, with "locked", even with the right password', async () => {
    const invitationId = testInvitationId();
    const { listener } = await listen({ invitationId, maxAttempts: 1 });
    const early = net.connect(listener.port, '127.0.0.1');
    cleanups.push(() => early.destroy());
    await new Promise((r) => early.once('connect', r));
    const wrong = await expectAppError(connectToInvitation(connectOpts(listener, invitationId, { password: 'nope' })));
    expect(wrong.code).toBe('locked');
    await expect(runInitiatorHandshake(early, { invitationId, password: PASSWORD, helperName: 'Bruno', timeoutMs: 3000 })).rejects.toMatchObject({
      reason: 'refused',
      extra: { refusal: { reason: 'locked' } },
    });
  });

  it('parallel wrong attempts share one budget', async () => {
    const invitationId = testInvitationId();
    const { listener } = await listen({ invitationId, maxAttempts: 5 });
    let charged = 0;
    listener.on('wrong-password', () => charged++);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => connectToInvitation(connectOpts(listener, invitationId, { password: 'wrong' }))));
    const errors = results.map((r) => {
      if (r.status !== 'rejected' || !isAppError(r.reason)) throw new Error('every attempt must fail with an AppError');
      return r.reason;
    });
    // Five attempts were charged, in some order, and told 4, 3, 2, 1 and 0 (= locked); the rest were turned away.
    const left = errors.filter((e) => e.code === 'wrong-password').map((e) => e.details?.attemptsLeft as number);
    expect(left.sort()).toEqual([1, 2, 3, 4]);
    expect(errors.filter((e) => e.code === 'locked').length).toBeGreaterThanOrEqual(1);
    for (const e of errors) expect(['wrong-password', 'locked', 'unavailable', 'unreachable']).toContain(e.code);
    await vi_waitFor(() => listener.state === 'locked');
    expect(charged).toBe(5);
    expect(listener.attemptsLeft).toBe(0);
  });

  it('a used invitation turns away a second helper', async () => {
    const invitationId = testInvitationId();
    const { listener } = await listen({ invitationId });
    // A second helper whose TCP connection sneaked in before the first one finished.
    const sneaky = net.connect(listener.port, '127.0.0.1');
    cleanups.push(() => sneaky.destroy());
    await new Promise((r) => sneaky.once('connect', r));
    const first = await connectToInvitation(connectOpts(listener, invitationId));
    track(first.link);
    await expect(runInitiatorHandshake(sneaky, { invitationId, password: PASSWORD, helperName: 'Eve', timeoutMs: 3000 })).rejects.toMatchObject({
      reason: 'refused',
      extra: { refusal: { reason: 'used' } },
    });
    // A helper arriving afterwards finds the port closed (the listener stops accepting once used).
    const late = await expectAppError(connectToInvitation(connectOpts(listener, invitationId, { connectTimeoutMs: 2000 })));
    expect(['unreachable', 'refused']).toContain(late.code);
    expect(first.link.closed).toBe(false);
  });

  it('refuses an expired invitation with "expired" and the time', async () => {
    const invitationId = testInvitationId();
    const expiresAt = Date.now() - 1000;
    const { listener } = await listen({ invitationId, expiresAt });
    const err = await expectAppError(connectToInvitation(connectOpts(listener, invitationId)));
    expect(err.code).toBe('expired');
    expect(err.details?.expiresAt).toBe(expiresAt);
    expect(err.message).toMatch(/^The invitation expired on .+\. Ask for a new invitation\.$/);
    expect(listener.state).toBe('expired');
  });

  it('by default listens on all interfaces, dual-stack where IPv6 exists', async () => {
    const invitationId = testInvitationId();
    const { listener } = await listen({ invitationId, host: undefined });
    const res = await connectToInvitation(connectOpts(listener, invitationId));
    track(res.link);
    expect(res.requesterName).toBe('Ana');
  });

  it('expires by itself: emits "expired", then refuses latecomers with "expired"', async () => {
    const invitationId = testInvitationId();
    const { listener } = await listen({ invitationId, expiresAt: new Date(Date.now() + 300) });
    // On a loaded machine starting the listener can take longer than 300 ms: then it has already
    // expired (and emitted) before anyone could listen for the event.
    if (listener.state !== 'expired') await nextEvent(listener, 'expired');
    expect(listener.state).toBe('expired');
    const err = await expectAppError(connectToInvitation(connectOpts(listener, invitationId)));
    expect(err.code).toBe('expired');
  });

  it('an unknown invitation id is refused with a message saying so', async () => {
    const { listener } = await listen();
    const err = await expectAppError(connectToInvitation(connectOpts(listener, testInvitationId())));
    expect(err.code).toBe('refused');
    expect(err.details?.refusal).toBe('unknown-invitation');
    expect(err.message).toContain("Ana's computer has no open invitation");
  });

  it('a cancelled invitation is unreachable, quickly, with an actionable message', async () => {
    const invitationId = testInvitationId();
    const { listener } = await listen({ invitationId });
    const port = listener.port;
    await listener.close();
    expect(listener.state).toBe('closed');
    const t0 = Date.now();
    const err = await expectAppError(connectToInvitation(connectOpts(listener, invitationId, { candidates: [{ host: '127.0.0.1', port }] })));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain(`Could not reach Ana's computer at 127.0.0.1:${port}`);
    expect(err.message).toContain(`a firewall may block port ${port}`);
  });

  it('tries candidates in parallel: a dead first candidate does not stop the second', async () => {
    const invitationId = testInvitationId();
    const { listener } = await listen({ invitationId });
    const dead = net.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as net.AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const res = await connectToInvitation(
      connectOpts(listener, invitationId, {
        candidates: [
          { host: '127.0.0.1', port: deadPort },
          { host: '127.0.0.1', port: listener.port },
        ],
      }),
    );
    track(res.link);
    expect(res.requesterName).toBe('Ana');
  });

  it('closes on garbage before the handshake and reports it', async () => {
    const { listener } = await listen();
    const failed = nextEvent(listener, 'handshake-failed');
    const s = net.connect(listener.port, '127.0.0.1');
    cleanups.push(() => s.destroy());
    s.on('error', () => {});
    s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const closed = new Promise((r) => s.once('close', r));
    const ev = await failed;
    expect(ev.reason).toBe('protocol-error');
    await closed;
    expect(listener.state).toBe('open');
    expect(listener.attemptsLeft).toBe(5);
  });

  it('cuts off a slow-loris handshake at the deadline', async () => {
    const { listener } = await listen({ handshakeTimeoutMs: 400 });
    const failed = nextEvent(listener, 'handshake-failed');
    const s = net.connect(listener.port, '127.0.0.1');
    cleanups.push(() => s.destroy());
    s.on('error', () => {});
    await new Promise((r) => s.once('connect', r));
    const closed = new Promise((r) => s.once('close', r));
    const header = Buffer.from([0, 0, 0, 200, 0x7b]); // a 200-byte message, dribbled out
    let i = 0;
    const dribble = setInterval(() => (i < header.length ? s.write(header.subarray(i, ++i)) : s.write('a')), 100);
    cleanups.push(() => clearInterval(dribble));
    const t0 = Date.now();
    const ev = await failed;
    await closed;
    expect(ev.reason).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('limits concurrent pending handshakes per address', async () => {
    const { listener } = await listen({ maxPendingPerAddress: 2, handshakeTimeoutMs: 2000 });
    const idle = Array.from({ length: 2 }, () => net.connect(listener.port, '127.0.0.1'));
    for (const s of idle) {
      s.on('error', () => {});
      cleanups.push(() => s.destroy());
      await new Promise((r) => s.once('connect', r));
    }
    await sleep(50);
    const third = net.connect(listener.port, '127.0.0.1');
    cleanups.push(() => third.destroy());
    await expect(runInitiatorHandshake(third, { invitationId: testInvitationId(), password: 'x', helperName: 'Eve', timeoutMs: 2000 })).rejects.toMatchObject({
      reason: 'refused',
      extra: { refusal: { reason: 'busy' } },
    });
  });
});

/** Polls `cond` until true (fails the test after 5 s). */
async function vi_waitFor(cond: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

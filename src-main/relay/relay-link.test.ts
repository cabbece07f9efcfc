import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../src-shared/contract/errors';
import { CHANNELS } from '../../src-shared/protocol/channels';
import { connectToInvitation, connectToInvitationOver } from '../link/invitation-connector';
import { acceptInvitationOver, startInvitationListener, type InvitationListenerOptions } from '../link/invitation-listener';
import { nextEvent, recordingLog, testChannelSchemas, testInvitationId } from '../link/link-test-helpers';
import type { PeerLink } from '../link/link-types';
import { openRelayStream } from './relay-client';
import { hostInvitationOnRelay, type RelayHostStatus } from './relay-invitation-host';
import { newPairingId } from './relay-protocol';
import { startTestRelay } from './relay-test-helpers';

const PASSWORD = 'relay link password';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(over: Partial<InvitationListenerOptions> = {}) {
  const logs = recordingLog();
  const invitationId = testInvitationId();
  const listener = await startInvitationListener({
    invitationId,
    password: PASSWORD,
    requesterName: 'Ana',
    expiresAt: Date.now() + 60_000,
    channelSchemas: testChannelSchemas,
    logger: logs.log,
    host: '127.0.0.1',
    handshakeTimeoutMs: 5000,
    ...over,
  });
  cleanups.push(() => listener.close());
  return { listener, invitationId, logs };
}

/** The helper's side: join the pairing through the relay, then the ordinary handshake over it. */
async function helperViaRelay(url: string, pairingId: string, invitationId: string, password = PASSWORD) {
  const stream = await openRelayStream({ url, pairingId, role: 'join', timeoutMs: 5000 });
  return connectToInvitationOver(stream, {
    peerAddress: stream.peerAddress,
    invitationId,
    password,
    helperName: 'Bruno',
    requesterName: 'Ana',
    channelSchemas: testChannelSchemas,
    logger: () => {},
    handshakeTimeoutMs: 5000,
  });
}

async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (isAppError(e)) return e;
  throw new Error(`expected an AppError, got ${String(e)}`);
}

const sampleHeaders = { control: { kind: 'input', x: 0.25 }, chat: { text: 'over the relay' }, files: { id: 'f1', seq: 0 }, signal: { sdp: 'v=0' } } as const;

describe('invitation link over the relay', () => {
  it('runs the full handshake and SecureLink with both ends connected only to the relay; all channels work both ways', async () => {
    const { relay } = await startTestRelay();
    cleanups.push(() => relay.close());
    const { listener, invitationId } = await listen();
    const pairingId = newPairingId();

    // Requester: host the pairing and hand the stream to the invitation's listener.
    let waiting!: () => void;
    const registered = new Promise<void>((r) => (waiting = r));
    const requesterStream = openRelayStream({ url: relay.url, pairingId, role: 'host', timeoutMs: 10_000, onWaiting: () => waiting() });
    await registered;
    const linked = nextEvent(listener, 'linked');
    const attempt = nextEvent(listener, 'attempt');
    const helperSide = helperViaRelay(relay.url, pairingId, invitationId);
    const stream = await requesterStream;
    void acceptInvitationOver(listener, stream, stream.peerAddress);

    const { link: helper, requesterName, peerAddress } = await helperSide;
    const ev = await linked;
    const requester: PeerLink = ev.link;
    cleanups.push(
      () => helper.close(),
      () => requester.close(),
    );
    const relayAddress = `via relay ws://127.0.0.1:${relay.port}`;
    expect(requesterName).toBe('Ana');
    expect(peerAddress).toBe(relayAddress);
    expect(ev.helperName).toBe('Bruno');
    expect(ev.peerAddress).toBe(relayAddress);
    expect((await attempt).peerAddress).toBe(relayAddress); // the audit log's "connection attempted"
    expect(listener.state).toBe('used');
    expect(listener.attemptsLeft).toBe(5);

    for (const [from, to] of [
      [helper, requester],
      [requester, helper],
    ] as const) {
      for (const ch of CHANNELS) {
        const got = new Promise<[unknown, Uint8Array | undefined]>((r) => to.channel(ch).onMessage((h, b) => r([h, b])));
        from.channel(ch).send(sampleHeaders[ch], ch === 'files' ? new Uint8Array([9, 8, 7]) : undefined);
        const [h, b] = await got;
        expect(h).toEqual(sampleHeaders[ch]);
        expect(b ? [...b] : undefined).toEqual(ch === 'files' ? [9, 8, 7] : undefined);
      }
    }

    // File-sized traffic: 8 MiB of 512 KiB chunks with flow control, intact and in order.
    const chunks = Array.from({ length: 16 }, () => randomBytes(512 * 1024));
    const received: Buffer[] = [];
    const allIn = new Promise<void>((resolve) =>
      requester.channel('files').onMessage((_h, b) => {
        received.push(Buffer.from(b!));
        if (received.length === chunks.length) resolve();
      }),
    );
    for (let i = 0; i < chunks.length; i++) {
      if (!helper.channel('files').send({ id: 'big', seq: i }, chunks[i])) await new Promise<void>((r) => helper.channel('files').onDrain(r));
    }
    await allIn;
    expect(Buffer.concat(received).equals(Buffer.concat(chunks))).toBe(true);

    // A goodbye crosses the relay like any other sealed frame.
    const closed = new Promise((r) => requester.onClose(r));
    helper.close('Done, thanks.');
    expect(await closed).toEqual({ reason: 'closed-by-peer', message: 'Done, thanks.' });
  });

  it('shares one wrong-password budget between relayed and direct attempts, and one "used" outcome', async () => {
    const { relay } = await startTestRelay();
    cleanups.push(() => relay.close());
    const { listener, invitationId } = await listen();
    const pairingId = newPairingId();
    const statuses: RelayHostStatus['state'][] = [];
    let onWaiting: (() => void) | null = null;
    const host = hostInvitationOnRelay(listener, {
      url: relay.url,
      pairingId,
      logger: () => {},
      onStatus: (s) => {
        statuses.push(s.state);
        if (s.state === 'waiting') onWaiting?.();
      },
    });
    cleanups.push(() => host.stop());
    const hostWaiting = () => new Promise<void>((r) => (relay.health().waiting === 1 ? r() : (onWaiting = r)));

    await hostWaiting();
    const viaRelay = await appError(helperViaRelay(relay.url, pairingId, invitationId, 'wrong one'));
    expect(viaRelay.code).toBe('wrong-password');
    expect(viaRelay.details?.attemptsLeft).toBe(4);

    const direct = await appError(
      connectToInvitation({
        candidates: [{ host: '127.0.0.1', port: listener.port }],
        invitationId,
        password: 'wrong two',
        helperName: 'Eve',
        channelSchemas: testChannelSchemas,
        logger: () => {},
      }),
    );
    expect(direct.details?.attemptsLeft).toBe(3);

    await hostWaiting(); // the relay host registered again after the failed attempt
    const again = await appError(helperViaRelay(relay.url, pairingId, invitationId, 'wrong three'));
    expect(again.details?.attemptsLeft).toBe(2);
    expect(listener.attemptsLeft).toBe(2);

    await hostWaiting();
    const { link } = await helperViaRelay(relay.url, pairingId, invitationId);
    cleanups.push(() => link.close());
    expect(listener.state).toBe('used');
    await expect.poll(() => statuses.at(-1)).toBe('stopped');
    expect(relay.health().waiting).toBe(0);

    // Used is used, whichever way the next helper comes.
    const late = await appError(
      connectToInvitation({
        candidates: [{ host: '127.0.0.1', port: listener.port }],
        invitationId,
        password: PASSWORD,
        helperName: 'Late',
        channelSchemas: testChannelSchemas,
        logger: () => {},
        connectTimeoutMs: 1000,
      }),
    );
    expect(['refused', 'unreachable']).toContain(late.code);
    const lateRelay = await appError(helperViaRelay(relay.url, pairingId, invitationId));
    expect(lateRelay.code).toBe('conflict'); // the session itself holds the pairing
    link.close();
    await expect.poll(() => relay.health().connections).toBe(0);
    const afterSession = await appError(helperViaRelay(relay.url, pairingId, invitationId));
    expect(afterSession.code).toBe('not-found'); // and nobody hosts it any more
  });

  it('a relay-enforced limit ends the link with a sentence that says so', async () => {
    const { relay } = await startTestRelay({ limits: { pairMaxBytes: 256 * 1024 } });
    cleanups.push(() => relay.close());
    const { listener, invitationId } = await listen();
    const pairingId = newPairingId();
    const host = hostInvitationOnRelay(listener, { url: relay.url, pairingId, logger: () => {} });
    cleanups.push(() => host.stop());
    await expect.poll(() => relay.health().waiting).toBe(1);
    const linked = nextEvent(listener, 'linked');
    const { link: helper } = await helperViaRelay(relay.url, pairingId, invitationId);
    const { link: requester } = await linked;
    cleanups.push(
      () => helper.close(),
      () => requester.close(),
    );
    const closed = new Promise<{ reason: string; message: string }>((r) => helper.onClose(r));
    helper.channel('files').send({ id: 'f', seq: 0 }, randomBytes(300 * 1024));
    const info = await closed;
    expect(info.reason).toBe('socket-error');
    expect(info.message).toMatch(/^The connection to Ana failed \(the relay's data quota for this connection is used up: the pair used up its data quota\)\.$/);
  });
});

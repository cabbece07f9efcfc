/**
 * A hostile relay: it speaks the relay protocol correctly but flips, replays or drops forwarded
 * messages. The link's ends must notice and close; the relay can deny service, never alter
 * the conversation unnoticed.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { connectToInvitationOver } from '../link/invitation-connector';
import { acceptInvitationOver, startInvitationListener } from '../link/invitation-listener';
import { nextEvent, testChannelSchemas, testInvitationId } from '../link/link-test-helpers';
import type { LinkCloseInfo, PeerLink } from '../link/link-types';
import { openRelayStream } from './relay-client';
import { RelayHello, newPairingId } from './relay-protocol';

type Direction = 'toHost' | 'toJoin';
/** One-shot mutation of the next message in a direction: the messages to forward instead. */
type Mutation = (msg: Buffer) => Buffer[];

/** A minimal relay (same protocol as relay-server.ts) that lets the test mutate forwarded messages. */
async function startTamperingRelay() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const pending = new Map<string, WebSocket>();
  const armed: Record<Direction, Mutation | null> = { toHost: null, toJoin: null };
  const counts: Record<Direction, number> = { toHost: 0, toJoin: 0 };
  const forward = (to: WebSocket, dir: Direction) => (data: Buffer) => {
    counts[dir]++;
    const m = armed[dir];
    armed[dir] = null;
    for (const out of m ? m(data) : [data]) to.send(out, { binary: true });
  };
  wss.on('connection', (ws) => {
    ws.once('message', (raw) => {
      const hello = RelayHello.parse(JSON.parse(String(raw)));
      if (hello.op === 'host') {
        pending.set(hello.pairing, ws);
        ws.send('{"t":"waiting"}');
        return;
      }
      if (hello.op !== 'join') throw new Error(`this test relay only hosts and joins (got ${hello.op})`);
      const host = pending.get(hello.pairing)!;
      pending.delete(hello.pairing);
      host.send('{"t":"paired"}');
      ws.send('{"t":"paired"}');
      host.on('message', forward(ws, 'toJoin'));
      ws.on('message', forward(host, 'toHost'));
      host.on('close', () => ws.close(4000));
      ws.on('close', () => host.close(4000));
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/`,
    armed,
    counts,
    close: () => new Promise<void>((r) => wss.close(() => r())),
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A requester and a helper linked through the tampering relay (nothing altered yet). */
async function linkThrough() {
  const relay = await startTamperingRelay();
  cleanups.push(() => relay.close());
  const invitationId = testInvitationId();
  const listener = await startInvitationListener({
    invitationId,
    password: 'pw',
    requesterName: 'Ana',
    expiresAt: Date.now() + 60_000,
    channelSchemas: testChannelSchemas,
    logger: () => {},
    host: '127.0.0.1',
  });
  cleanups.push(() => listener.close());
  const pairingId = newPairingId();
  let waiting!: () => void;
  const registered = new Promise<void>((r) => (waiting = r));
  const hostStream = openRelayStream({ url: relay.url, pairingId, role: 'host', timeoutMs: 5000, onWaiting: () => waiting() });
  await registered;
  const joinStream = await openRelayStream({ url: relay.url, pairingId, role: 'join', timeoutMs: 5000 });
  const linked = nextEvent(listener, 'linked');
  const hs = await hostStream;
  void acceptInvitationOver(listener, hs, hs.peerAddress);
  const { link: helper } = await connectToInvitationOver(joinStream, {
    peerAddress: joinStream.peerAddress,
    invitationId,
    password: 'pw',
    helperName: 'Bruno',
    channelSchemas: testChannelSchemas,
    logger: () => {},
  });
  const requester: PeerLink = (await linked).link;
  cleanups.push(
    () => helper.close(),
    () => requester.close(),
  );
  const closedInfo = (l: PeerLink) => new Promise<LinkCloseInfo>((r) => l.onClose(r));
  return { relay, helper, requester, helperClosed: closedInfo(helper), requesterClosed: closedInfo(requester) };
}

/** Flips one bit of the last byte: the GCM tag of the last record in the message. */
const flipLastBit: Mutation = (msg) => {
  const out = Buffer.from(msg);
  out[out.length - 1]! ^= 0x01;
  return [out];
};

describe('a relay that tampers with the link', () => {
  it('a flipped bit in each direction: both ends close with "tampered"', async () => {
    const { relay, helper, helperClosed, requesterClosed } = await linkThrough();
    relay.armed.toHost = flipLastBit;
    relay.armed.toJoin = flipLastBit;
    helper.channel('chat').send({ text: 'hello' });
    const [h, r] = await Promise.all([helperClosed, requesterClosed]);
    expect(r.reason).toBe('tampered');
    expect(h.reason).toBe('tampered');
  });

  it('a flipped bit in one direction: the receiver closes with "tampered", the sender is told and closes', async () => {
    const { relay, helper, requester, helperClosed, requesterClosed } = await linkThrough();
    const received: unknown[] = [];
    requester.channel('chat').onMessage((h) => received.push(h));
    relay.armed.toHost = flipLastBit;
    helper.channel('chat').send({ text: 'pay 100' });
    const [h, r] = await Promise.all([helperClosed, requesterClosed]);
    expect(r.reason).toBe('tampered');
    expect(h.reason).toBe('closed-by-peer');
    expect(h.message).toMatch(/^tampered: /);
    expect(received).toEqual([]); // the altered message was never delivered
  });

  it('a replayed record closes the link ("tampered"), and the copy is not delivered twice', async () => {
    const { relay, helper, requester, requesterClosed } = await linkThrough();
    const received: unknown[] = [];
    requester.channel('chat').onMessage((h) => received.push(h));
    relay.armed.toHost = (msg) => [msg, msg];
    helper.channel('chat').send({ text: 'once' });
    expect((await requesterClosed).reason).toBe('tampered');
    expect(received.filter((m) => JSON.stringify(m) === '{"text":"once"}').length).toBeLessThanOrEqual(1);
  });

  it('a dropped record closes the link at the next record ("tampered")', async () => {
    const { relay, helper, requester, requesterClosed } = await linkThrough();
    const received: unknown[] = [];
    requester.channel('chat').onMessage((h) => received.push(h));
    relay.armed.toHost = () => [];
    helper.channel('chat').send({ text: 'dropped' });
    helper.channel('chat').send({ text: 'after the gap' });
    expect((await requesterClosed).reason).toBe('tampered');
    expect(received).toEqual([]);
  });
});

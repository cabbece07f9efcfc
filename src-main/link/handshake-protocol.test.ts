/*
 * The handshake against hand-crafted peers: a hostile helper (bad shares, reflected or forged
 * confirmations, walking away with the share) and a fake requester (identity share, wrong
 * confirmation). Real TCP on 127.0.0.1.
 */
import net, { type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { startCPace } from './cpace';
import { HandshakeDecoder, PROTOCOL, encodeHandshakeMessage, type HandshakeMessage } from './handshake-messages';
import { channelIdentifier, helperAssociatedData, passwordToPrs } from './key-schedule';
import { startInvitationListener } from './invitation-listener';
import { connectToInvitation } from './invitation-connector';
import { nextEvent, recordingLog, testChannelSchemas, testInvitationId } from './link-test-helpers';

const PASSWORD = 'tr0ub4dor&3';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const invitationId = testInvitationId();
  const listener = await startInvitationListener({
    invitationId,
    password: PASSWORD,
    requesterName: 'Ana',
    expiresAt: Date.now() + 60_000,
    channelSchemas: testChannelSchemas,
    logger: recordingLog().log,
    host: '127.0.0.1',
    handshakeTimeoutMs: 1500,
  });
  cleanups.push(() => listener.close());
  return { listener, invitationId };
}

/** A raw handshake client: send messages, receive messages or 'closed'. */
async function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  cleanups.push(() => socket.destroy());
  await new Promise((r) => socket.once('connect', r));
  const decoder = new HandshakeDecoder();
  const inbox: (HandshakeMessage | 'closed')[] = [];
  let wake: (() => void) | null = null;
  socket.on('data', (c: Buffer) => {
    decoder.push(c);
    for (let m = decoder.next(); m; m = decoder.next()) inbox.push(m);
    wake?.();
  });
  socket.on('close', () => {
    inbox.push('closed');
    wake?.();
  });
  return {
    socket,
    send: (m: HandshakeMessage) => socket.write(encodeHandshakeMessage(m)),
    async recv(): Promise<HandshakeMessage | 'closed'> {
      while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
      return inbox.shift()!;
    },
  };
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function hello(invitationId: string, ya: Uint8Array, nonceA: Uint8Array, over: Partial<Record<string, unknown>> = {}): HandshakeMessage {
  return { type: 'hello', proto: PROTOCOL, invitationId, helperName: 'Mallory', nonceA: b64(nonceA), ya: b64(ya), ...over } as HandshakeMessage;
}

function genuineShare(invitationId: string, password = PASSWORD) {
  const nonceA = new Uint8Array(randomBytes(32));
  const cpace = startCPace('initiator', { prs: passwordToPrs(password), ci: channelIdentifier(invitationId), sid: nonceA, ad: helperAssociatedData('Mallory') });
  return { nonceA, ya: cpace.share };
}

describe('hostile helper', () => {
  const invalidShares: Record<string, Uint8Array> = {
    'the identity element': new Uint8Array(32),
    'a non-canonical encoding (p)': Uint8Array.from(Buffer.from('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex')),
    'an invalid encoding': Uint8Array.from(Buffer.from('2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c', 'hex')),
  };
  for (const [what, ya] of Object.entries(invalidShares)) {
    it(`a share that is ${what} is rejected and costs no attempt`, async () => {
      const { listener, invitationId } = await setup();
      const failed = nextEvent(listener, 'handshake-failed');
      const c = await rawClient(listener.port);
      c.send(hello(invitationId, ya, new Uint8Array(randomBytes(32))));
      expect(await c.recv()).toBe('closed'); // no share was sent
      expect((await failed).reason).toBe('bad-share');
      expect(listener.attemptsLeft).toBe(5);
    });
  }

  it('walking away after receiving the share spends the attempt (that is one offline guess)', async () => {
    const { listener, invitationId } = await setup();
    const wrong = nextEvent(listener, 'wrong-password');
    const { nonceA, ya } = genuineShare(invitationId, 'a guess');
    const c = await rawClient(listener.port);
    c.send(hello(invitationId, ya, nonceA));
    const share = await c.recv();
    expect(share).toMatchObject({ type: 'share', requesterName: 'Ana', attemptsLeft: 4 });
    c.socket.destroy();
    expect((await wrong).attemptsLeft).toBe(4);
    expect(listener.attemptsLeft).toBe(4);
    expect(listener.state).toBe('open');
  });

  it('reflecting the requester confirmation back, or a forged one, is refused and charged', async () => {
    const { listener, invitationId } = await setup();
    const events: number[] = [];
    listener.on('wrong-password', (e) => events.push(e.attemptsLeft));
    for (const forge of ['reflect', 'random'] as const) {
      const { nonceA, ya } = genuineShare(invitationId); // even with the right password
      const c = await rawClient(listener.port);
      c.send(hello(invitationId, ya, nonceA));
      const share = await c.recv();
      if (share === 'closed' || share.type !== 'share') throw new Error('expected a share');
      c.send({ type: 'confirm', confirmA: forge === 'reflect' ? share.confirmB : b64(randomBytes(64)) });
      expect(await c.recv()).toBe('closed');
    }
    expect(events).toEqual([4, 3]);
    expect(listener.state).toBe('open');
  });

  it('an incompatible protocol version is refused with a clear reason', async () => {
    const { listener, invitationId } = await setup();
    const { nonceA, ya } = genuineShare(invitationId);
    const c = await rawClient(listener.port);
    c.send(hello(invitationId, ya, nonceA, { proto: 'remote-assist/9' }));
    expect(await c.recv()).toMatchObject({ type: 'refuse', reason: 'incompatible' });
    expect(listener.attemptsLeft).toBe(5);
  });

  it('a helper name with bidi-override characters is refused (it could spoof the consent prompt)', async () => {
    const { listener, invitationId } = await setup();
    const failed = nextEvent(listener, 'handshake-failed');
    const { nonceA, ya } = genuineShare(invitationId);
    const c = await rawClient(listener.port);
    c.send(hello(invitationId, ya, nonceA, { helperName: 'Help\u202Eksed' }));
    expect(await c.recv()).toBe('closed');
    expect((await failed).reason).toBe('protocol-error');
  });

  it('a message out of order is a protocol error', async () => {
    const { listener } = await setup();
    const failed = nextEvent(listener, 'handshake-failed');
    const c = await rawClient(listener.port);
    c.send({ type: 'confirm', confirmA: b64(randomBytes(64)) });
    expect(await c.recv()).toBe('closed');
    expect((await failed).reason).toBe('protocol-error');
  });
});

describe('fake requester', () => {
  async function fakeRequester(reply: (hello: Extract<HandshakeMessage, { type: 'hello' }>) => HandshakeMessage) {
    const server = net.createServer((s: Socket) => {
      s.on('error', () => {});
      const d = new HandshakeDecoder();
      s.on('data', (c: Buffer) => {
        d.push(c);
        const m = d.next();
        if (m?.type === 'hello') s.write(encodeHandshakeMessage(reply(m)));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    return (server.address() as net.AddressInfo).port;
  }
  const connect = (port: number) =>
    connectToInvitation({
      candidates: [{ host: '127.0.0.1', port }],
      invitationId: testInvitationId(),
      password: PASSWORD,
      helperName: 'Bruno',
      channelSchemas: testChannelSchemas,
      logger: () => {},
      handshakeTimeoutMs: 1500,
    }).then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => {
        if (!isAppError(e)) throw e;
        return e;
      },
    );

  it('the helper rejects an identity share from the requester', async () => {
    const port = await fakeRequester(() => ({ type: 'share', requesterName: 'Ana', nonceB: b64(randomBytes(32)), yb: b64(new Uint8Array(32)), attemptsLeft: 4, confirmB: b64(randomBytes(64)) }));
    const err = await connect(port);
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('invalid key share');
  });

  it('the helper cannot be fooled by a requester that does not know the password', async () => {
    const port = await fakeRequester(() => {
      const cp = startCPace('responder', { prs: passwordToPrs('other'), ci: new Uint8Array(), sid: new Uint8Array(32), ad: new Uint8Array() });
      return { type: 'share', requesterName: 'Ana', nonceB: b64(randomBytes(32)), yb: b64(cp.share), attemptsLeft: 2, confirmB: b64(randomBytes(64)) };
    });
    const err = await connect(port);
    expect(err.code).toBe('wrong-password');
    expect(err.details?.attemptsLeft).toBe(2);
  });

  it('a server that is not Remote Assist gets a clear error', async () => {
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      s.resume();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const err = await connect((server.address() as net.AddressInfo).port);
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('did not answer like a Remote Assist invitation');
  });
});

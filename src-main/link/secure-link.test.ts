import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_IDS } from '../../src-shared/protocol/channels';
import { connectToInvitation } from './invitation-connector';
import { startInvitationListener } from './invitation-listener';
import type { LinkLimits } from './link-options';
import type { LinkCloseInfo, PeerLink } from './link-types';
import { FrameSealer } from './record-layer';
import { nextEvent, rawHelper, recordingLog, sleep, testChannelSchemas, testInvitationId, worstEventLoopDelay } from './link-test-helpers';

const PASSWORD = 'pw-for-link-tests';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A requester link whose helper is a raw socket the test controls (authenticated by a real handshake, then hostile). */
async function hostileHelper(linkLimits: Partial<LinkLimits> = {}) {
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
    linkLimits,
  });
  cleanups.push(() => listener.close());
  const linked = nextEvent(listener, 'linked');
  const raw = await rawHelper(listener.port, invitationId, PASSWORD);
  raw.socket.on('error', () => {});
  cleanups.push(() => raw.socket.destroy());
  const { link } = await linked;
  cleanups.push(() => link.close());
  const sealer = new FrameSealer(raw.keys.helperToRequester);
  const frame = (header: object, body?: Uint8Array, channelId: number = CHANNEL_IDS.control) =>
    Buffer.concat(sealer.seal(channelId, Buffer.from(JSON.stringify(header)), body));
  const closed = new Promise<LinkCloseInfo>((r) => link.onClose(r));
  const socketClosed = new Promise<void>((r) => raw.socket.once('close', () => r()));
  return { link, socket: raw.socket, frame, closed, socketClosed, logs };
}

/** Two real links over an invitation handshake. */
async function linkedPair(linkLimits: Partial<LinkLimits> = {}): Promise<{ helper: PeerLink; requester: PeerLink }> {
  const invitationId = testInvitationId();
  const listener = await startInvitationListener({
    invitationId,
    password: PASSWORD,
    requesterName: 'Ana',
    expiresAt: Date.now() + 60_000,
    channelSchemas: testChannelSchemas,
    logger: () => {},
    host: '127.0.0.1',
    linkLimits,
  });
  cleanups.push(() => listener.close());
  const linked = nextEvent(listener, 'linked');
  const res = await connectToInvitation({
    candidates: [{ host: '127.0.0.1', port: listener.port }],
    invitationId,
    password: PASSWORD,
    helperName: 'Bruno',
    channelSchemas: testChannelSchemas,
    logger: () => {},
    linkLimits,
  });
  const requester = (await linked).link;
  cleanups.push(() => res.link.close(), () => requester.close());
  return { helper: res.link, requester };
}

const flipBit = (b: Buffer, index: number, mask = 0x01) => {
  const c = Buffer.from(b);
  c[index]! ^= mask;
  return c;
};

describe('record layer over TCP: tampering ends the link', () => {
  const cases: Record<string, (f: (h: object) => Buffer) => Buffer[]> = {
    replay: (f) => {
      const a = f({ kind: 'input', x: 1 });
      return [a, a];
    },
    reorder: (f) => {
      const a = f({ kind: 'input', x: 1 });
      const b = f({ kind: 'input', x: 2 });
      return [b, a];
    },
    'bit flip in ciphertext': (f) => [flipBit(f({ kind: 'input', x: 1 }), 8)],
    'bit flip in tag': (f) => {
      const a = f({ kind: 'input', x: 1 });
      return [flipBit(a, a.length - 1, 0x80)];
    },
    'bit flip in length': (f) => [flipBit(f({ kind: 'input', x: 1 }), 3), f({ kind: 'input', x: 2 })],
    truncation: (f) => {
      const a = f({ kind: 'input', x: 1 });
      const cut = Buffer.from(a.subarray(0, a.length - 1));
      cut.writeUInt32BE(a.length - 5, 0); // a consistent length for the shortened frame
      return [cut, f({ kind: 'input', x: 2 })];
    },
  };

  for (const [name, make] of Object.entries(cases)) {
    it(`${name} → 'tampered'`, async () => {
      const h = await hostileHelper();
      const delivered: unknown[] = [];
      h.link.channel('control').onMessage((m) => delivered.push(m));
      const good = h.frame({ kind: 'grant' });
      h.socket.write(good);
      for (const bytes of make(h.frame)) h.socket.write(bytes);
      const info = await h.closed;
      expect(info.reason).toBe('tampered');
      // Only genuine, in-order frames were ever delivered.
      expect(delivered[0]).toEqual({ kind: 'grant' });
      if (name === 'replay') expect(delivered).toEqual([{ kind: 'grant' }, { kind: 'input', x: 1 }]);
      else expect(delivered).toEqual([{ kind: 'grant' }]);
      await h.socketClosed;
    });
  }
});

describe('secure link defences', () => {
  it("cuts off a peer announcing a 1 GiB frame at once ('oversized'), without waiting for the body; main stays responsive", async () => {
    const h = await hostileHelper();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1024 ** 3, 0);
    const { result: info, worstMs } = await worstEventLoopDelay(async () => {
      h.socket.write(header); // only the 4 length bytes: the body never comes
      return h.closed;
    });
    expect(info.reason).toBe('oversized');
    expect(worstMs).toBeLessThan(500);
    await h.socketClosed;
  });

  it("cuts off a peer flooding 100 000 tiny frames per second ('flood') without freezing the event loop", async () => {
    const h = await hostileHelper();
    let delivered = 0;
    h.link.channel('control').onMessage(() => delivered++);
    // Pre-seal 10 ms batches of 1000 frames (100 000 frames/s).
    const batches = Array.from({ length: 150 }, () => Buffer.concat(Array.from({ length: 1000 }, () => h.frame({ kind: 'input', x: 0.5 }))));
    let i = 0;
    const pump = setInterval(() => {
      if (i < batches.length && !h.socket.destroyed) h.socket.write(batches[i++]!);
    }, 10);
    cleanups.push(() => clearInterval(pump));
    const { result: info, worstMs } = await worstEventLoopDelay(() => h.closed);
    clearInterval(pump);
    expect(info.reason).toBe('flood');
    expect(delivered).toBeGreaterThan(1000); // legit-looking traffic flowed until the limit
    expect(delivered).toBeLessThan(150_000);
    expect(worstMs).toBeLessThan(1000); // generous: a loaded 2-core machine
  });

  it('drops (and logs) frames on unknown channels and throwing handlers, and keeps working', async () => {
    const h = await hostileHelper();
    const got: unknown[] = [];
    h.link.channel('control').onMessage(() => {
      throw new Error('buggy service');
    });
    h.link.channel('control').onMessage((m) => got.push(m));
    h.socket.write(h.frame({ hello: 1 }, undefined, 9)); // channel 9 does not exist
    h.socket.write(h.frame({ kind: 'revoke' }));
    await waitFor(() => got.length === 1);
    expect(got).toEqual([{ kind: 'revoke' }]);
    expect(h.link.closed).toBe(false);
    const messages = h.logs.entries.map((e) => e.message);
    expect(messages).toContain('link message dropped: unknown channel');
    expect(messages).toContain('a link control message handler threw');
  });

  it('keeps messages that arrive before their channel has a subscriber, in order; drops them once nobody listens', async () => {
    const h = await hostileHelper();
    h.socket.write(Buffer.concat([h.frame({ text: 'one' }, undefined, CHANNEL_IDS.chat), h.frame({ text: 'two' }, undefined, CHANNEL_IDS.chat)]));
    await sleep(100); // delivered to nobody yet
    const got: unknown[] = [];
    const off = h.link.channel('chat').onMessage((m) => got.push(m));
    h.socket.write(h.frame({ text: 'three' }, undefined, CHANNEL_IDS.chat));
    await waitFor(() => got.length === 3);
    expect(got).toEqual([{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
    off();
    h.socket.write(h.frame({ text: 'four' }, undefined, CHANNEL_IDS.chat));
    await waitFor(() => h.logs.entries.some((e) => e.message === 'link message dropped: no handler for this channel'));
    expect(got).toHaveLength(3);
  });

  it("reports a peer that goes silent as 'timeout' (both sides notice link loss)", async () => {
    const h = await hostileHelper({ pingIntervalMs: 50, idleTimeoutMs: 300 });
    const t0 = Date.now();
    const info = await h.closed; // the raw helper never sends pings
    expect(info.reason).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it("reports a killed peer socket as 'socket-error', and a clean close as 'closed-by-peer'", async () => {
    const h = await hostileHelper();
    h.socket.destroy();
    const info = await h.closed;
    expect(info.reason).toBe('socket-error');

    const { helper, requester } = await linkedPair();
    const closes: LinkCloseInfo[] = [];
    requester.onClose((i) => closes.push(i));
    const helperCloses: LinkCloseInfo[] = [];
    helper.onClose((i) => helperCloses.push(i));
    helper.close('Bye for now.');
    helper.close('twice');
    await waitFor(() => closes.length === 1);
    await sleep(50);
    expect(closes).toEqual([{ reason: 'closed-by-peer', message: 'Bye for now.' }]);
    expect(helperCloses).toEqual([{ reason: 'closed-locally', message: 'Bye for now.' }]);
    expect(helper.channel('chat').send({ text: 'late' })).toBe(false);
  });

  it('idle links stay up on keepalives', async () => {
    const { helper, requester } = await linkedPair({ pingIntervalMs: 100, idleTimeoutMs: 1000 });
    await sleep(2500);
    expect(helper.closed).toBe(false);
    expect(requester.closed).toBe(false);
  });

  it('applies backpressure (send → false, then onDrain) and delivers every byte intact', async () => {
    const { helper, requester } = await linkedPair();
    const chunk = 256 * 1024;
    const total = 48;
    const sent = createHash('sha256');
    const received = createHash('sha256');
    let count = 0;
    const done = new Promise<void>((resolve) =>
      requester.channel('files').onMessage((h, body) => {
        expect(h).toEqual({ id: 'f', seq: count });
        received.update(body!);
        if (++count === total) resolve();
      }),
    );
    let sawFalse = false;
    let drains = 0;
    helper.channel('files').onDrain(() => drains++);
    let seq = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (seq < total) {
          const body = Buffer.alloc(chunk, seq & 0xff);
          body.writeUInt32BE(seq, 0);
          sent.update(body);
          const ok = helper.channel('files').send({ id: 'f', seq: seq++ }, body);
          if (!ok) {
            sawFalse = true;
            const off = helper.channel('files').onDrain(() => {
              off();
              pump();
            });
            return;
          }
        }
        resolve();
      };
      pump();
    });
    await done;
    expect(sawFalse).toBe(true);
    expect(drains).toBeGreaterThan(0);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

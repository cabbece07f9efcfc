/**
 * Two relay instances sharing a real redis-server: clients that landed on different instances are
 * paired and their bytes forwarded through Redis pub/sub.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../src-shared/contract/errors';
import { CHANNELS } from '../../../src-shared/protocol/channels';
import { connectToInvitationOver } from '../../link/invitation-connector';
import { acceptInvitationOver, startInvitationListener } from '../../link/invitation-listener';
import { nextEvent, testChannelSchemas, testInvitationId } from '../../link/link-test-helpers';
import { openRelayStream } from '../relay-client';
import { RELAY_CLOSE, newPairingId } from '../relay-protocol';
import { startRelayServer, type RelayServer } from '../relay-server';
import type { RelayLimits } from '../relay-limits';
import { openPair, readBytes, streamOutcome, writeAll } from '../relay-test-helpers';
import { NO_REDIS_REASON, findRedisServer, startTestRedis, type TestRedis } from './redis-test-server';
import { RedisPairingStore } from './redis-pairing-store';
import { parseRedisUrl } from './resp-client';

const haveRedis = findRedisServer() !== null;
if (!haveRedis) console.warn(`[skip] ${NO_REDIS_REASON}`);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (isAppError(e)) return e;
  throw new Error(`expected an AppError, got ${String(e)}`);
}

/** Two relay instances (A, B) on one Redis. */
async function twoInstances(redis: TestRedis, limits: Partial<RelayLimits> = {}): Promise<[RelayServer, RelayServer]> {
  const out: RelayServer[] = [];
  for (let i = 0; i < 2; i++) {
    const store = await RedisPairingStore.connect({ redis: { ...parseRedisUrl(redis.url), reconnectAttempts: 0 } });
    const relay = await startRelayServer({ store, limits });
    cleanups.push(async () => {
      await relay.close();
      await store.close();
    });
    out.push(relay);
  }
  return [out[0]!, out[1]!];
}

describe.skipIf(!haveRedis)('relay instances sharing Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('pairs a host on instance A with a joiner on instance B and forwards 8 MiB each way, byte-identical', async () => {
    const [a, b] = await twoInstances(redis, { pairBytesPerSecond: 1e12 }); // measure the path, not the rate limit
    const { host, join } = await openPair(a.url, b.url);
    cleanups.push(
      () => host.destroy(),
      () => join.destroy(),
    );
    expect(a.health()).toMatchObject({ store: 'redis', storeHealthy: true, paired: 1, pairsFormed: 1 });
    expect(b.health()).toMatchObject({ paired: 1, pairsFormed: 0 });
    const up = randomBytes(8 * 1024 * 1024);
    const down = randomBytes(8 * 1024 * 1024);
    const started = performance.now();
    const [gotUp, gotDown] = await Promise.all([readBytes(join, up.length), readBytes(host, down.length), writeAll(host, up), writeAll(join, down)]);
    const secs = (performance.now() - started) / 1000;
    const sha = (x: Buffer) => createHash('sha256').update(x).digest('hex');
    expect(sha(gotUp)).toBe(sha(up));
    expect(sha(gotDown)).toBe(sha(down));
    console.log(`[measure] relay across 2 instances via Redis: 2 × 8 MiB in ${secs.toFixed(2)} s = ${(16 / secs).toFixed(0)} MiB/s total`);
  });

  it('runs the invitation handshake and SecureLink across two instances; messages on all channels', async () => {
    const [a, b] = await twoInstances(redis);
    const invitationId = testInvitationId();
    const listener = await startInvitationListener({
      invitationId,
      password: 'across instances',
      requesterName: 'Ana',
      expiresAt: Date.now() + 60_000,
      channelSchemas: testChannelSchemas,
      logger: () => {},
      host: '127.0.0.1',
    });
    cleanups.push(() => listener.close());
    const { host, join } = await openPair(a.url, b.url);
    const linked = nextEvent(listener, 'linked');
    void acceptInvitationOver(listener, host, host.peerAddress);
    const { link: helper } = await connectToInvitationOver(join, {
      peerAddress: join.peerAddress,
      invitationId,
      password: 'across instances',
      helperName: 'Bruno',
      channelSchemas: testChannelSchemas,
      logger: () => {},
    });
    const { link: requester, peerAddress } = await linked;
    cleanups.push(
      () => helper.close(),
      () => requester.close(),
    );
    expect(peerAddress).toBe(`via relay ${a.url.replace(/\/$/, '')}`);
    const headers = { control: { kind: 'grant' }, chat: { text: 'via Redis' }, files: { id: 'x', seq: 1 }, signal: { sdp: 'v=0' } } as const;
    for (const [from, to] of [
      [helper, requester],
      [requester, helper],
    ] as const) {
      for (const ch of CHANNELS) {
        const got = new Promise<unknown>((r) => to.channel(ch).onMessage((h) => r(h)));
        from.channel(ch).send(headers[ch]);
        expect(await got).toEqual(headers[ch]);
      }
    }
    const closed = new Promise((r) => requester.onClose(r));
    helper.close('bye');
    expect(await closed).toEqual({ reason: 'closed-by-peer', message: 'bye' });
  });

  it('refuses across instances: unknown id (4404), a third client (4409), a second host (4411); frees the id afterwards', async () => {
    const [a, b] = await twoInstances(redis);
    const unknown = await appError(openRelayStream({ url: b.url, pairingId: newPairingId(), role: 'join', timeoutMs: 5000 }));
    expect(unknown.details).toEqual({ relayCloseCode: RELAY_CLOSE.unknownPairing });

    const { host, join, pairingId } = await openPair(a.url, b.url);
    const third = await appError(openRelayStream({ url: a.url, pairingId, role: 'join', timeoutMs: 5000 }));
    expect(third.details).toEqual({ relayCloseCode: RELAY_CLOSE.pairFull });
    const secondHost = await appError(openRelayStream({ url: b.url, pairingId, role: 'host', timeoutMs: 5000 }));
    expect(secondHost.details).toEqual({ relayCloseCode: RELAY_CLOSE.pairingTaken });

    // The joiner leaves: the host (on the other instance) sees the end, and the id can be hosted again.
    const hostEnd = streamOutcome(host);
    join.end();
    expect(await hostEnd).toEqual({ ended: true });
    await expect.poll(() => a.health().connections + b.health().connections).toBe(0);
    const again = await openPair(b.url, a.url, pairingId);
    cleanups.push(
      () => again.host.destroy(),
      () => again.join.destroy(),
    );
    again.host.write('ok');
    expect((await readBytes(again.join, 2)).toString()).toBe('ok');
  });

  it('a limit enforced by one instance closes both ends with its code', async () => {
    const [a, b] = await twoInstances(redis, { pairMaxBytes: 512 * 1024 });
    const { host, join } = await openPair(a.url, b.url);
    const outcome = Promise.all([streamOutcome(host), streamOutcome(join)]);
    host.write(randomBytes(600 * 1024));
    const [h, j] = await outcome;
    expect(h.error?.closeCode).toBe(RELAY_CLOSE.quota);
    expect(j.error?.closeCode).toBe(RELAY_CLOSE.quota);
  });

  it('when Redis goes away, pairs that depend on it close (4503), health degrades, and new pairings are refused', async () => {
    const own = await startTestRedis();
    cleanups.push(() => own.stop());
    const [a, b] = await twoInstances(own);
    const { host, join } = await openPair(a.url, b.url);
    const outcome = Promise.all([streamOutcome(host), streamOutcome(join)]);
    await own.stop();
    const [h, j] = await outcome;
    expect(h.error?.closeCode).toBe(RELAY_CLOSE.unavailable);
    expect(j.error?.closeCode).toBe(RELAY_CLOSE.unavailable);
    expect(a.health()).toMatchObject({ status: 'degraded', storeHealthy: false });
    const refused = await appError(openRelayStream({ url: a.url, pairingId: newPairingId(), role: 'host', timeoutMs: 5000 }));
    expect(refused.details).toEqual({ relayCloseCode: RELAY_CLOSE.unavailable });
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RespClient, RespConnectionError, RespError, parseRedisUrl, type RespClientState } from './resp-client';
import { NO_REDIS_REASON, findRedisServer, startTestRedis, type TestRedis } from './redis-test-server';

const haveRedis = findRedisServer() !== null;
if (!haveRedis) console.warn(`[skip] ${NO_REDIS_REASON}`);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function waitForState(client: RespClient, want: RespClientState): Promise<void> {
  return new Promise((resolve) => {
    if (client.state === want) return resolve();
    const off = client.onState((s) => {
      if (s === want) {
        off();
        resolve();
      }
    });
  });
}

describe('parseRedisUrl', () => {
  it('reads host, port, db, user and password; refuses other schemes', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6390/2')).toEqual({ host: '127.0.0.1', port: 6390, db: 2 });
    expect(parseRedisUrl('redis://:s%40cret@redis.internal')).toEqual({ host: 'redis.internal', port: 6379, db: 0, password: 's@cret' });
    expect(parseRedisUrl('redis://relay:pw@[::1]:7000')).toMatchObject({ host: '::1', port: 7000, username: 'relay', password: 'pw' });
    expect(() => parseRedisUrl('rediss://x')).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl('not a url')).toThrow(/redis:\/\//);
  });
});

describe.skipIf(!haveRedis)('RespClient against a real redis-server', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  async function client() {
    const c = await RespClient.connect({ host: '127.0.0.1', port: redis.port });
    cleanups.push(() => c.close());
    return c;
  }

  it('SET (NX, PX), GET, EXPIRE and DEL, with binary values', async () => {
    const c = await client();
    const key = `t:${randomBytes(6).toString('hex')}`;
    const value = randomBytes(1000);
    expect(await c.set(key, value, { nx: true, px: 60_000 })).toBe(true);
    expect(await c.set(key, 'other', { nx: true })).toBe(false); // NX: the first writer keeps it
    expect((await c.get(key))!.equals(value)).toBe(true);
    expect(await c.expire(key, 30)).toBe(true);
    expect(await c.command('TTL', key)).toBeGreaterThan(25);
    expect(await c.del(key, `${key}:absent`)).toBe(1);
    expect(await c.get(key)).toBeNull();
    expect(await c.expire(key, 30)).toBe(false);
    await expect(c.command('NOSUCHCOMMAND')).rejects.toBeInstanceOf(RespError);
    expect(await c.command('PING')).toBe('PONG'); // an error reply does not desynchronise the replies
  });

  it('pipelines: 2000 commands issued at once get their own replies, in order', async () => {
    const c = await client();
    const prefix = `p:${randomBytes(4).toString('hex')}:`;
    await Promise.all(Array.from({ length: 1000 }, (_, i) => c.set(prefix + i, `v${i}`)));
    const got = await Promise.all(Array.from({ length: 1000 }, (_, i) => c.get(prefix + i)));
    expect(got.map((b) => b!.toString())).toEqual(Array.from({ length: 1000 }, (_, i) => `v${i}`));
  });

  it('publish/subscribe: messages (binary, 8 MiB) arrive in order; PUBLISH counts receivers; UNSUBSCRIBE stops them', async () => {
    const sub = await client();
    const pub = await client();
    const ch = `ch:${randomBytes(4).toString('hex')}`;
    const got: Buffer[] = [];
    sub.onMessage((channel, msg) => {
      if (channel === ch) got.push(msg);
    });
    expect(await pub.publish(ch, 'nobody')).toBe(0);
    await sub.subscribe(ch);
    const big = randomBytes(8 * 1024 * 1024);
    expect(await pub.publish(ch, 'one')).toBe(1);
    expect(await pub.publish(ch, big)).toBe(1);
    expect(await pub.publish(ch, Buffer.from([0, 13, 10, 255]))).toBe(1);
    await expect.poll(() => got.length).toBe(3);
    expect(got[0]!.toString()).toBe('one');
    expect(got[1]!.equals(big)).toBe(true);
    expect(got[2]).toEqual(Buffer.from([0, 13, 10, 255]));
    // A subscribed connection cannot run ordinary commands (RESP2): refused locally, clearly.
    await expect(sub.get('x')).rejects.toThrow(/separate RespClient/);
    await sub.unsubscribe(ch);
    expect(await pub.publish(ch, 'late')).toBe(0);
  });

  it('reconnects after the server restarts, re-subscribes, and reports the loss', async () => {
    const own = await startTestRedis();
    cleanups.push(() => own.stop());
    const opts = { host: '127.0.0.1', port: own.port, reconnectAttempts: 40, reconnectDelayMs: 100 };
    const sub = await RespClient.connect(opts);
    cleanups.push(() => sub.close());
    const states: RespClientState[] = [];
    sub.onState((s) => states.push(s));
    const got: string[] = [];
    sub.onMessage((_ch, m) => got.push(m.toString()));
    await sub.subscribe('news');

    await own.stop();
    await waitForState(sub, 'reconnecting');
    const again = await startTestRedis({ port: own.port });
    cleanups.push(() => again.stop());
    await waitForState(sub, 'ready');
    expect(states.slice(0, 2)).toEqual(['lost', 'reconnecting']);

    const pub = await RespClient.connect(opts);
    cleanups.push(() => pub.close());
    expect(await pub.publish('news', 'after restart')).toBe(1);
    await expect.poll(() => got).toEqual(['after restart']);
  });

  it('fails for good after the reconnection attempts; commands then fail at once', async () => {
    const own = await startTestRedis();
    const c = await RespClient.connect({ host: '127.0.0.1', port: own.port, reconnectAttempts: 2, reconnectDelayMs: 50 });
    cleanups.push(() => c.close());
    const pending = c.command('BLPOP', 'never', 0).catch((e: unknown) => e); // in flight when the server dies
    await own.stop();
    expect(await pending).toBeInstanceOf(RespConnectionError);
    await waitForState(c, 'failed');
    await expect(c.get('k')).rejects.toThrow(/not connected \(failed\)/);
  });

  it('authenticates with a password; a wrong one is refused without echoing it', async () => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const own = await startTestRedis({ password });
    cleanups.push(() => own.stop());
    const ok = await RespClient.connect(parseRedisUrl(own.url));
    cleanups.push(() => ok.close());
    expect(await ok.command('PING')).toBe('PONG');
    const err = await RespClient.connect({ host: '127.0.0.1', port: own.port, password: 'wrong-secret-value' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RespError);
    expect(String((err as Error).message)).not.toContain('wrong-secret-value');
    const anon = await RespClient.connect({ host: '127.0.0.1', port: own.port });
    cleanups.push(() => anon.close());
    await expect(anon.get('k')).rejects.toThrow(/NOAUTH/);
  });

  it('reports an unreachable server clearly', async () => {
    const err = await RespClient.connect({ host: '127.0.0.1', port: 1, connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RespConnectionError);
    expect((err as Error).message).toMatch(/cannot connect to Redis at 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
  });
});

/**
 * Easy Connect on the relay, over real WebSockets on loopback: register a code for a hosted
 * pairing, join by code, and the relay-side guards (expiry, burning after N joins, per-address
 * lookup limits, removal only by the pairing's owner), plus TURN credentials for paired clients.
 */
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../src-shared/contract/errors';
import { joinRelayByCode, openRelayStream, registerRelayCode, removeRelayCode } from './relay-client';
import { newPairingId, type CodeInfo } from './relay-protocol';
import { readBytes, startTestRelay } from './relay-test-helpers';
import type { RelayServerOptions } from './relay-server';
import { turnUsernameExpiry } from './turn-credentials';
import { NO_REDIS_REASON, findRedisServer, startTestRedis, type TestRedis } from './redis/redis-test-server';
import { RedisCodeStore } from './redis/redis-code-store';
import { RedisPairingStore } from './redis/redis-pairing-store';
import { parseRedisUrl } from './redis/resp-client';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const info: CodeInfo = { invitationId: 'aW52aXRhdGlvbi1pZC0xMjM0', requesterName: 'Ana', computerName: 'ana-laptop', allowControl: true };

async function relay(opts: RelayServerOptions = {}) {
  const r = await startTestRelay(opts);
  cleanups.push(() => r.relay.close());
  return r;
}

/**
 * Hosts `pairingId` and resolves once the relay registered it; the returned promise resolves when
 * a joiner pairs. Retries while the relay still holds the id from the previous pair (it frees it
 * when that pair's close reaches it), as the app's hosting loop does.
 */
async function host(url: string, pairingId: string) {
  const abort = new AbortController();
  cleanups.push(() => abort.abort(new Error('test over')));
  for (let attempt = 0; ; attempt++) {
    let waiting!: () => void;
    const registered = new Promise<void>((r) => (waiting = r));
    const stream = openRelayStream({ url, pairingId, role: 'host', timeoutMs: 10_000, signal: abort.signal, onWaiting: () => waiting() });
    stream.catch(() => {});
    const first = await Promise.race([registered.then(() => null), stream.then(() => null, (e: unknown) => e)]);
    if (first === null) return { paired: stream };
    if (!isAppError(first, 'conflict') || attempt >= 20) throw first;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (isAppError(e)) return e;
  throw new Error(`expected an AppError, got ${String(e)}`);
}

async function register(url: string, pairingId: string, over: { expiresAt?: number; maxJoins?: number } = {}) {
  return registerRelayCode({ url, pairingId, info, expiresAt: over.expiresAt ?? Date.now() + 60_000, maxJoins: over.maxJoins ?? 5, timeoutMs: 5000 });
}

/** One join by code that pairs with the host, exchanges a byte, and ends. */
async function joinOnce(url: string, pairingId: string, codeId: string) {
  const { paired: hosted } = await host(url, pairingId);
  const joined = await joinRelayByCode({ url, codeId, timeoutMs: 5000 });
  const h = await hosted;
  h.write('x');
  expect((await readBytes(joined.stream, 1)).toString()).toBe('x');
  joined.stream.destroy();
  h.destroy();
  return joined;
}

describe('Easy Connect codes on the relay', () => {
  it('round trip: register → join by code gets the invitation fields and a working pair; removed codes are unknown', async () => {
    const { relay: r, logs } = await relay();
    const pairingId = newPairingId();
    const { codeId, expiresAt } = await register(r.url, pairingId);
    expect(codeId).toMatch(/^[acdefhjkmnprtwxy34679]{4}$/);
    expect(expiresAt).toBeGreaterThan(Date.now());

    const { paired: hosted } = await host(r.url, pairingId);
    const joined = await joinRelayByCode({ url: r.url, codeId, timeoutMs: 5000 });
    expect(joined.info).toEqual(info);
    expect(joined.joinsLeft).toBe(4);
    expect(joined.expiresAt).toBe(expiresAt);
    const h = await hosted;
    joined.stream.write('hello');
    expect((await readBytes(h, 5)).toString()).toBe('hello');
    h.write('back');
    expect((await readBytes(joined.stream, 4)).toString()).toBe('back');
    joined.stream.destroy();
    h.destroy();

    // Only the pairing's owner can remove the code.
    await removeRelayCode({ url: r.url, pairingId: newPairingId(), codeId, timeoutMs: 5000 });
    const { paired: rehosted } = await host(r.url, pairingId);
    const again = await joinRelayByCode({ url: r.url, codeId, timeoutMs: 5000 });
    again.stream.destroy();
    (await rehosted).destroy();
    await removeRelayCode({ url: r.url, pairingId, codeId, timeoutMs: 5000 });
    const gone = await appError(joinRelayByCode({ url: r.url, codeId, timeoutMs: 5000 }));
    expect(gone.code).toBe('not-found');
    expect(gone.message).toMatch(/No invitation has this Easy Connect code/);

    // Neither the code id nor the pairing id reaches the logs.
    const text = JSON.stringify(logs);
    expect(text).not.toContain(pairingId);
    expect(text).not.toContain(`"${codeId}"`);
    expect(logs.map((l) => l.event)).toEqual(expect.arrayContaining(['code.registered', 'code.joined', 'code.removed', 'code.unknown']));
  });

  it('burns a code after its joins are used (relay-side counter, capped by the relay), and says so', async () => {
    const { relay: r } = await relay({ limits: { maxCodeJoins: 2 } });
    const pairingId = newPairingId();
    const { codeId } = await register(r.url, pairingId, { maxJoins: 5 }); // the relay caps it at 2
    expect((await joinOnce(r.url, pairingId, codeId)).joinsLeft).toBe(1);
    expect((await joinOnce(r.url, pairingId, codeId)).joinsLeft).toBe(0);
    await host(r.url, pairingId);
    const burnt = await appError(joinRelayByCode({ url: r.url, codeId, timeoutMs: 5000 }));
    expect(burnt.code).toBe('locked');
    expect(burnt.message).toMatch(/tried too many times/);
  });

  it('a join that finds nobody waiting is refused and costs the code nothing', async () => {
    const { relay: r } = await relay();
    const pairingId = newPairingId();
    const { codeId } = await register(r.url, pairingId, { maxJoins: 2 });
    for (let i = 0; i < 3; i++) expect((await appError(joinRelayByCode({ url: r.url, codeId, timeoutMs: 5000 }))).code).toBe('not-found');
    expect((await joinOnce(r.url, pairingId, codeId)).joinsLeft).toBe(1);
  });

  it('codes expire with the invitation, and never outlive the relay maximum', async () => {
    const { relay: r } = await relay({ limits: { maxCodeLifetimeMs: 60_000 } });
    const pairingId = newPairingId();
    const capped = await register(r.url, newPairingId(), { expiresAt: Date.now() + 3600_000 });
    expect(capped.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    const { codeId } = await register(r.url, pairingId, { expiresAt: Date.now() + 300 });
    await host(r.url, pairingId);
    await new Promise((res) => setTimeout(res, 400));
    expect((await appError(joinRelayByCode({ url: r.url, codeId, timeoutMs: 5000 }))).code).toBe('not-found');
    // An already expired invitation is refused outright.
    expect((await appError(register(r.url, newPairingId(), { expiresAt: Date.now() - 1 }))).code).toBe('unavailable');
  });

  it('rate-limits lookups per address: per minute, and unknown codes per hour', async () => {
    const { relay: r } = await relay({ limits: { codeLookupsPerIpPerMinute: 3, codeMissesPerIpPerHour: 100 } });
    for (let i = 0; i < 3; i++) expect((await appError(joinRelayByCode({ url: r.url, codeId: 'aaaa', timeoutMs: 5000 }))).code).toBe('not-found');
    const limited = await appError(joinRelayByCode({ url: r.url, codeId: 'aaaa', timeoutMs: 5000 }));
    expect(limited.code).toBe('unavailable');
    expect(limited.message).toMatch(/too many code lookups from your address/);

    const { relay: r2 } = await relay({ limits: { codeLookupsPerIpPerMinute: 100, codeMissesPerIpPerHour: 2 } });
    const pairingId = newPairingId();
    const { codeId } = await register(r2.url, pairingId);
    for (const wrong of ['cccc', 'dddd']) expect((await appError(joinRelayByCode({ url: r2.url, codeId: wrong, timeoutMs: 5000 }))).code).toBe('not-found');
    // After two misses even the right code is refused for a while: a scanner learns nothing more.
    const blocked = await appError(joinRelayByCode({ url: r2.url, codeId, timeoutMs: 5000 }));
    expect(blocked.message).toMatch(/too many unknown codes from your address/);
  });

  it('refuses malformed code requests', async () => {
    const { relay: r } = await relay();
    expect((await appError(joinRelayByCode({ url: r.url, codeId: 'ab0l', timeoutMs: 5000 }))).code).toBe('invalid-input');
    const bad = await appError(registerRelayCode({ url: r.url, pairingId: newPairingId(), info: { ...info, requesterName: 'Ana\u202e' }, expiresAt: Date.now() + 60_000, maxJoins: 5, timeoutMs: 5000 }));
    expect(bad.code).toBe('unavailable');
    expect(bad.message).toMatch(/did not understand/);
  });
});

describe('TURN credentials for paired clients', () => {
  it('hands both ends of a pair time-limited coturn REST credentials, and nobody else', async () => {
    const turn = { secret: 's3cret', urls: ['turn:127.0.0.1:3478?transport=udp'], ttlSeconds: 600 };
    const { relay: r, logs } = await relay({ turn });
    const pairingId = newPairingId();
    const { paired: hosted } = await host(r.url, pairingId);
    const join = await openRelayStream({ url: r.url, pairingId, role: 'join', timeoutMs: 5000 });
    const h = await hosted;
    cleanups.push(
      () => h.destroy(),
      () => join.destroy(),
    );
    for (const s of [h, join]) {
      expect(s.iceServers).toHaveLength(1);
      const [ice] = s.iceServers;
      expect(ice!.urls).toEqual(turn.urls);
      expect(ice!.username).toMatch(/^\d+:ra-[0-9a-f]{12}$/);
      expect(ice!.credential).toBe(createHmac('sha1', 's3cret').update(ice!.username).digest('base64'));
      const expiry = turnUsernameExpiry(ice!.username)!;
      expect(expiry).toBeGreaterThan(Date.now() + 590_000);
      expect(expiry).toBeLessThanOrEqual(Date.now() + 600_000);
    }
    expect(JSON.stringify(logs)).not.toContain('s3cret');
    // Without TURN configured, "paired" carries nothing.
    const { relay: plain } = await relay();
    const p2 = newPairingId();
    const { paired: hosted2 } = await host(plain.url, p2);
    const j2 = await openRelayStream({ url: plain.url, pairingId: p2, role: 'join', timeoutMs: 5000 });
    expect(j2.iceServers).toEqual([]);
    j2.destroy();
    (await hosted2).destroy();
  });
});

const haveRedis = findRedisServer() !== null;
if (!haveRedis) console.warn(`[skip] ${NO_REDIS_REASON}`);

describe.skipIf(!haveRedis)('Easy Connect codes shared through Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('a code registered at instance A is joined through instance B, and burns across instances', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const store = await RedisPairingStore.connect({ redis: { ...parseRedisUrl(redis.url), reconnectAttempts: 0 } });
      const codes = await RedisCodeStore.connect({ redis: { ...parseRedisUrl(redis.url), reconnectAttempts: 0 } });
      const { relay: r } = await startTestRelay({ store, codes, limits: { maxCodeJoins: 2 } });
      cleanups.push(async () => {
        await r.close();
        await store.close();
        await codes.close();
      });
      urls.push(r.url);
    }
    const [a, b] = urls as [string, string];
    const pairingId = newPairingId();
    const { codeId } = await register(a, pairingId);
    const { paired: hosted } = await host(a, pairingId);
    const joined = await joinRelayByCode({ url: b, codeId, timeoutMs: 5000 });
    expect(joined.info).toEqual(info);
    expect(joined.joinsLeft).toBe(1);
    const h = await hosted;
    joined.stream.write('via redis');
    expect((await readBytes(h, 9)).toString()).toBe('via redis');
    joined.stream.destroy();
    h.destroy();
    expect((await joinOnce(b, pairingId, codeId)).joinsLeft).toBe(0);
    expect((await appError(joinRelayByCode({ url: a, codeId, timeoutMs: 5000 }))).code).toBe('locked');
    await removeRelayCode({ url: b, pairingId, codeId, timeoutMs: 5000 });
    expect((await appError(joinRelayByCode({ url: a, codeId, timeoutMs: 5000 }))).code).toBe('not-found');
  });
});

import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../src-shared/contract/errors';
import { openRelayStream } from './relay-client';
import { RELAY_CLOSE, newPairingId } from './relay-protocol';
import type { RelayServerOptions } from './relay-server';
import { tcpPair } from '../link/link-test-helpers';
import { openPair, rawClient, readBytes, sendHello, startTestRelay, streamOutcome, writeAll } from './relay-test-helpers';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function relay(opts: RelayServerOptions = {}) {
  const r = await startTestRelay(opts);
  cleanups.push(() => r.relay.close());
  return r;
}

async function pair(url: string) {
  const p = await openPair(url);
  cleanups.push(() => {
    p.host.destroy();
    p.join.destroy();
  });
  return p;
}

async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (isAppError(e)) return e;
  throw new Error(`expected an AppError, got ${String(e)}`);
}

function getJson(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text }));
      })
      .on('error', reject);
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('relay: pairing and forwarding', () => {
  it('pairs a host and a joiner and forwards bytes both ways, unchanged', async () => {
    const { relay: r, logs } = await relay();
    const { host, join } = await pair(r.url);
    expect(host.peerAddress).toBe(`via relay ws://127.0.0.1:${r.port}`);
    const a = randomBytes(1000);
    const b = randomBytes(70_000);
    host.write(a);
    join.write(b);
    expect((await readBytes(join, a.length)).equals(a)).toBe(true);
    expect((await readBytes(host, b.length)).equals(b)).toBe(true);
    // Logs say what happened without the pairing id or any payload.
    const text = JSON.stringify(logs);
    expect(logs.map((l) => l.event)).toEqual(expect.arrayContaining(['relay.listening', 'pairing.hosted', 'pairing.joined']));
    expect(text).not.toContain(a.toString('base64').slice(0, 16));
  });

  it('moves 20 MiB each way through the relay byte-identical, with backpressure', async () => {
    // The per-pair rate limit is lifted so that this measures the relay, not the limit.
    const { relay: r } = await relay({ limits: { pairBytesPerSecond: 1e12 } });
    const { host, join } = await pair(r.url);
    const up = randomBytes(20 * 1024 * 1024);
    const down = randomBytes(20 * 1024 * 1024);
    const started = performance.now();
    const [gotUp, gotDown] = await Promise.all([readBytes(join, up.length), readBytes(host, down.length), writeAll(host, up), writeAll(join, down)]);
    const secs = (performance.now() - started) / 1000;
    expect(sha(gotUp)).toBe(sha(up));
    expect(sha(gotDown)).toBe(sha(down));
    expect(r.health().bytesForwarded).toBe(40 * 1024 * 1024);
    // The same transfer over a plain loopback TCP pair, side by side, as the reference (no assertion: a figure).
    const [a, b] = await tcpPair();
    cleanups.push(
      () => a.destroy(),
      () => b.destroy(),
    );
    const t0 = performance.now();
    await Promise.all([readBytes(b, up.length), readBytes(a, down.length), writeAll(a, up), writeAll(b, down)]);
    const tcpSecs = (performance.now() - t0) / 1000;
    console.log(`[measure] relay (memory store): 2 × 20 MiB in ${secs.toFixed(2)} s = ${(40 / secs).toFixed(0)} MiB/s; raw loopback TCP ${(40 / tcpSecs).toFixed(0)} MiB/s`);
  });

  it('ending one side delivers everything first, then ends the other side like a FIN', async () => {
    const { relay: r } = await relay();
    const { host, join } = await pair(r.url);
    const last = randomBytes(300_000);
    const outcome = streamOutcome(join);
    const chunks: Buffer[] = [];
    join.on('data', (d: Buffer) => chunks.push(d));
    host.end(last);
    expect(await outcome).toEqual({ ended: true });
    expect(Buffer.concat(chunks).equals(last)).toBe(true);
    await expect.poll(() => r.health().connections).toBe(0);
  });

  it('refuses a join for an unknown pairing id, a third client, and a second host', async () => {
    const { relay: r } = await relay();
    const unknown = await appError(openRelayStream({ url: r.url, pairingId: newPairingId(), role: 'join', timeoutMs: 5000 }));
    expect(unknown.code).toBe('not-found');
    expect(unknown.details).toEqual({ relayCloseCode: RELAY_CLOSE.unknownPairing });
    expect(unknown.message).toMatch(/Nobody is waiting at the relay/);

    const { pairingId } = await pair(r.url);
    const third = await appError(openRelayStream({ url: r.url, pairingId, role: 'join', timeoutMs: 5000 }));
    expect(third.code).toBe('conflict');
    expect(third.details).toEqual({ relayCloseCode: RELAY_CLOSE.pairFull });
    const secondHost = await appError(openRelayStream({ url: r.url, pairingId, role: 'host', timeoutMs: 5000 }));
    expect(secondHost.details).toEqual({ relayCloseCode: RELAY_CLOSE.pairingTaken });
  });

  it('frees the pairing id when the pair ends, so the host can wait again for the next attempt', async () => {
    const { relay: r } = await relay();
    const first = await pair(r.url);
    const hostEnd = streamOutcome(first.host);
    first.join.end();
    expect(await hostEnd).toEqual({ ended: true });
    const again = await openPair(r.url, r.url, first.pairingId);
    cleanups.push(() => {
      again.host.destroy();
      again.join.destroy();
    });
    again.join.write('x');
    expect((await readBytes(again.host, 1)).toString()).toBe('x');
  });

  it('refuses malformed hellos and data before pairing with 4400', async () => {
    const { relay: r } = await relay();
    const bad = await rawClient(r.url);
    bad.ws.send('{"v":1,"op":"host","pairing":"short"}');
    expect((await bad.closed).code).toBe(RELAY_CLOSE.badRequest);
    const early = await rawClient(r.url);
    sendHello(early.ws, 'host', newPairingId());
    await expect.poll(() => early.messages).toEqual(['{"t":"waiting"}']);
    early.ws.send(Buffer.from('too soon'));
    expect(await early.closed).toEqual({ code: RELAY_CLOSE.badRequest, reason: 'wait for "paired" before sending data' });
  });
});

describe('relay: limits', () => {
  it('refuses too many connections from one address with 4429 and a reason', async () => {
    const { relay: r, logs } = await relay({ limits: { maxConnectionsPerIp: 2 } });
    const a = await rawClient(r.url);
    const b = await rawClient(r.url);
    cleanups.push(() => a.ws.terminate(), () => b.ws.terminate());
    const c = await rawClient(r.url);
    expect(await c.closed).toEqual({ code: RELAY_CLOSE.rateLimited, reason: 'too many connections from your address (limit 2)' });
    expect(logs.some((l) => l.event === 'connection.refused' && l.fields?.ip === '127.0.0.1')).toBe(true);
    // The app's client says it in words.
    const err = await appError(openRelayStream({ url: r.url, pairingId: newPairingId(), role: 'host', timeoutMs: 5000 }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/too many connections from your address.*Wait a minute/);
    // A freed slot can be used again.
    a.ws.close();
    await expect.poll(() => r.health().connections).toBe(1);
    const d = await rawClient(r.url);
    cleanups.push(() => d.ws.terminate());
    sendHello(d.ws, 'host', newPairingId());
    await expect.poll(() => d.messages).toEqual(['{"t":"waiting"}']);
  });

  it('limits new pairings per address per minute', async () => {
    const { relay: r } = await relay({ limits: { maxNewPairingsPerIpPerMinute: 2 } });
    for (let i = 0; i < 2; i++) {
      const ok = await rawClient(r.url);
      cleanups.push(() => ok.ws.terminate());
      sendHello(ok.ws, 'host', newPairingId());
      await expect.poll(() => ok.messages).toEqual(['{"t":"waiting"}']);
    }
    const third = await rawClient(r.url);
    sendHello(third.ws, 'host', newPairingId());
    expect(await third.closed).toEqual({ code: RELAY_CLOSE.rateLimited, reason: 'too many new pairings from your address (limit 2 per minute)' });
  });

  it('closes a connection that sends no hello, and a host nobody joins', async () => {
    const { relay: r } = await relay({ limits: { helloTimeoutMs: 200, waitTimeoutMs: 300 } });
    const silent = await rawClient(r.url);
    expect((await silent.closed).code).toBe(RELAY_CLOSE.timeout);
    const err = await appError(openRelayStream({ url: r.url, pairingId: newPairingId(), role: 'host', timeoutMs: 10_000 }));
    expect(err.code).toBe('timeout');
    expect(err.details).toEqual({ relayCloseCode: RELAY_CLOSE.timeout });
  });

  it('closes an idle pair on both sides (4408)', async () => {
    const { relay: r } = await relay({ limits: { idleTimeoutMs: 300 } });
    const { host, join } = await pair(r.url);
    const [h, j] = await Promise.all([streamOutcome(host), streamOutcome(join)]);
    expect(h.error?.closeCode).toBe(RELAY_CLOSE.timeout);
    expect(j.error?.closeCode).toBe(RELAY_CLOSE.timeout);
    expect(h.error?.message).toMatch(/idle/);
  });

  it('ends a pair at its maximum lifetime even while it is busy (4410)', async () => {
    const { relay: r } = await relay({ limits: { maxPairLifetimeMs: 400, idleTimeoutMs: 60_000 } });
    const { host, join } = await pair(r.url);
    const outcome = Promise.all([streamOutcome(host), streamOutcome(join)]);
    const busy = setInterval(() => host.write(Buffer.alloc(100)), 20);
    const [h, j] = await outcome;
    clearInterval(busy);
    expect(h.error?.closeCode).toBe(RELAY_CLOSE.lifetime);
    expect(j.error?.closeCode).toBe(RELAY_CLOSE.lifetime);
  });

  it('closes a pair that exceeds its byte quota (4413), counting both directions', async () => {
    const { relay: r } = await relay({ limits: { pairMaxBytes: 1024 * 1024 } });
    const { host, join } = await pair(r.url);
    const outcome = Promise.all([streamOutcome(host), streamOutcome(join)]);
    host.write(randomBytes(600 * 1024));
    join.write(randomBytes(600 * 1024));
    const [h, j] = await outcome;
    expect(h.error?.closeCode).toBe(RELAY_CLOSE.quota);
    expect(j.error?.closeCode).toBe(RELAY_CLOSE.quota);
  });

  it('slows a sender to the per-pair rate instead of cutting it', async () => {
    const { relay: r } = await relay({ limits: { pairBytesPerSecond: 1024 * 1024 } });
    const { host, join } = await pair(r.url);
    const data = randomBytes(2 * 1024 * 1024 + 512 * 1024);
    const started = performance.now();
    const [got] = await Promise.all([readBytes(join, data.length), writeAll(host, data)]);
    const secs = (performance.now() - started) / 1000;
    expect(got.equals(data)).toBe(true);
    // 2.5 MiB at 1 MiB/s with a 1 MiB burst needs at least ~1.5 s (a lower bound: load only adds time).
    expect(secs).toBeGreaterThan(1.3);
  });
});

describe('relay: HTTP side', () => {
  it('GET /healthz reports counts as JSON; other paths say it is a relay', async () => {
    const { relay: r } = await relay();
    const waiting = await rawClient(r.url);
    cleanups.push(() => waiting.ws.terminate());
    sendHello(waiting.ws, 'host', newPairingId());
    await pair(r.url);
    await expect.poll(() => r.health().waiting).toBe(1);
    const { status, body } = await getJson(`http://127.0.0.1:${r.port}/healthz`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', store: 'memory', storeHealthy: true, connections: 3, waiting: 1, paired: 2, pairsFormed: 1 });
    const other = await getJson(`http://127.0.0.1:${r.port}/`);
    expect(other.status).toBe(426);
    expect(other.body).toMatch(/Remote Assist relay/);
  });

  it('refuses WebSocket requests from web pages (Origin header)', async () => {
    const { relay: r } = await relay();
    await expect(rawClient(r.url, { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('says clearly when the address is not a relay, or nothing listens there', async () => {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as { port: number }).port;
    const notRelay = await appError(openRelayStream({ url: `ws://127.0.0.1:${port}/`, pairingId: newPairingId(), role: 'join', timeoutMs: 5000 }));
    expect(notRelay.message).toMatch(/is not a Remote Assist relay \(HTTP 404\)/);
    const closed = await appError(openRelayStream({ url: 'ws://127.0.0.1:1/', pairingId: newPairingId(), role: 'join', timeoutMs: 5000 }));
    expect(closed.code).toBe('unreachable');
    expect(closed.message).toMatch(/ECONNREFUSED/);
  });

  it('shutting down closes every client with 1001', async () => {
    const { relay: r } = await startTestRelay();
    const { host, join } = await pair(r.url);
    const outcome = Promise.all([streamOutcome(host), streamOutcome(join)]);
    await r.close();
    const [h, j] = await outcome;
    expect(h.error?.closeCode).toBe(RELAY_CLOSE.goingAway);
    expect(j.error?.closeCode).toBe(RELAY_CLOSE.goingAway);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net, { type Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/contract/errors';
import { recordingLog, testChannelSchemas } from '../link/link-test-helpers';
import { KnownHosts } from './known-hosts';
import { connectToOffer, type OfferConnectOptions } from './offer-connector';
import type { Authorization, ProvenHelper } from './offer-handshake';
import { startOfferListener, type OfferListener, type OfferListenerOptions } from './offer-listener';
import { RawPeer, connectTcp, testKey } from './offer-test-helpers';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-offer-listener-'));
const helper = testKey();
const hostKey = testKey();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const authorize = (h: ProvenHelper): Authorization =>
  h.fingerprint === helper.fingerprint ? { ok: true, displayName: 'Helen' } : { ok: false, refusal: { reason: 'not-allowed', message: 'no', fingerprint: h.fingerprint } };

async function listen(over: Partial<OfferListenerOptions> = {}): Promise<OfferListener> {
  const l = await startOfferListener({ host: '127.0.0.1', port: 0, hostKey: hostKey.pair, computerName: 'PC-42', gate: () => null, authorize, channelSchemas: testChannelSchemas, logger: recordingLog().log, ...over });
  cleanups.push(() => l.close());
  return l;
}

/** The real helper side (connector, pinning, SecureLink) against a port. */
function offerTo(port: number, over: Partial<OfferConnectOptions> = {}) {
  return connectToOffer({
    host: '127.0.0.1',
    port,
    defaultPort: 48721,
    identity: helper.pair,
    helperFingerprint: helper.fingerprint,
    helperName: 'Helen',
    knownHosts: new KnownHosts(fs.mkdtempSync(path.join(root, 'h-'))),
    channelSchemas: testChannelSchemas,
    logger: recordingLog().log,
    totalTimeoutMs: 5000,
    ...over,
  });
}

/** Offers help to a listener; the link is closed after the test. */
async function offer(l: OfferListener, localAddress?: string) {
  const r = await offerTo(l.port, localAddress ? { localAddress } : {});
  cleanups.push(() => r.link.close());
  return r;
}

/** Opens `count` connections from one address, `wave` at a time, holding them open and silent. */
async function flood(port: number, count: number, wave: number, localAddress: string): Promise<Socket[]> {
  const held: Socket[] = [];
  cleanups.push(() => held.forEach((s) => s.destroy()));
  for (let i = 0; i < count; i += wave) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(wave, count - i) }, () => connectTcp(port, localAddress)));
    for (const b of batch) if (b.status === 'fulfilled') held.push(b.value.on('error', () => {}));
  }
  return held;
}

describe('offer listener admission limits', () => {
  it('500 connection attempts from one address are limited, and a listed helper is still served afterwards', async () => {
    const l = await listen({ handshakeTimeoutMs: 8000, limits: { attemptsPerAddress: 20, maxPendingPerAddress: 4 } });
    let worstPending = 0;
    const sampler = setInterval(() => (worstPending = Math.max(worstPending, l.pending)), 5);
    cleanups.push(() => clearInterval(sampler));
    await flood(l.port, 500, 100, '127.0.0.1');
    await expect.poll(() => l.stats.connections + l.stats.dropped, { timeout: 15_000 }).toBe(500);
    // At most the per-address burst got a handshake at all; at most 4 at a time.
    expect(l.stats.admitted).toBeLessThanOrEqual(20);
    expect(l.stats.rateLimited + l.stats.addressBusy + l.stats.dropped).toBeGreaterThanOrEqual(480);
    expect(worstPending).toBeLessThanOrEqual(4);

    // The flood still holds its 4 slow handshakes open; a helper from elsewhere gets through.
    const linked = new Promise((r) => l.on('linked', r));
    const r = await offer(l, '127.0.0.2');
    expect(r.host.fingerprint).toBe(hostKey.fingerprint);
    await linked;
    expect(l.stats.linked).toBe(1);
  });

  it('the flooding address itself gets a clear answer, and is let in again once its window refills', async () => {
    const l = await listen({ handshakeTimeoutMs: 200, limits: { attemptsPerAddress: 5, attemptWindowMs: 1500 } });
    const held = await flood(l.port, 30, 30, '127.0.0.3');
    await expect.poll(() => l.stats.connections).toBe(30);
    held.forEach((s) => s.destroy());
    const err = await offer(l, '127.0.0.3').catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details?.reason).toBe('rate-limited');
    expect((err as AppError).message).toMatch(/too many connection attempts from your address/);
    // Waiting out the window (no assertion on how long anything took).
    await new Promise((r) => setTimeout(r, 1600));
    const ok = await offer(l, '127.0.0.3');
    expect(ok.host.computerName).toBe('PC-42');
  });

  it('many addresses together never hold more handshakes than the global cap', async () => {
    const l = await listen({ handshakeTimeoutMs: 5000, limits: { maxPending: 6, maxPendingPerAddress: 4 } });
    let worst = 0;
    const sampler = setInterval(() => (worst = Math.max(worst, l.pending)), 5);
    cleanups.push(() => clearInterval(sampler));
    for (const a of ['127.0.0.4', '127.0.0.5', '127.0.0.6']) await flood(l.port, 4, 4, a);
    await expect.poll(() => l.stats.connections).toBe(12);
    expect(l.stats.admitted).toBe(6);
    expect(l.stats.listenerBusy).toBe(6);
    expect(worst).toBeLessThanOrEqual(6);
    const busy = new RawPeer(await connectTcp(l.port, '127.0.0.7'));
    expect(await busy.next()).toMatchObject({ type: 'offer-refuse', reason: 'busy', message: expect.stringMatching(/busy with other connection attempts/) });
  });

  it('closing (offers turned off) refuses handshakes in progress and stops listening', async () => {
    const l = await listen({ handshakeTimeoutMs: 5000 });
    const waiting = new RawPeer(await connectTcp(l.port));
    await expect.poll(() => l.pending).toBe(1);
    await l.close();
    expect(await waiting.next()).toMatchObject({ type: 'offer-refuse', reason: 'offers-disabled' });
    await expect(connectTcp(l.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a port that accepts but never answers: the helper gives up within its total bound, saying so', async () => {
    const accepted: Socket[] = [];
    const silent = net.createServer((s) => void accepted.push(s.on('error', () => {})));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      accepted.forEach((s) => s.destroy());
      return new Promise<void>((r) => silent.close(() => r()));
    });
    const port = (silent.address() as net.AddressInfo).port;
    const err = await offerTo(port, { totalTimeoutMs: 800 }).catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'timeout', details: { reason: 'timeout' } });
    expect((err as AppError).message).toMatch(new RegExp(`accepted the connection on port ${port} but did not finish the secure handshake`));
  });
});

import net, { type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tcpPair, testChannelSchemas, recordingLog } from '../link/link-test-helpers';
import { SecureLink } from '../link/secure-link';
import { OfferHandshakeError } from './offer-errors';
import { runOfferHelperHandshake, runOfferRequesterHandshake, type Authorization, type OfferRequesterParams, type ProvenHelper, type ProvenHost } from './offer-handshake';
import { OFFER_PROTOCOL, type OfferMessage } from './offer-messages';
import { RawPeer, connectTcp, flipBit, startMitmProxy, testKey, type Rewrite } from './offer-test-helpers';

const helperKey = testKey();
const hostKey = testKey();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const listed = (fp: string) => (h: ProvenHelper): Authorization => (h.fingerprint === fp ? { ok: true, displayName: 'Helen (help desk)' } : { ok: false, refusal: { reason: 'not-allowed', message: 'not listed', fingerprint: h.fingerprint } });

function requesterParams(over: Partial<OfferRequesterParams> = {}): OfferRequesterParams & { authorized: ProvenHelper[] } {
  const authorized: ProvenHelper[] = [];
  const authorize = over.authorize ?? listed(helperKey.fingerprint);
  return { hostKey: hostKey.pair, computerName: 'PC-42', timeoutMs: 3000, gate: () => null, ...over, authorize: (h) => (authorized.push(h), authorize(h)), authorized };
}

const helperParams = (verifyHost: (h: ProvenHost) => void = () => {}) => ({ identity: helperKey.pair, helperName: 'Helen', timeoutMs: 3000, verifyHost });

/** A listener that runs the requester's side on each connection and records the outcome. */
async function requesterServer(params: OfferRequesterParams) {
  const outcomes: (Awaited<ReturnType<typeof runOfferRequesterHandshake>> | OfferHandshakeError)[] = [];
  const sockets: Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    runOfferRequesterHandshake(s, params).then(
      (r) => outcomes.push(r),
      (e: OfferHandshakeError) => outcomes.push(e),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { port: (server.address() as net.AddressInfo).port, outcomes, sockets };
}

async function outcome<T>(list: T[]): Promise<T> {
  await expect.poll(() => list.length).toBeGreaterThan(0);
  return list[0]!;
}

describe('offer handshake over real TCP', () => {
  it('a listed helper and the computer agree on keys; the link carries data both ways', async () => {
    const [helperSock, requesterSock] = await tcpPair();
    const seen: ProvenHost[] = [];
    const p = requesterParams();
    const [h, r] = await Promise.all([runOfferHelperHandshake(helperSock, helperParams((x) => seen.push(x))), runOfferRequesterHandshake(requesterSock, p)]);
    expect(seen).toEqual([{ publicKey: hostKey.pair.publicKey, fingerprint: hostKey.fingerprint, computerName: 'PC-42' }]);
    expect(r.helper.fingerprint).toBe(helperKey.fingerprint);
    expect(r.displayName).toBe('Helen (help desk)');
    expect(Buffer.from(h.keys.helperToRequester.key)).toEqual(Buffer.from(r.keys.helperToRequester.key));
    expect(Buffer.from(h.keys.requesterToHelper.key)).not.toEqual(Buffer.from(h.keys.helperToRequester.key));

    const { log } = recordingLog();
    const common = { channelSchemas: testChannelSchemas, logger: log, peerAddress: '127.0.0.1' };
    const hl = new SecureLink({ ...common, socket: helperSock, sendKey: h.keys.helperToRequester, recvKey: h.keys.requesterToHelper, localName: 'Helen', peerName: 'PC-42', role: 'helper', initialBytes: h.leftover });
    const rl = new SecureLink({ ...common, socket: requesterSock, sendKey: r.keys.requesterToHelper, recvKey: r.keys.helperToRequester, localName: 'PC-42', peerName: 'Helen', role: 'requester', initialBytes: r.leftover });
    cleanups.push(() => hl.close(), () => rl.close());
    await hl.whenReady();
    const got = new Promise((resolve) => rl.channel('chat').onMessage(resolve));
    hl.channel('chat').send({ text: 'hello over the offer link' });
    await expect(got).resolves.toEqual({ text: 'hello over the offer link' });
  });

  it('an unlisted helper is refused after proving its key, with its fingerprint in the refusal', async () => {
    const stranger = testKey();
    const srv = await requesterServer(requesterParams());
    const sock = await connectTcp(srv.port);
    const err = await runOfferHelperHandshake(sock, { ...helperParams(), identity: stranger.pair }).catch((e: OfferHandshakeError) => e);
    expect(err).toBeInstanceOf(OfferHandshakeError);
    expect(err).toMatchObject({ reason: 'refused', extra: { refusal: { reason: 'not-allowed', fingerprint: stranger.fingerprint } } });
    const r = (await outcome(srv.outcomes)) as OfferHandshakeError;
    expect(r.extra.helper).toEqual({ helperName: 'Helen', fingerprint: stranger.fingerprint, authenticated: true });
  });

  // Whoever checks a signature first over the altered transcript stops: the helper for anything
  // the computer signed (including the helper's own hello as the computer received it).
  it.each([
    ['the helper signature', 'to-requester', 'offer-auth', 'sigH', 'requester'],
    ['the requester signature', 'to-helper', 'offer-host', 'sigR', 'helper'],
    ['the helper ephemeral key', 'to-requester', 'offer-hello', 'eh', 'helper'],
    ['the helper nonce', 'to-requester', 'offer-hello', 'nonceH', 'helper'],
    ['the requester nonce', 'to-helper', 'offer-host', 'nonceR', 'helper'],
  ] as const)('tampering with %s in flight is refused', async (_what, direction, type, field, catcher) => {
    const p = requesterParams();
    const srv = await requesterServer(p);
    const rewrite: Rewrite = (m, dir) => (dir === direction && m.type === type ? ({ ...m, [field]: flipBit((m as Record<string, string>)[field]!) } as OfferMessage) : m);
    const proxy = await startMitmProxy(srv.port, rewrite);
    cleanups.push(() => proxy.close());
    const err = await runOfferHelperHandshake(await connectTcp(proxy.port), helperParams()).catch((e: OfferHandshakeError) => e);
    expect(err).toBeInstanceOf(OfferHandshakeError);
    if (catcher === 'helper') {
      // The helper catches it and never signs: the computer learns nothing usable.
      expect((err as OfferHandshakeError).reason).toBe('bad-signature');
      expect(p.authorized).toEqual([]);
    } else {
      expect(err).toMatchObject({ reason: 'refused', extra: { refusal: { reason: 'bad-signature' } } });
      expect(((await outcome(srv.outcomes)) as OfferHandshakeError).extra.helper?.authenticated).toBe(false);
      expect(p.authorized).toEqual([]);
    }
  });

  it('a replayed helper transcript is refused: the new nonce and ephemeral key break the old signature', async () => {
    const p = requesterParams();
    const srv = await requesterServer(p);
    const captured: OfferMessage[] = [];
    const proxy = await startMitmProxy(srv.port, (m, dir) => (dir === 'to-requester' && captured.push(m), m));
    cleanups.push(() => proxy.close());
    const ok = await runOfferHelperHandshake(await connectTcp(proxy.port), helperParams());
    expect(ok.host.fingerprint).toBe(hostKey.fingerprint);
    expect(captured.map((m) => m.type)).toEqual(['offer-hello', 'offer-auth']);

    const replay = new RawPeer(await connectTcp(srv.port));
    cleanups.push(() => replay.socket.destroy());
    replay.send(captured[0]!);
    expect((await replay.next())?.type).toBe('offer-host');
    replay.send(captured[1]!);
    expect(await replay.next()).toMatchObject({ type: 'offer-refuse', reason: 'bad-signature' });
    await expect.poll(() => srv.outcomes.length).toBe(2);
    expect(srv.outcomes[1]).toMatchObject({ reason: 'refused', extra: { helper: { authenticated: false } } });
    expect(p.authorized).toHaveLength(1); // only the genuine run reached the allow-list
  });

  it('an impostor with another host key is caught by the helper before it signs', async () => {
    const impostorKey = testKey();
    const impostor = await requesterServer(requesterParams({ hostKey: impostorKey.pair, authorize: () => ({ ok: true, displayName: 'x' }) }));
    const err = await runOfferHelperHandshake(
      await connectTcp(impostor.port),
      helperParams((h) => {
        if (h.fingerprint !== hostKey.fingerprint) throw new OfferHandshakeError('host-key-changed', 'changed', { pinnedFingerprint: hostKey.fingerprint, hostFingerprint: h.fingerprint });
      }),
    ).catch((e: OfferHandshakeError) => e);
    expect(err).toMatchObject({ reason: 'host-key-changed', extra: { hostFingerprint: impostorKey.fingerprint } });
    // The impostor never received the helper's signature.
    expect(await outcome(impostor.outcomes)).toMatchObject({ reason: 'closed' });
  });

  it('refuses a low-order ephemeral key, garbage, a wrong protocol, and a silent peer', async () => {
    const p = requesterParams({ timeoutMs: 300 });
    const srv = await requesterServer(p);
    const hello = { type: 'offer-hello', helperName: 'M', helperKey: Buffer.from(helperKey.pair.publicKey).toString('base64'), nonceH: Buffer.alloc(32, 1).toString('base64') };

    const zero = new RawPeer(await connectTcp(srv.port));
    zero.send({ ...hello, proto: OFFER_PROTOCOL, eh: Buffer.alloc(32).toString('base64') });
    expect(await zero.next()).toBeNull(); // hung up, nothing signed
    const old = new RawPeer(await connectTcp(srv.port));
    old.send({ ...hello, proto: 'remote-assist-offer/0', eh: Buffer.alloc(32, 9).toString('base64') });
    expect(await old.next()).toMatchObject({ type: 'offer-refuse', reason: 'incompatible' });
    const junk = await connectTcp(srv.port);
    junk.write('GET / HTTP/1.1\r\n\r\n');
    const silent = await connectTcp(srv.port);
    cleanups.push(() => junk.destroy(), () => silent.destroy());

    await expect.poll(() => srv.outcomes.length).toBe(4);
    const reasons = srv.outcomes.map((o) => (o as OfferHandshakeError).reason).sort();
    expect(reasons).toEqual(['bad-key', 'protocol-error', 'refused', 'timeout']);
    expect(p.authorized).toEqual([]);
  });

  it('refuses with "busy" when the gate says so, before any signing', async () => {
    const srv = await requesterServer(requesterParams({ gate: () => ({ reason: 'busy', message: 'Someone is already being helped.' }) }));
    const err = await runOfferHelperHandshake(await connectTcp(srv.port), helperParams()).catch((e: OfferHandshakeError) => e);
    expect(err).toMatchObject({ reason: 'refused', extra: { refusal: { reason: 'busy' } } });
  });
});

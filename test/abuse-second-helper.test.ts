// Abuse case: a second helper holding the same invitation file and password (a forwarded e-mail, an
// eavesdropped phone call) tries to join while a session is running. Real app core, real TCP, real
// handshake; both helpers are raw links. The offer path has the same test in offer-service.test.ts.
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../src-shared/contract/errors';
import { createMemoryLinkPair } from '../src-main/link/memory-link';
import { disposeCores, inviteOn, startCore } from './helpers/core-harness';

afterEach(disposeCores);

describe('abuse: a second helper', () => {
  it('cannot join while the first is waiting for consent, nor once the session runs; the user is never asked about it', async () => {
    const r = await startCore();
    const { connect } = await inviteOn(r);
    const first = await connect(undefined, 'First Helper');
    await vi.waitFor(() => expect(r.prompt.asked).toHaveLength(1));

    // Turned away: the listener stops accepting once the invitation is claimed, and a handshake that
    // raced in is refused as 'used' (the link-level test of that race is in invitation-handshake.test.ts).
    const turnedAway = (e: unknown) => e instanceof AppError && (e.code === 'unreachable' || (e.code === 'refused' && e.details?.refusal === 'used'));
    const waiting = await connect(undefined, 'Second Helper').catch((e: unknown) => e);
    expect(turnedAway(waiting), String(waiting)).toBe(true);

    await r.prompt.answer('yes');
    await vi.waitFor(async () => expect(await r.state()).toBe('viewing'));
    const running = await connect(undefined, 'Second Helper').catch((e: unknown) => e);
    expect(turnedAway(running), String(running)).toBe(true);

    // The first layer: once used, the invitation's port accepts no connection at all.
    const port = (await r.call('invitation.get', {})).invitation!.port;
    await expect(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    // Only the first helper was ever put in front of the user, and their session is untouched.
    expect(r.prompt.asked).toHaveLength(1);
    expect(r.prompt.asked[0]!.title).toBe('First Helper wants to connect to your computer');
    expect((await r.call('session.get', {})).session).toMatchObject({ state: 'viewing', peerName: 'First Helper' });
    expect(first.link.closed).toBe(false);
  });

  it('even a link that got past the listener cannot displace the running session (one session at a time)', async () => {
    const r = await startCore();
    const { connect } = await inviteOn(r);
    await connect(undefined, 'First Helper');
    await r.prompt.answer('yes');
    await vi.waitFor(async () => expect(await r.state()).toBe('viewing'));

    // Defence in depth below the invitation's one-use rule: the session service itself refuses.
    const [, intruder] = createMemoryLinkPair(['Intruder', 'Requester']);
    const gate = { setControl() {}, setPaused() {}, handle() {}, releaseAll() {} };
    expect(() =>
      r.core.services.sessions.attachRequester({ link: intruder, kind: 'invitation', audit: () => {}, how: 'x', controlPermission: () => ({ allowed: true, reason: null }), gate, echo: { isEcho: () => false } }),
    ).toThrow(/already running/);
    expect(intruder.closed).toBe(true);
    expect(r.prompt.asked).toHaveLength(1);
    expect((await r.call('session.get', {})).session).toMatchObject({ state: 'viewing', peerName: 'First Helper' });
  });
});

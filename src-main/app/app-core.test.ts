// Two app cores in one process, joined over real TCP on loopback: the invitation flow as main
// runs it (policy, listener, handshake, session, audit), without any page.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectToInvitation } from '../link/invitation-connector';
import { parseTicketFile } from '../invitation/ticket-parse';
import { openTicket } from '../invitation/ticket-codec';
import { CHANNEL_SCHEMAS } from './channel-schemas';
import { silentLog } from '../link/link-options';
import type { ConsentAnswer } from '../consent/consent-port';
import { ScriptedPrompt, disposeCores, startCore } from '../../test/helpers/core-harness';

afterEach(disposeCores);

/** An app core whose user answers every question at once, with the kinds asked kept in order. */
async function core(opts: { answer?: ConsentAnswer['answer']; policy?: Record<string, unknown> } = {}) {
  const h = await startCore({ prompt: new ScriptedPrompt(opts.answer ?? 'yes'), ...(opts.policy ? { policy: opts.policy } : {}) });
  return { ...h, asked: () => h.prompt.asked.map((q) => q.kind), events: h.auditEvents };
}

describe('invitation flow between two app cores', () => {
  it('connects, asks consent, shares, and logs both sides', async () => {
    const requester = await core();
    const helper = await core();
    const { fileText } = await requester.call('invitation.create', { password: 'correct horse battery' });
    await helper.call('invitation.open', { name: 'x.rainvite', content: fileText });
    await helper.call('invitation.connect', { password: 'correct horse battery' });
    await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.state).toBe('viewing'));
    expect(requester.asked()).toEqual(['view']);
    await helper.call('session.requestControl', {});
    await vi.waitFor(async () => expect((await requester.call('session.get', {})).session?.state).toBe('controlling'));
    // The helper sends input only once it too knows control was granted (it mirrors the requester).
    await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.state).toBe('controlling'));
    await helper.call('session.input', { events: [{ type: 'pointer.move', x: 0.5, y: 0.5 }] });
    await vi.waitFor(() => expect(requester.injector.calls.some((c) => c.op === 'moveTo')).toBe(true));
    await requester.call('session.end', {});
    await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.state).toBe('ended'));
    const types = requester.events().map((e) => e.type);
    for (const t of ['invitation.created', 'connection.attempt', 'consent.asked', 'consent.granted', 'control.granted', 'control.revoked', 'session.ended']) expect(types).toContain(t);
  });

  it('wrong passwords through the link spend one shared budget, then the invitation locks itself', async () => {
    const requester = await core();
    const { fileText, invitation } = await requester.call('invitation.create', { password: 'correct horse battery' });
    const { candidates } = await openTicket(parseTicketFile(fileText), 'correct horse battery');
    const attempt = (password: string) =>
      connectToInvitation({ candidates, invitationId: invitation.invitationId, password, helperName: 'mallory', channelSchemas: CHANNEL_SCHEMAS, logger: silentLog }).then(
        () => 'connected',
        (e: { code: string; details?: { attemptsLeft?: number } }) => `${e.code}:${e.details?.attemptsLeft ?? ''}`,
      );
    expect(await attempt('guess-1')).toBe('wrong-password:4');
    expect(await attempt('guess-2')).toBe('wrong-password:3');
    expect(await attempt('guess-3')).toBe('wrong-password:2');
    expect(await attempt('guess-4')).toBe('wrong-password:1');
    expect(await attempt('guess-5')).toMatch(/^(locked|wrong-password):/);
    // The sixth try fails even with the right password.
    expect(await attempt('correct horse battery')).not.toBe('connected');
    await vi.waitFor(async () => expect((await requester.call('invitation.get', {})).invitation?.state).toBe('locked'));
    const events = requester.events();
    expect(events.filter((e) => e.type === 'password.failed')).toHaveLength(5);
    expect(events.some((e) => e.type === 'invitation.locked')).toBe(true);
  });

  it('cancelling closes the listener and is logged; a used invitation cannot be reused', async () => {
    const requester = await core({ answer: 'no' });
    const helper = await core();
    const { fileText } = await requester.call('invitation.create', { password: 'correct horse battery' });
    await requester.call('invitation.cancel', {});
    await helper.call('invitation.open', { name: 'x.rainvite', content: fileText });
    await expect(helper.call('invitation.connect', { password: 'correct horse battery' })).rejects.toMatchObject({ code: 'unreachable' });
    expect(requester.events().map((e) => e.type)).toContain('invitation.cancelled');

    const second = await requester.call('invitation.create', { password: 'correct horse battery' });
    await helper.call('invitation.open', { name: 'y.rainvite', content: second.fileText });
    await helper.call('invitation.connect', { password: 'correct horse battery' });
    await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.state).toBe('ended'));
    await helper.call('session.dismiss', {});
    await expect(helper.call('invitation.connect', { password: 'correct horse battery' })).rejects.toMatchObject({ code: expect.stringMatching(/unreachable|refused/) });
  });

  it('a cancelled invitation deletes the file main saved for it, and logs it', async () => {
    const requester = await core();
    const target = path.join(requester.root, 'for-bob.rainvite');
    const { invitation } = await requester.call('invitation.create', { password: 'correct horse battery', savePath: target });
    expect(invitation.savedTo).toBe(target);
    expect(fs.existsSync(target)).toBe(true);
    await requester.call('invitation.cancel', {});
    await vi.waitFor(() => expect(requester.events().map((e) => e.type)).toContain('invitation.deleted'));
    expect(fs.existsSync(target)).toBe(false);
    const types = requester.events().map((e) => e.type);
    expect(types.indexOf('invitation.cancelled')).toBeLessThan(types.indexOf('invitation.deleted'));
  });

  it('policy: view-only refuses control without asking; compatibility refused when encrypted-only', async () => {
    const requester = await core({ policy: { allowControl: false } });
    const helper = await core();
    await expect(requester.call('invitation.create', { password: 'correct horse battery', compatibility: true })).rejects.toMatchObject({ code: 'disabled-by-policy' });
    const { fileText } = await requester.call('invitation.create', { password: 'correct horse battery' });
    await helper.call('invitation.open', { name: 'x.rainvite', content: fileText });
    await helper.call('invitation.connect', { password: 'correct horse battery' });
    await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.controlAllowed).toBe(false));
    await helper.call('session.requestControl', {});
    await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.notice).toMatch(/view only/));
    expect(requester.asked()).toEqual(['view']);
  });
});

/**
 * Invitations through a real relay, as main runs them: two app cores in one process (policy,
 * listener, relay hosting, racing Connect, Easy Connect, sessions, audit), a relay on loopback
 * that mints TURN credentials, and no page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppCore, type AppCore } from '../app/app-core';
import { resolveProfile } from '../profile/profile-paths';
import { createMemoryLogger } from '../platform/app-logger';
import { callTyped } from '../../src-shared/rpc/rpc-server';
import type { MethodName, RequestOf, ResponseOf } from '../../src-shared/contract/index';
import type { ConsentAnswer, ConsentPrompt } from '../consent/consent-port';
import { RecordingInjector } from '../input/recording-injector';
import { startTestRelay } from '../relay/relay-test-helpers';
import type { RelayServer } from '../relay/relay-server';
import { parseTicketFile } from './ticket-parse';
import { openTicket } from './ticket-codec';
import { formatEasyConnectCode, parseEasyConnectCode } from './easy-connect-code';

const CHEAP_KDF = { N: 1024, r: 8, p: 1 };
const TURN = { secret: 'turn-shared-secret', urls: ['turn:127.0.0.1:3478?transport=udp'], ttlSeconds: 3600 };
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

class Yes implements ConsentPrompt {
  asked: string[] = [];
  async ask(_id: string, q: { kind: string }): Promise<ConsentAnswer> {
    this.asked.push(q.kind);
    return { answer: 'yes' };
  }
  cancel() {}
}

async function core(policy: Record<string, unknown>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-relay-core-'));
  const env: NodeJS.ProcessEnv = { ...process.env, REMOTE_ASSIST_POLICY_FILE: path.join(root, 'policy.json'), REMOTE_ASSIST_ANSWER_FILE: path.join(root, 'none.xml') };
  fs.writeFileSync(env.REMOTE_ASSIST_POLICY_FILE!, JSON.stringify({ version: 1, settings: policy }));
  const prompt = new Yes();
  const c: AppCore = await createAppCore({
    host: 'browser-host',
    role: 'any',
    profile: resolveProfile(root),
    logger: createMemoryLogger(),
    env,
    consentPrompt: () => prompt,
    testing: { listenHost: '127.0.0.1', kdf: CHEAP_KDF, injector: new RecordingInjector(), firewall: null },
  });
  cleanups.push(() => c.dispose());
  const call = <M extends MethodName>(m: M, req: RequestOf<M>): Promise<ResponseOf<M>> => callTyped(c.server, m, req, { connectionId: 't', transport: 'memory' });
  const events = () =>
    fs
      .readdirSync(resolveProfile(root).logsDir)
      .flatMap((f) => fs.readFileSync(path.join(resolveProfile(root).logsDir, f), 'utf8').trim().split('\n'))
      .map((l) => (JSON.parse(l) as { event: { type: string } & Record<string, unknown> }).event);
  return { call, prompt, events };
}

async function relay(): Promise<RelayServer> {
  const { relay: r } = await startTestRelay({ turn: TURN });
  cleanups.push(() => r.close());
  return r;
}

/** The relay-only policy an organisation would deploy on both computers. */
const relayOnly = (r: RelayServer) => ({ relayUrl: r.url, directConnections: false, iceTransportPolicy: 'relay', iceServers: [{ urls: 'stun:stun.example.org:3478' }] });

async function waitViewing(side: { call: Awaited<ReturnType<typeof core>>['call'] }) {
  await vi.waitFor(async () => expect((await side.call('session.get', {})).session?.state).toBe('viewing'), { timeout: 10_000 });
  return (await side.call('session.get', {})).session!;
}

describe('invitations through the relay (two app cores, a real relay)', () => {
  it('relay only: the file lists no address, both sides link via the relay, and each page gets the pair\u2019s TURN credentials and relay-only ICE', async () => {
    const r = await relay();
    const requester = await core(relayOnly(r));
    const helper = await core(relayOnly(r));
    const { fileText, invitation } = await requester.call('invitation.create', { password: 'correct horse battery' });
    expect(invitation.direct).toBe(false);
    const { candidates, relay: rendezvous } = await openTicket(parseTicketFile(fileText), 'correct horse battery');
    expect(candidates).toEqual([]);
    expect(rendezvous).toMatchObject({ url: r.url });
    await vi.waitFor(async () => expect((await requester.call('invitation.get', {})).invitation?.relayStatus).toMatch(/Waiting for your helper at the relay 127\.0\.0\.1:\d+/));

    await helper.call('invitation.open', { name: 'x.rainvite', content: fileText });
    await helper.call('invitation.connect', { password: 'correct horse battery' });
    const h = await waitViewing(helper);
    const q = await waitViewing(requester);
    const via = `via relay ${r.url.replace(/\/$/, '')}`;
    expect(h.peerAddress).toBe(via);
    expect(q.peerAddress).toBe(via);
    for (const view of [h, q]) {
      expect(view.iceTransportPolicy).toBe('relay');
      // The relay's TURN entry first, then the configured servers.
      expect(view.iceServers[0]).toMatchObject({ urls: TURN.urls });
      expect(view.iceServers[0]!.credential).toBe(createHmac('sha1', TURN.secret).update(view.iceServers[0]!.username!).digest('base64'));
      expect(view.iceServers[1]).toEqual({ urls: 'stun:stun.example.org:3478' });
    }
    expect(requester.events().find((e) => e.type === 'connection.attempt')?.peerAddress).toBe(via);
  });

  it('Easy Connect: a code instead of a file; a typo costs nothing, a wrong code one try, the right one connects; then the code is gone', async () => {
    const r = await relay();
    const requester = await core({ relayUrl: r.url });
    const helper = await core({ relayUrl: r.url });
    const created = await requester.call('invitation.create', { easyConnect: true });
    expect(created.fileText).toBe('');
    expect(created.invitation).toMatchObject({ easyConnect: true, fileName: '', attemptsLeft: 5 });
    const code = created.easyConnectCode!;
    expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    await expect(requester.call('invitation.email', {})).rejects.toMatchObject({ code: 'conflict' });

    // A typo is caught by the check character: nothing reaches the relay or the requester.
    const typo = code.slice(0, 5) + (code[5] === 'a' ? 'c' : 'a') + code.slice(6);
    await expect(helper.call('invitation.connectCode', { code: typo })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/typo/) });
    // A well-formed code with the wrong password part: one try spent, said on both sides.
    const { codeId, password } = parseEasyConnectCode(code);
    const wrong = formatEasyConnectCode({ codeId, password: password === 'aaaaaaa' ? 'ccccccc' : 'aaaaaaa' });
    await expect(helper.call('invitation.connectCode', { code: wrong })).rejects.toMatchObject({ code: 'wrong-password', details: { attemptsLeft: 4 } });
    await vi.waitFor(async () => expect((await requester.call('invitation.get', {})).invitation).toMatchObject({ attemptsLeft: 4, lastEvent: expect.stringMatching(/tried a wrong code \(4 tries left\)/) }));

    // Typed as people type what they hear.
    await helper.call('invitation.connectCode', { code: ` ${code.toUpperCase().replaceAll('-', ' ')} ` });
    const h = await waitViewing(helper);
    expect(h.peerName).toBe((await requester.call('app.info', {})).userName);
    expect(h.peerAddress).toMatch(/^via relay ws:\/\/127\.0\.0\.1:\d+$/);
    expect(h.iceServers[0]).toMatchObject({ urls: TURN.urls });
    await waitViewing(requester);
    // Used: the relay no longer knows the code.
    await helper.call('session.end', {});
    await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.state).toBe('ended'));
    await helper.call('session.dismiss', {});
    await vi.waitFor(() => expect(helper.call('invitation.connectCode', { code })).rejects.toMatchObject({ code: 'not-found' }));
  });

  it('cancelling an Easy Connect invitation takes its code off the relay', async () => {
    const r = await relay();
    const requester = await core({ relayUrl: r.url });
    const helper = await core({ relayUrl: r.url });
    const { easyConnectCode } = await requester.call('invitation.create', { easyConnect: true });
    await requester.call('invitation.cancel', {});
    await expect(helper.call('invitation.connectCode', { code: easyConnectCode! })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/No invitation has this Easy Connect code/) });
  });

  it('says what is missing: Easy Connect without a relay, relay-only without a relay, compatibility when relay-only, a helper with no relay', async () => {
    const plain = await core({});
    await expect(plain.call('invitation.create', { easyConnect: true })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/Easy Connect needs a relay server/) });
    await expect(plain.call('invitation.create', { easyConnect: true, password: 'correct horse battery' } as never)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(plain.call('invitation.create', {})).rejects.toMatchObject({ code: 'invalid-input', message: 'Choose a password for the invitation.' });
    await expect(plain.call('invitation.connectCode', { code: 'k7mx-3aph-rtwn' })).rejects.toMatchObject({ code: expect.stringMatching(/invalid-input|unavailable/) });
    const noRelay = await core({ directConnections: false });
    await expect(noRelay.call('invitation.create', { password: 'correct horse battery' })).rejects.toMatchObject({ code: 'disabled-by-policy', message: expect.stringMatching(/only through a relay server, but no relay server is set/) });
    const r = await relay();
    const strict = await core({ relayUrl: r.url, directConnections: false, encryptedOnly: false });
    await expect(strict.call('invitation.create', { password: 'correct horse battery', compatibility: true })).rejects.toMatchObject({ code: 'disabled-by-policy' });

    // A relay-only helper given a file that offers no relay.
    const direct = await core({});
    const { fileText } = await direct.call('invitation.create', { password: 'correct horse battery' });
    const relayOnlyHelper = await core({ relayUrl: r.url, directConnections: false });
    await relayOnlyHelper.call('invitation.open', { name: 'x.rainvite', content: fileText });
    await expect(relayOnlyHelper.call('invitation.connect', { password: 'correct horse battery' })).rejects.toMatchObject({ code: 'disabled-by-policy' });
  });
});

// The offer flow end to end in plain Node: two real compositions of main's services (requester
// and helper profiles, real policy files, real audit logs), real TCP on loopback, and a scripted
// consent prompt standing in for the person at the requester's screen.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src-shared/contract/errors';
import { EventHub } from '../../src-shared/rpc/event-hub';
import { createServices, type Services } from '../app/services';
import type { ConsentAnswer, ConsentPrompt, ConsentQuestion } from '../consent/consent-port';
import { RecordingInjector } from '../input/recording-injector';
import { createMemoryLogger } from '../platform/app-logger';
import { resolveProfile } from '../profile/profile-paths';
import { IdentityStore } from './identity-store';
import { KnownHosts } from './known-hosts';
import { freePort } from './offer-test-helpers';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-offer-service-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const running: Services[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.dispose();
});

/** The person at the requester's screen, answering prompts when the test says so. */
class ScriptedPrompt implements ConsentPrompt {
  readonly asked: ConsentQuestion[] = [];
  private pending: ((a: ConsentAnswer) => void)[] = [];
  ask(_id: string, q: ConsentQuestion): Promise<ConsentAnswer> {
    this.asked.push(q);
    return new Promise((r) => this.pending.push(r));
  }
  cancel(): void {}
  async answer(answer: ConsentAnswer['answer']): Promise<void> {
    await vi.waitFor(() => expect(this.pending.length).toBeGreaterThan(0));
    this.pending.shift()!({ answer });
  }
}

interface Side {
  services: Services;
  prompt: ScriptedPrompt;
  profileDir: string;
  policyFile: string;
  writePolicy(settings: Record<string, unknown>): void;
}

async function side(name: string, settings: Record<string, unknown> | null, profileDir = fs.mkdtempSync(path.join(root, `${name}-`))): Promise<Side> {
  const policyFile = path.join(profileDir, 'policy.json');
  const writePolicy = (s: Record<string, unknown>) => fs.writeFileSync(policyFile, JSON.stringify({ version: 1, settings: s }));
  if (settings) writePolicy(settings);
  const prompt = new ScriptedPrompt();
  const services = await createServices({
    role: 'any',
    profile: resolveProfile(profileDir),
    logger: createMemoryLogger(),
    hub: new EventHub(),
    prompt,
    env: { REMOTE_ASSIST_POLICY_FILE: policyFile, REMOTE_ASSIST_ANSWER_FILE: path.join(profileDir, 'none.xml') },
    listenHost: '127.0.0.1',
    injector: new RecordingInjector(),
    firewall: null,
  });
  running.push(services);
  return { services, prompt, profileDir, policyFile, writePolicy };
}

/** A helper profile whose identity exists already, so its fingerprint can go into a policy. */
function helperProfile(): { dir: string; fingerprint: string } {
  const dir = fs.mkdtempSync(path.join(root, 'helper-'));
  return { dir, fingerprint: new IdentityStore(resolveProfile(dir).configDir).helperIdentity().fingerprint };
}

function listenerLog(s: Side): { event: { type: string; reason?: string; fingerprint?: string }; role: string; peerAddress: string | null }[] {
  const dir = resolveProfile(s.profileDir).logsDir;
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.startsWith('listener-')) : [];
  return files.flatMap((f) =>
    fs
      .readFileSync(path.join(dir, f), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: { type: string }; role: string; peerAddress: string | null })
      .filter((l) => l.event.type !== 'log.header'),
  );
}

describe('offer help between two instances', () => {
  it('a listed helper: the user is asked ("NAME is offering to help you", with the helper ID), then both sides are viewing', async () => {
    const h = helperProfile();
    const port = await freePort();
    const requester = await side('requester', { allowOffers: true, offerListenerPort: port, offerHelpers: [{ name: 'Helen from IT', fingerprint: h.fingerprint }] });
    const helper = await side('helper', null, h.dir);
    expect(requester.services.offers.listenerStatus()).toMatchObject({ enabled: true, listening: true, port, allowListCount: 1 });

    const result = await helper.services.offers.offer('127.0.0.1', port);
    expect(result.firstContact).toBe(true);
    expect(result.hostFingerprint).toBe(requester.services.offers.listenerStatus().hostFingerprint);
    await vi.waitFor(() => expect(requester.prompt.asked).toHaveLength(1));
    const q = requester.prompt.asked[0]!;
    expect(q.title).toBe('Helen from IT is offering to help you');
    expect(q.details[0]).toMatch(new RegExp(`^Helen from IT \\(from the help desk, helper ID ${h.fingerprint}\\) connected from 127\\.0\\.0\\.1:\\d+\\.$`));
    expect(helper.services.sessions.view()?.state).toBe('awaiting-consent');

    await requester.prompt.answer('yes');
    await vi.waitFor(() => expect(helper.services.sessions.view()?.state).toBe('viewing'));
    expect(requester.services.sessions.view()).toMatchObject({ state: 'viewing', kind: 'offer', peerName: 'Helen from IT' });
    // The helper pinned the computer's key and remembers the computer.
    expect(helper.services.offers.recent()[0]).toMatchObject({ host: '127.0.0.1', port, computerName: expect.any(String) });

    // One session at a time: a second offer meanwhile is refused as busy.
    const second = await side('helper2', null, h.dir);
    const busy = await second.services.offers.offer('127.0.0.1', port).catch((e: AppError) => e);
    expect(busy).toMatchObject({ code: 'unavailable', details: { reason: 'busy' } });
  });

  it('an unlisted helper is refused before anyone is asked, and both sides audit it', async () => {
    const listed = helperProfile();
    const port = await freePort();
    const requester = await side('requester', { allowOffers: true, offerListenerPort: port, offerHelpers: [{ name: 'Helen', fingerprint: listed.fingerprint }] });
    const stranger = await side('stranger', null);
    const fp = stranger.services.offers.identity().fingerprint;
    const err = await stranger.services.offers.offer(`127.0.0.1:${port}`).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'refused', message: `You are not allowed to offer help to this computer. Ask its administrator to add your helper ID (${fp}).`, details: { reason: 'not-allowed' } });
    expect(requester.prompt.asked).toEqual([]);
    expect(requester.services.sessions.view()).toBeNull();
    await vi.waitFor(() => expect(listenerLog(requester).map((l) => l.event)).toContainEqual(expect.objectContaining({ type: 'offer.refused', fingerprint: fp, reason: 'not-allowed' })));
    expect(listenerLog(requester)[0]).toMatchObject({ role: 'requester', peerAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    expect(listenerLog(stranger).map((l) => [l.role, l.event.type, l.event.reason])).toEqual([['helper', 'offer.refused', 'not-allowed']]);
  });

  it('offers disabled by policy: nothing listens, and the helper is told the port after a bounded wait', async () => {
    const port = await freePort();
    const requester = await side('requester', { allowOffers: false, offerListenerPort: port });
    expect(requester.services.offers.listenerStatus()).toMatchObject({ enabled: false, listening: false });
    await expect(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const helper = await side('helper', null);
    const err = await helper.services.offers.offer('127.0.0.1', port).catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'unreachable', details: { reason: 'unreachable' } });
    expect((err as AppError).message).toBe(
      `Could not reach 127.0.0.1 on port ${port}. The computer may be off, offers may be turned off there, or a firewall may block port ${port} — ask its administrator to allow it.`,
    );
  });

  it('a live policy change starts the listener, and turning offers off stops it', async () => {
    const h = helperProfile();
    const port = await freePort();
    const requester = await side('requester', { allowOffers: false, offerListenerPort: port });
    requester.writePolicy({ allowOffers: true, offerListenerPort: port, offerAdmins: [{ name: 'Ada Admin', fingerprint: h.fingerprint }] });
    await vi.waitFor(() => expect(requester.services.offers.listenerStatus().listening).toBe(true), { timeout: 8000 });
    const helper = await side('helper', null, h.dir);
    await helper.services.offers.offer('127.0.0.1', port);
    await vi.waitFor(() => expect(requester.prompt.asked[0]?.details[0]).toMatch(/^Ada Admin \(an administrator of this computer, helper ID /));

    requester.writePolicy({ allowOffers: false, offerListenerPort: port });
    await vi.waitFor(() => expect(requester.services.offers.listenerStatus().listening).toBe(false), { timeout: 8000 });
    await expect(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it("a computer whose host key changed is refused with a warning before the helper signs anything", async () => {
    const h = helperProfile();
    const port = await freePort();
    const first = await side('requester', { allowOffers: true, offerListenerPort: port, offerHelpers: [{ name: 'Helen', fingerprint: h.fingerprint }] });
    const helper = await side('helper', null, h.dir);
    await helper.services.offers.offer('127.0.0.1', port);
    helper.services.sessions.end();
    await vi.waitFor(() => expect(helper.services.sessions.busy).toBe(false));
    helper.services.sessions.dismiss();
    await first.services.dispose();
    running.splice(running.indexOf(first.services), 1);

    // "Reinstalled", or an impostor: same address and port, another host key.
    const impostor = await side('impostor', { allowOffers: true, offerListenerPort: port, offerHelpers: [{ name: 'Helen', fingerprint: h.fingerprint }] });
    const err = await helper.services.offers.offer('127.0.0.1', port).catch((e: AppError) => e);
    const label = `[127.0.0.1]:${port}`;
    expect(err).toMatchObject({ code: 'refused', details: { reason: 'host-key-changed', label } });
    expect((err as AppError).message).toMatch(
      new RegExp(`^The identity of 127\\.0\\.0\\.1 has changed since you last connected\\. This can mean someone is impersonating it\\. If the administrator reinstalled it, remove the old key: remote-assist identity forget-host \\[127\\.0\\.0\\.1\\]:${port}`),
    );
    expect(impostor.prompt.asked).toEqual([]);
    expect(listenerLog(impostor)).toEqual([]); // it never even learned who was knocking for sure
    expect(listenerLog(helper).map((l) => l.event.reason)).toContain('host-key-changed');

    // After deliberately removing the old key, the new one is pinned.
    expect(new KnownHosts(resolveProfile(h.dir).configDir).forget(label)).toBe(true);
    expect((await helper.services.offers.offer('127.0.0.1', port)).firstContact).toBe(true);
  });
});

// The whole Wayland path, from the environment to the helper's disabled "Request control" button:
// two app cores over real TCP, the requester in a simulated Wayland session whose XWayland display
// is a real Xvfb (so X11 injection *would* work there, and must still be refused).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppCore, type AppCore } from './app-core';
import { resolveProfile } from '../profile/profile-paths';
import { createMemoryLogger } from '../platform/app-logger';
import { callTyped } from '../../src-shared/rpc/rpc-server';
import type { MethodName, RequestOf, ResponseOf } from '../../src-shared/contract/index';
import type { ConsentAnswer, ConsentPrompt } from '../consent/consent-port';
import { startXvfb, xvfbUnavailableReason, type XvfbDisplay } from '../input/xvfb-fixture';

const noXvfb = xvfbUnavailableReason();
if (noXvfb) console.log(`skipping the Wayland control path test: ${noXvfb}`);

const cores: AppCore[] = [];
let xvfb: XvfbDisplay;

class AnswerYes implements ConsentPrompt {
  asked: string[] = [];
  async ask(_id: string, q: { kind: string }): Promise<ConsentAnswer> {
    this.asked.push(q.kind);
    return { answer: 'yes' };
  }
  cancel() {}
}

async function core(session: Record<string, string>, display?: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-wayland-'));
  const { XDG_SESSION_TYPE: _t, WAYLAND_DISPLAY: _w, DISPLAY: _d, ...rest } = process.env;
  const env: NodeJS.ProcessEnv = { ...rest, ...session, REMOTE_ASSIST_POLICY_FILE: path.join(root, 'policy.json'), REMOTE_ASSIST_ANSWER_FILE: path.join(root, 'none.xml') };
  const prompt = new AnswerYes();
  const c = await createAppCore({
    host: 'browser-host',
    role: 'any',
    profile: resolveProfile(root),
    logger: createMemoryLogger(),
    env,
    ...(display ? { display } : {}),
    consentPrompt: () => prompt,
    // No injector: the real selection runs (XTest, or "unavailable" with the reason).
    testing: { listenHost: '127.0.0.1', kdf: { N: 1024, r: 8, p: 1 }, firewall: null },
  });
  cores.push(c);
  const call = <M extends MethodName>(m: M, req: RequestOf<M>): Promise<ResponseOf<M>> => callTyped(c.server, m, req, { connectionId: 't', transport: 'memory' });
  return { call, prompt };
}

async function connect(requester: Awaited<ReturnType<typeof core>>, helper: Awaited<ReturnType<typeof core>>) {
  const { fileText } = await requester.call('invitation.create', { password: 'correct horse battery' });
  await helper.call('invitation.open', { name: 'x.rainvite', content: fileText });
  await helper.call('invitation.connect', { password: 'correct horse battery' });
  await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.state).toBe('viewing'));
}

describe.skipIf(!!noXvfb)('Wayland: control is refused with the reason, all the way to the helper', () => {
  beforeAll(async () => {
    xvfb = await startXvfb({ width: 320, height: 240 });
  });
  afterAll(async () => xvfb?.stop());
  afterEach(async () => {
    for (const c of cores.splice(0)) await c.dispose();
  });

  it('says on the home screen what works and what does not, and disables Request control with the reason', async () => {
    const requester = await core({ XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: xvfb.display });
    const helper = await core({ XDG_SESSION_TYPE: 'x11', DISPLAY: xvfb.display });
    const notice = (await requester.call('app.info', {})).displayNotice;
    expect(notice).toMatch(/Wayland session/);
    expect(notice).toMatch(/What works: your helper can see your screen/);
    expect(notice).toMatch(/cannot control your mouse and keyboard/);
    expect((await helper.call('app.info', {})).displayNotice).toBeNull();

    await connect(requester, helper);
    const seen = (await helper.call('session.get', {})).session!;
    expect(seen.controlAllowed).toBe(false);
    expect(seen.controlReason).toMatch(/needs an X11 session, and this is a Wayland session/);
    expect((await requester.call('session.get', {})).session!.controlReason).toBe(seen.controlReason);

    // Asking anyway is answered without a prompt to the requester, and nothing is granted.
    await helper.call('session.requestControl', {});
    await vi.waitFor(async () => expect((await helper.call('session.get', {})).session?.controlPending).toBe(false));
    expect((await helper.call('session.get', {})).session?.state).toBe('viewing');
    expect(requester.prompt.asked).toEqual(['view']);
  });

  it('WAYLAND_DISPLAY alone (no XDG_SESSION_TYPE) counts as Wayland for the notice and for control alike', async () => {
    const requester = await core({ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: xvfb.display });
    const helper = await core({ DISPLAY: xvfb.display });
    expect((await requester.call('app.info', {})).displayNotice).toMatch(/Wayland/);
    await connect(requester, helper);
    expect((await helper.call('session.get', {})).session!.controlReason).toMatch(/Wayland/);
  });

  it('an X display given explicitly (--display, as the tests and Xvfb use) is used even in a Wayland session', async () => {
    const requester = await core({ XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }, xvfb.display);
    const helper = await core({ DISPLAY: xvfb.display });
    expect((await requester.call('app.info', {})).displayNotice).toBeNull();
    await connect(requester, helper);
    expect((await helper.call('session.get', {})).session!.controlAllowed).toBe(true);
  });
});

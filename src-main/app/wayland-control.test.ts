// The whole Wayland path, from the environment to the helper's disabled "Request control" button:
// two app cores over real TCP, the requester in a simulated Wayland session whose XWayland display
// is a real Xvfb (so X11 injection *would* work there, and must still be refused).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startXvfb, xvfbUnavailableReason, type XvfbDisplay } from '../input/xvfb-fixture';
import { ScriptedPrompt, disposeCores, startCore } from '../../test/helpers/core-harness';

const noXvfb = xvfbUnavailableReason();
if (noXvfb) console.log(`skipping the Wayland control path test: ${noXvfb}`);

let xvfb: XvfbDisplay;

/** An app core in the given desktop session, selecting its real input injector (XTest or "unavailable"). */
async function core(session: Record<string, string>, display?: string) {
  const { XDG_SESSION_TYPE: _t, WAYLAND_DISPLAY: _w, DISPLAY: _d, ...rest } = process.env;
  const h = await startCore({ env: { ...rest, ...session }, ...(display ? { display } : {}), injector: 'real', prompt: new ScriptedPrompt('yes') });
  return { ...h, asked: () => h.prompt.asked.map((q) => q.kind) };
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
  afterEach(disposeCores);

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
    expect(requester.asked()).toEqual(['view']);
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

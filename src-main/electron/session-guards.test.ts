// The session guards, run against a stand-in for Electron's Session that keeps the handlers they
// install (the Electron binary cannot run here); each handler is then called as Electron would.
import { describe, expect, it } from 'vitest';
import { guardSession, type CaptureSource, type GuardedSession } from './session-guards';

const APP = 'app://remote-assist';
type Handler = (...args: never[]) => unknown;

function fakeSession() {
  const h: Record<string, Handler> = {};
  const keep = (name: string) => (fn: Handler) => void (h[name] = fn);
  const session = {
    setPermissionRequestHandler: keep('request'),
    setPermissionCheckHandler: keep('check'),
    setDevicePermissionHandler: keep('device'),
    setDisplayMediaRequestHandler: keep('display'),
    webRequest: { onBeforeRequest: keep('beforeRequest') },
  };
  return { session: session as unknown as GuardedSession, h: h as Record<string, (...args: unknown[]) => unknown> };
}

function setup(sharing: boolean, source: CaptureSource | null = { id: 'screen:0:0', name: 'Entire screen' }) {
  const state = { sharing };
  const f = fakeSession();
  guardSession(f.session, { appOrigin: APP, sharing: () => state.sharing, chooseSource: async () => source });
  const requestPermission = (permission: string, requestingUrl: string) =>
    new Promise<boolean>((resolve) => f.h.request!({ getURL: () => requestingUrl }, permission, resolve, { requestingUrl }));
  const displayMedia = (frame: { url: string; parent: unknown } | null) =>
    new Promise<unknown>((resolve) => f.h.display!({ frame, securityOrigin: APP, videoRequested: true, audioRequested: true, userGesture: true }, resolve));
  const beforeRequest = (url: string) => new Promise<{ cancel?: boolean }>((resolve) => f.h.beforeRequest!({ url }, resolve));
  return { state, h: f.h, requestPermission, displayMedia, beforeRequest };
}

describe('guardSession', () => {
  it('installs every handler (none left at Electron’s allow-all default)', () => {
    expect(Object.keys(setup(false).h).sort()).toEqual(['beforeRequest', 'check', 'device', 'display', 'request']);
  });

  it('grants display capture to our page only while sharing, clipboard writes to our page; every other permission and every device never', async () => {
    const s = setup(false);
    expect(await s.requestPermission('display-capture', `${APP}/index.html`)).toBe(false);
    s.state.sharing = true;
    expect(await s.requestPermission('display-capture', `${APP}/index.html`)).toBe(true);
    expect(await s.requestPermission('display-capture', 'https://evil.example/')).toBe(false);
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'pointerLock', 'fullscreen']) {
      expect(await s.requestPermission(p, `${APP}/index.html`), p).toBe(false);
      expect(s.h.check!(null, p, APP), p).toBe(false);
    }
    // Writing the clipboard (Copy buttons) is the one other grant, to our page only.
    expect(await s.requestPermission('clipboard-sanitized-write', `${APP}/index.html`)).toBe(true);
    expect(await s.requestPermission('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(s.h.device!({ deviceType: 'usb', origin: APP })).toBe(false);
  });

  it('cancels every request to the network or to file://, lets the app’s own through', async () => {
    const s = setup(true);
    expect(await s.beforeRequest(`${APP}/assets/a.js`)).toEqual({ cancel: false });
    for (const url of ['https://cdn.example/x.js', 'http://127.0.0.1:9/', 'wss://evil.example/', 'file:///etc/passwd']) expect(await s.beforeRequest(url), url).toEqual({ cancel: true });
  });

  it('getDisplayMedia: the chosen screen, video only, to our main frame while sharing; otherwise nothing', async () => {
    const s = setup(false);
    const main = { url: `${APP}/index.html`, parent: null };
    expect(await s.displayMedia(main)).toEqual({});
    s.state.sharing = true;
    expect(await s.displayMedia(main)).toEqual({ video: { id: 'screen:0:0', name: 'Entire screen' } });
    expect(await s.displayMedia({ url: `${APP}/index.html`, parent: main })).toEqual({});
    expect(await s.displayMedia({ url: 'app://remote-assist.evil/', parent: null })).toEqual({});
    expect(await s.displayMedia(null)).toEqual({});
  });

  it('getDisplayMedia with no screen to give, or a failing capturer, is refused', async () => {
    expect(await setup(true, null).displayMedia({ url: `${APP}/index.html`, parent: null })).toEqual({});
    const f = fakeSession();
    guardSession(f.session, { appOrigin: APP, sharing: () => true, chooseSource: () => Promise.reject(new Error('no X')) });
    expect(await new Promise((r) => f.h.display!({ frame: { url: `${APP}/`, parent: null } }, r))).toEqual({});
  });
});

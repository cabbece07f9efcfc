// The web-contents guards, run against a stand-in for Electron's WebContents (an EventEmitter that
// records the window-open handler): the Electron binary cannot run here, and this is the one place
// where its events meet our decisions. The decisions themselves are tested in security-rules.test.ts.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardWebContents, openExternalSafely, type GuardedContents } from './window-guards';

const APP = 'app://remote-assist';

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      openHandler = h;
    },
  });
  const fire = (name: string, ...args: unknown[]) => {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true) };
    // will-frame-navigate passes one details object that is also the event.
    emitter.emit(name, name === 'will-frame-navigate' ? Object.assign(event, args[0] as object) : event, ...args);
    return prevented;
  };
  return { contents: contents as unknown as GuardedContents, fire, open: (url: string) => openHandler!({ url }) };
}

function guarded() {
  const opened: string[] = [];
  const f = fakeContents();
  guardWebContents(f.contents, APP, (url) => opened.push(url));
  return { ...f, opened };
}

describe('guardWebContents', () => {
  it.each(['will-navigate', 'will-redirect'])('%s: stays on our origin, anything else is prevented', (event) => {
    const g = guarded();
    expect(g.fire(event, `${APP}/index.html#/help`)).toBe(false);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://remote-assist.evil/', 'javascript:alert(1)', 'remote-assist://open?file=/x']) {
      expect(g.fire(event, url), url).toBe(true);
    }
  });

  it('will-frame-navigate: a subframe (or the main frame) cannot navigate away either', () => {
    const g = guarded();
    expect(g.fire('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: false })).toBe(true);
    expect(g.fire('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: true })).toBe(true);
    expect(g.fire('will-frame-navigate', { url: `${APP}/index.html`, isMainFrame: true })).toBe(false);
  });

  it('window.open never creates a window; only http(s) goes to the browser, re-serialised', () => {
    const g = guarded();
    for (const url of ['https://example.org/help?q=1', 'http://example.org', 'file:///etc/passwd', 'smb://server/share', `${APP}/index.html`, 'javascript:alert(1)']) {
      expect(g.open(url)).toEqual({ action: 'deny' });
    }
    expect(g.opened).toEqual(['https://example.org/help?q=1', 'http://example.org/']);
  });

  it('a <webview> can never attach', () => {
    expect(guarded().fire('will-attach-webview', {}, { src: `${APP}/index.html` })).toBe(true);
  });
});

describe('openExternalSafely', () => {
  it('opens only http(s) and says whether it did', () => {
    const opened: string[] = [];
    expect(openExternalSafely('https://example.org', (u) => opened.push(u))).toBe(true);
    expect(openExternalSafely('ms-msdt:/id PCWDiagnostic', (u) => opened.push(u))).toBe(false);
    expect(openExternalSafely('file:///C:/Windows/System32/calc.exe', (u) => opened.push(u))).toBe(false);
    expect(opened).toEqual(['https://example.org/']);
  });
});

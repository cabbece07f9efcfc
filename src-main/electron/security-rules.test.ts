// The Electron security checklist items that can run without Electron: the decisions themselves.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from './secure-web-preferences';
import { ELECTRON_CSP } from './csp';
import { displayMediaDecision, isAllowedExternalUrl, isAllowedNavigation, isAllowedRequest, isTrustedIpcSender, permissionDecision } from './security-rules';

const APP = 'app://remote-assist';

describe('secureWebPreferences', () => {
  it('isolates, sandboxes and gives the page no Node', () => {
    expect(secureWebPreferences('/x/preload.cjs')).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      preload: '/x/preload.cjs',
    });
  });

  it('has DevTools off unless a development build asks for them', () => {
    expect(secureWebPreferences('/p').devTools).toBe(false);
    expect(secureWebPreferences('/p', { devTools: true }).devTools).toBe(true);
  });

  it('enables no extra Blink feature or argument, and disables auxclick (middle-click navigation)', () => {
    const prefs = secureWebPreferences('/p', { devTools: true }) as Record<string, unknown>;
    for (const key of ['enableBlinkFeatures', 'additionalArguments', 'partition', 'session']) expect(prefs[key], key).toBeUndefined();
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
  });
});

describe('no remote content', () => {
  it.each([
    ['app://remote-assist/index.html', true],
    ['data:image/png;base64,AAAA', true],
    ['blob:app://remote-assist/1234', true],
    ['devtools://devtools/bundled/inspector.html', true],
    ['https://example.org/x.js', false],
    ['http://127.0.0.1:8080/', false],
    ['wss://evil.example/', false],
    ['ws://127.0.0.1:1/', false],
    ['ftp://example.org/', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('request %s → %s', (url, ok) => expect(isAllowedRequest(url)).toBe(ok));
});

describe('getDisplayMedia', () => {
  const main = { frameUrl: `${APP}/index.html`, isMainFrame: true };
  it('gives video to our main frame while sharing, and nothing otherwise', () => {
    expect(displayMediaDecision(main, APP, true)).toBe('video');
    expect(displayMediaDecision(main, APP, false)).toBe('deny');
    expect(displayMediaDecision({ ...main, isMainFrame: false }, APP, true)).toBe('deny');
    expect(displayMediaDecision({ ...main, frameUrl: null }, APP, true)).toBe('deny');
  });
  it('compares origins parsed, not by prefix (the old startsWith check let these through)', () => {
    expect(displayMediaDecision({ ...main, frameUrl: 'app://remote-assist.evil/index.html' }, APP, true)).toBe('deny');
    expect(displayMediaDecision({ ...main, frameUrl: 'app://remote-assistant/index.html' }, APP, true)).toBe('deny');
    expect(displayMediaDecision({ ...main, frameUrl: 'app://remote-assist@evil/index.html' }, APP, true)).toBe('deny');
  });
});

describe('navigation and external links', () => {
  it.each([
    ['https://example.org/help', true],
    ['http://example.org', true],
    ['file:///etc/passwd', false],
    ['smb://server/share', false],
    ['javascript:alert(1)', false],
    ['remote-assist://open?file=/x', false],
    ['not a url', false],
  ])('openExternal %s → %s', (url, ok) => expect(isAllowedExternalUrl(url)).toBe(ok));

  it('only our own origin may be shown', () => {
    expect(isAllowedNavigation('app://remote-assist/index.html', APP)).toBe(true);
    expect(isAllowedNavigation('app://remote-assist.evil/index.html', APP)).toBe(false);
    expect(isAllowedNavigation('https://remote-assist/', APP)).toBe(false);
    expect(isAllowedNavigation('file:///index.html', APP)).toBe(false);
  });
});

describe('permissions', () => {
  it('grants display capture to our page only while sharing, and nothing else ever', () => {
    expect(permissionDecision('display-capture', `${APP}/index.html`, APP, true)).toBe(true);
    expect(permissionDecision('display-capture', `${APP}/index.html`, APP, false)).toBe(false);
    expect(permissionDecision('display-capture', 'https://evil.example/', APP, true)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'usb', 'serial']) {
      expect(permissionDecision(p, `${APP}/index.html`, APP, true), p).toBe(false);
    }
  });
  it('lets our page write the clipboard (Copy buttons), never read it, and never a foreign page', () => {
    expect(permissionDecision('clipboard-sanitized-write', `${APP}/index.html`, APP, false)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', 'https://evil.example/', APP, false)).toBe(false);
    expect(permissionDecision('clipboard-read', `${APP}/index.html`, APP, true)).toBe(false);
  });
});

describe('IPC sender validation', () => {
  it('accepts only our own window main frame on our origin', () => {
    expect(isTrustedIpcSender({ ownWindow: true, isMainFrame: true, url: `${APP}/index.html` }, APP)).toBe(true);
    expect(isTrustedIpcSender({ ownWindow: true, isMainFrame: false, url: `${APP}/index.html` }, APP)).toBe(false);
    expect(isTrustedIpcSender({ ownWindow: false, isMainFrame: true, url: `${APP}/index.html` }, APP)).toBe(false);
    expect(isTrustedIpcSender({ ownWindow: true, isMainFrame: true, url: 'https://evil.example/' }, APP)).toBe(false);
  });
});

describe('CSP', () => {
  it('denies by default and allows no inline script, no remote origin', () => {
    expect(ELECTRON_CSP).toMatch(/^default-src 'none'/);
    expect(ELECTRON_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(ELECTRON_CSP).toContain("frame-ancestors 'none'");
  });

  it("the page's own meta CSP is the same policy (frame-ancestors aside, which a meta tag cannot carry)", () => {
    const html = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'src-renderer', 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(ELECTRON_CSP.replace("; frame-ancestors 'none'", ''));
    // And the page loads no inline script at all.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

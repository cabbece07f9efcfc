// The Electron security checklist items that can run without Electron: the decisions themselves.
import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from './secure-web-preferences';
import { ELECTRON_CSP } from './csp';
import { isAllowedExternalUrl, isAllowedNavigation, isTrustedIpcSender, permissionDecision } from './security-rules';

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
      preload: '/x/preload.cjs',
    });
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
});

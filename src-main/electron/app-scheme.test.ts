// The app:// scheme: what a (possibly compromised) page can reach through it, checked against a real
// folder on disk next to a "secret" file the scheme must never serve.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, APP_SCHEME_PRIVILEGES, resolveAppRequest } from './app-scheme';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-scheme-'));
const renderer = path.join(base, 'renderer');
fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
fs.writeFileSync(path.join(renderer, 'assets', 'a.js'), '1');
fs.writeFileSync(path.join(base, 'secret.txt'), 'secret');

describe('app:// request mapping', () => {
  it('serves the page and its assets from the renderer folder, with their types', () => {
    expect(resolveAppRequest(renderer, `${APP_ORIGIN}/`)).toEqual({ kind: 'file', file: path.join(renderer, 'index.html'), contentType: 'text/html' });
    expect(resolveAppRequest(renderer, `${APP_ORIGIN}/assets/a.js`)).toEqual({ kind: 'file', file: path.join(renderer, 'assets', 'a.js'), contentType: 'text/javascript' });
    expect(resolveAppRequest(renderer, `${APP_ORIGIN}/assets/x.bin`)).toMatchObject({ contentType: 'application/octet-stream' });
  });

  it.each([
    ['dot segments (normalised away by the URL parser, still inside)', `${APP_ORIGIN}/../secret.txt`, null],
    ['encoded dot segments', `${APP_ORIGIN}/%2e%2e/secret.txt`, null],
    ['encoded slash', `${APP_ORIGIN}/assets%2f..%2f..%2fsecret.txt`, 403],
    ['double-encoded', `${APP_ORIGIN}/%252e%252e/secret.txt`, null],
    ['NUL byte', `${APP_ORIGIN}/index.html%00.png`, 400],
    ['backslash', `${APP_ORIGIN}/assets%5c..%5c..%5csecret.txt`, 400],
    ['malformed percent-encoding', `${APP_ORIGIN}/%E0%A4%A`, 400],
    ['another host', 'app://evil/index.html', 404],
    ['a look-alike host', 'app://remote-assist.evil/index.html', 404],
    ['another scheme', 'file:///etc/passwd', 404],
    ['not a URL', 'app://', 404],
  ])('never reaches outside the folder: %s', (_name, url, status) => {
    const r = resolveAppRequest(renderer, url);
    if (r.kind === 'file') {
      // Allowed only when it stayed inside the renderer folder (the parser removed the dot segments).
      expect(status).toBeNull();
      expect(r.file.startsWith(renderer + path.sep)).toBe(true);
      expect(r.file).not.toBe(path.join(base, 'secret.txt'));
    } else {
      expect(r.status).toBe(status);
    }
  });

  it('the folder itself is not a file', () => {
    expect(resolveAppRequest(renderer, `${APP_ORIGIN}/.`)).toMatchObject({ kind: 'file', file: path.join(renderer, 'index.html') });
    expect(resolveAppRequest(renderer, `${APP_ORIGIN}/assets/..%2f..`)).toMatchObject({ kind: 'refused', status: 403 });
  });
});

describe('app:// privileges', () => {
  it('are exactly standard, secure and fetch: no CSP bypass, CORS, service workers, streams, code cache or extensions', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true });
  });
});

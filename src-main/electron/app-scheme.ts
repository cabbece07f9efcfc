// The app:// scheme as data and pure functions (no 'electron' import), so what the packaged page may
// do and which files it can reach are unit-tested in plain Node; app-protocol.ts only applies them.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'remote-assist';
/** The one origin our windows may show, call main from, and capture the screen for. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The privileges the scheme is registered with: standard (a real origin, relative URLs), secure
 * (a secure context, as getDisplayMedia requires) and fetch. Deliberately NOT bypassCSP (the page's
 * CSP must bind), corsEnabled, allowServiceWorkers (a worker could outlive and intercept the page),
 * stream, codeCache or allowExtensions: each would widen what a compromised page can do.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** What an app:// request maps to: a file inside the renderer folder, or an HTTP-like refusal. */
export type AppRequestTarget = { kind: 'file'; file: string; contentType: string } | { kind: 'refused'; status: 400 | 403 | 404 };

/**
 * Maps an app:// URL to a file of the built renderer. Only our host; the path is percent-decoded
 * once and must resolve strictly inside `rendererDir` (no `..`, encoded or not, no NUL, no
 * backslash tricks), so a compromised page cannot read the user's files through the scheme — the
 * reason we do not use file:// at all.
 */
export function resolveAppRequest(rendererDir: string, requestUrl: string): AppRequestTarget {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { kind: 'refused', status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { kind: 'refused', status: 404 };
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return { kind: 'refused', status: 400 }; // malformed percent-encoding
  }
  if (rel.includes('\0') || rel.includes('\\')) return { kind: 'refused', status: 400 };
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(root + path.sep)) return { kind: 'refused', status: 403 };
  return { kind: 'file', file, contentType: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

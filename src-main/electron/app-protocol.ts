import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { ELECTRON_CSP } from './csp';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppRequest } from './app-scheme';

export { APP_ORIGIN, APP_SCHEME } from './app-scheme';

/** Must run before `app.ready`: the scheme is standard and secure so the page gets a real origin (privileges: app-scheme.ts). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/** Serves the built renderer under `app://remote-assist/` instead of `file://` (which grants too much). */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppRequest(rendererDir, request.url);
    if (target.kind === 'refused') return new Response('refused', { status: target.status });
    try {
      const body = await fs.readFile(target.file);
      return new Response(body, { headers: { 'content-type': target.contentType, 'content-security-policy': ELECTRON_CSP, 'x-content-type-options': 'nosniff' } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

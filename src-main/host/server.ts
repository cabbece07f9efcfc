import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppCore, type AppCore } from '../app/app-core';
import type { AppLogger } from '../platform/app-logger';
import type { ProfilePaths } from '../profile/profile-paths';
import type { Role } from '../../src-shared/contract/index';
import type { AppCoreOptions } from '../app/app-core';
import { handleUpload } from './upload-endpoint';
import { attachWsEndpoint } from './ws-endpoint';
import { contentSecurityPolicy, serveStatic } from './static-files';

/** Where `npm run build` puts the page. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export interface BrowserHostOptions {
  role: Role;
  profile: ProfilePaths;
  logger: AppLogger;
  port?: number;
  rendererDir?: string;
  startupFile?: string | null;
  /** The wizard to start in (see AppCoreOptions.launch). */
  launch?: AppCoreOptions['launch'];
  /** An explicit X display (`--display`). */
  display?: string;
  env?: NodeJS.ProcessEnv;
  answerFile?: string;
  testing?: AppCoreOptions['testing'];
}

export interface BrowserHost {
  /** The page address including the per-launch token (in the fragment, so it is never sent in requests). */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly core: AppCore;
  close(): Promise<void>;
}

/**
 * The browser host's composition root: the same app core as Electron's main, served to a page on
 * 127.0.0.1 over HTTP (the built renderer) and a token-guarded WebSocket (the contract).
 */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = crypto.randomBytes(32).toString('base64url');
  const rendererDir = path.resolve(opts.rendererDir ?? DEFAULT_RENDERER_DIR);
  const stagingDir = path.join(opts.profile.configDir, 'uploads');
  const core = await createAppCore({
    host: 'browser-host',
    role: opts.role,
    profile: opts.profile,
    logger: opts.logger,
    startupFile: opts.startupFile ?? null,
    ...(opts.launch ? { launch: opts.launch } : {}),
    ...(opts.display ? { display: opts.display } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.answerFile ? { answerFile: opts.answerFile } : {}),
    ...(opts.testing ? { testing: opts.testing } : {}),
    stagingDir,
  });
  let origin = '';
  const server = http.createServer((req, res) => {
    if (`http://${req.headers.host ?? ''}` !== origin) {
      // A page on another name that resolves to 127.0.0.1 (DNS rebinding) gets nothing.
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (handleUpload(req, res, { stagingDir, token, origin: () => origin, maxBytes: () => core.services.policy.value('maxFileSizeMB') * 1024 * 1024 })) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveStatic(rendererDir, req, res, { 'content-security-policy': contentSecurityPolicy(origin.replace(/^http/, 'ws')) });
  });
  const ws = attachWsEndpoint(server, { server: core.server, hub: core.hub, token, origin: () => origin, logger: opts.logger });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The browser host could not determine its port.');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    core,
    async close() {
      await core.dispose();
      ws.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

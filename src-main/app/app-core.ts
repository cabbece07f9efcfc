import { createRpcServer, type Handlers, type RpcServer } from '../../src-shared/rpc/rpc-server';
import { EventHub } from '../../src-shared/rpc/event-hub';
import type { Role } from '../../src-shared/contract/index';
import type { ProfilePaths } from '../profile/profile-paths';
import type { AppLogger } from '../platform/app-logger';
import { computerName, displayNotice, localUserName } from '../platform/system-info';
import { APP_NAME, APP_VERSION } from './version';
import { appHandlers } from './handlers/app-handlers';

export interface AppCoreOptions {
  host: 'electron' | 'browser-host';
  role: Role;
  profile: ProfilePaths;
  logger: AppLogger;
  /** An invitation file the app was started with, if any. */
  startupFile?: string | null;
  env?: NodeJS.ProcessEnv;
}

/** Main's services wired together, with the contract served by one RPC server. */
export interface AppCore {
  readonly server: RpcServer;
  readonly hub: EventHub;
  dispose(reason?: string): Promise<void>;
}

/**
 * The composition of main's services, shared by the Electron main process and the browser host.
 * The two composition roots differ only in the adapters (ports) they pass in.
 */
export function createAppCore(opts: AppCoreOptions): AppCore {
  const { logger } = opts;
  const env = opts.env ?? process.env;
  const hub = new EventHub((name, error) => logger.error('invalid event emitted', { name, error }));
  const info = () => ({
    name: APP_NAME,
    version: APP_VERSION,
    host: opts.host,
    role: opts.role,
    platform: process.platform,
    userName: localUserName(),
    computerName: computerName(),
    profileDir: opts.profile.root,
    displayNotice: displayNotice(env),
    startupFile: opts.startupFile ?? null,
  });

  const handlers: Handlers = {
    ...appHandlers(info),
  };

  const server = createRpcServer({
    handlers,
    onInternalError: (method, error) => logger.error('unexpected error in handler', { method, error }),
  });

  return {
    server,
    hub,
    async dispose(reason = 'Remote Assist is closing.') {
      hub.emit('app.shuttingDown', { reason });
    },
  };
}

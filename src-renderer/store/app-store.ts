import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppInfo } from '../../src-shared/contract/index';
import type { ConnectionState, HostClient } from '../../src-shared/rpc/host-client';

export const ROUTES = ['home', 'invite', 'help', 'offer', 'settings', 'logs'] as const;
export type Route = (typeof ROUTES)[number];

export interface AppState {
  readonly client: HostClient;
  connection: ConnectionState;
  info: AppInfo | null;
  route: Route;
  /** Round-trip time of the last ping to main, for the status bar. */
  latencyMs: number | null;
  /** A problem the whole page must show (main unreachable, …). */
  fatal: string | null;
  init(): Promise<void>;
  navigate(route: Route): void;
  ping(): Promise<void>;
}

export type AppStore = StoreApi<AppState>;

/** Creates the page's store around a host client; all side effects live in its actions. */
export function createAppStore(client: HostClient): AppStore {
  return createStore<AppState>()((set, get) => ({
    client,
    connection: 'connecting',
    info: null,
    route: 'home',
    latencyMs: null,
    fatal: null,
    async init() {
      client.onState((connection) => {
        set({ connection });
        if (connection === 'disconnected') set({ fatal: 'The connection to Remote Assist was lost. Restart the app, then reload this page.' });
      });
      try {
        const info = await client.invoke('app.info', {});
        const route: Route = info.startupFile ? 'help' : info.role === 'requester' ? 'invite' : info.role === 'helper' ? 'help' : 'home';
        set({ info, route });
        await get().ping();
      } catch (e) {
        set({ fatal: `Remote Assist is not answering: ${(e as Error).message}` });
      }
    },
    navigate(route) {
      set({ route });
    },
    async ping() {
      const started = performance.now();
      try {
        await client.invoke('app.ping', { nonce: String(Math.random()).slice(2, 12) });
        set({ latencyMs: Math.round(performance.now() - started) });
      } catch {
        set({ latencyMs: null });
      }
    },
  }));
}

import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { AppInfo } from '../../src-shared/contract/index';
import type { ConnectionState, HostClient } from '../../src-shared/rpc/host-client';
import { createInviteSlice, type InviteSlice } from '../wizard/invite/invite-slice';
import { createHelpSlice, type HelpSlice } from '../wizard/help/help-slice';
import { createSessionSlice, type SessionSlice } from '../session/session-slice';
import { createFilesSlice, type FilesSlice } from '../session/files/files-slice';
import type { Uploader } from '../host-client/uploader';
import { createSettingsSlice, type SettingsSlice } from '../settings/settings-slice';
import { createLogsSlice, type LogsSlice } from '../logs/logs-slice';
import { createEmailSlice, type EmailSlice } from '../wizard/invite/email-slice';
import { createLaunchSlice, type LaunchSlice } from '../app/launch-slice';
import { createOfferSlice, type OfferSlice } from '../wizard/offer/offer-slice';

export const ROUTES = ['home', 'invite', 'help', 'offer', 'settings', 'logs', 'session'] as const;
export type Route = (typeof ROUTES)[number];

export interface CoreSlice {
  readonly client: HostClient;
  /** Browser host: hands picked files to main. Null in Electron (main's dialog picks files). */
  readonly uploader: Uploader | null;
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

export type AppState = CoreSlice & InviteSlice & HelpSlice & SessionSlice & FilesSlice & SettingsSlice & LogsSlice & EmailSlice & LaunchSlice & OfferSlice;
export type AppStore = StoreApi<AppState>;
/** How each feature folder declares its part of the store. */
export type Slice<T> = StateCreator<AppState, [], [], T>;

const createCoreSlice =
  (client: HostClient, uploader: Uploader | null): Slice<CoreSlice> =>
  (set, get) => ({
    client,
    uploader,
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
        const route: Route = info.startup ? info.startup.route : info.role === 'requester' ? 'invite' : info.role === 'helper' ? 'help' : 'home';
        set({ info, route });
        get().initLaunch();
        await Promise.all([get().ping(), get().initSession(), get().initInvite(), get().initHelp(), get().initFiles(), get().initSettings()]);
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
  });

/** Creates the page's store around a host client; all side effects live in its actions. */
export function createAppStore(client: HostClient, uploader: Uploader | null = null): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createCoreSlice(client, uploader)(...a),
    ...createInviteSlice(...a),
    ...createHelpSlice(...a),
    ...createSessionSlice(...a),
    ...createFilesSlice(...a),
    ...createSettingsSlice(...a),
    ...createLogsSlice(...a),
    ...createEmailSlice(...a),
    ...createLaunchSlice(...a),
    ...createOfferSlice(...a),
  }));
}

/** The message of an error thrown by a contract call, for display. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

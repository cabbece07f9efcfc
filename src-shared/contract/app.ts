import { z } from 'zod';
import { method } from './define';

/** Which screen the page should open first; the host's `--role` flag chooses it. */
export const Role = z.enum(['requester', 'helper', 'any']);
export type Role = z.infer<typeof Role>;

/** How the page reaches main: Electron IPC or the browser host's WebSocket. */
export const HostKind = z.enum(['electron', 'browser-host']);

/**
 * A wizard main asks the page to open: from the command line, a double-clicked invitation file, a
 * `remote-assist://` link or a second launch handed to this one. It only ever opens a wizard.
 */
export const AppOpen = z.object({
  route: z.enum(['help', 'invite', 'offer']),
  /** help: the invitation file to load (an absolute path main will read). */
  file: z.string().nullable(),
  /** offer: the computer name or address to fill in (never connected to without the user). */
  host: z.string().nullable(),
  /** invite: where the new invitation will be saved (`--invite --save FILE`). */
  savePath: z.string().nullable(),
});
export type AppOpen = z.infer<typeof AppOpen>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: HostKind,
  role: Role,
  platform: z.string(),
  userName: z.string(),
  computerName: z.string(),
  profileDir: z.string(),
  /** A one-line notice about the desktop session (e.g. Wayland limits), or null when all is well. */
  displayNotice: z.string().nullable(),
  /** A file the app was started with (double-clicked invitation), to open in the helper wizard. */
  startupFile: z.string().nullable(),
  /** The wizard the app was started into (or last asked to open), or null for the start screen. */
  startup: AppOpen.nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  /** Static facts about this instance, for the home screen and the status bar. */
  'app.info': method(z.object({}).strict(), AppInfo),
  /** Round trip to main; the status bar uses it to show that main is reachable and how fast. */
  'app.ping': method(
    z.object({ nonce: z.string().min(1).max(64) }).strict(),
    z.object({ nonce: z.string(), at: z.number() }),
  ),
} as const;

export const appEvents = {
  /** Main is about to go away (window closing, host stopping). */
  'app.shuttingDown': z.object({ reason: z.string() }),
  /** Open this wizard now (a second launch, a link, a file opened while running). */
  'app.open': AppOpen,
} as const;

import { AppError } from '../../src-shared/contract/errors';
import type { AppLogger } from '../platform/app-logger';
import type { InputInjector } from './input-injector-port';
import { NativeInjector } from './native-injector';
import { XTestInjector } from './xtest-injector';
import { watchX11Escape, type EscapeWatcher, type X11EscapeWatcherOptions } from './x11-escape-watcher';

export interface SelectInputInjectorOptions {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** An explicit X display (`--display`, tests); overrides DISPLAY and the Wayland check. */
  display?: string;
  logger?: AppLogger;
  /** Hears injector failures after it was created (the X connection lost …). */
  onError?: (error: Error, fatal: boolean) => void;
  /** Module name of the Windows/macOS addon (tests; default `@jitsi/robotjs`). */
  nativeModule?: string;
}

/**
 * Why X11 injection cannot work in this environment, or null. Under Wayland, XTest reaches only
 * XWayland clients, never the desktop the helper sees, so we refuse rather than half-work.
 */
export function x11Unavailability(env: Readonly<Record<string, string | undefined>>, display?: string): string | null {
  if (display) return null;
  if (env.XDG_SESSION_TYPE === 'wayland' || env.WAYLAND_DISPLAY) {
    return 'Remote control needs an X11 session, and this is a Wayland session. The helper can still see your screen; to let them control it, log in with an X11 (Xorg) session.';
  }
  if (!env.DISPLAY) return 'Remote control needs an X11 display, and none was found (DISPLAY is not set).';
  return null;
}

/**
 * The composition root's way to get the injector for this machine: XTest on Linux/BSD X11, the
 * native addon on Windows and macOS. Rejects with AppError('unavailable') and a sentence for the
 * user when control cannot work here (Wayland, no display, addon missing, unsupported platform).
 */
export async function selectInputInjector(options: SelectInputInjectorOptions): Promise<InputInjector> {
  const { platform, env, display, logger, onError } = options;
  if (platform === 'win32' || platform === 'darwin') return NativeInjector.load(platform, options.nativeModule);
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd') {
    const problem = x11Unavailability(env, display);
    if (problem) throw new AppError('unavailable', problem, { platform });
    if (display && (env.XDG_SESSION_TYPE === 'wayland' || env.WAYLAND_DISPLAY)) {
      logger?.warn('input: X display given explicitly in a Wayland session; only X11 clients will receive input', { display });
    }
    const target = display ?? env.DISPLAY!;
    return XTestInjector.connect({ display: target, ...(logger ? { logger } : {}), ...(onError ? { onError } : {}) });
  }
  throw new AppError('unavailable', `Remote control is not supported on ${platform}.`, { platform });
}

/**
 * Watches for the requester's Esc anywhere on the desktop where that is possible (X11), or null:
 * then Esc is seen only while the Remote Assist window has the focus (Windows and macOS until the
 * desktop app's global shortcut, Wayland, or an X server without XInput 2 — logged).
 */
export async function selectEscapeWatcher(
  options: Omit<SelectInputInjectorOptions, 'onError' | 'nativeModule'> & Pick<X11EscapeWatcherOptions, 'onEscape' | 'isEcho'>,
): Promise<EscapeWatcher | null> {
  const { platform, env, display, logger } = options;
  if (!(platform === 'linux' || platform === 'freebsd' || platform === 'openbsd' || platform === 'netbsd')) return null;
  if (x11Unavailability(env, display)) return null;
  try {
    return await watchX11Escape({ display: display ?? env.DISPLAY!, onEscape: options.onEscape, isEcho: options.isEcho, ...(logger ? { logger } : {}) });
  } catch (e) {
    logger?.warn('input: Esc is seen only in the Remote Assist window', { error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}

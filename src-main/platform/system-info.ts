import os from 'node:os';

/** The local user's name as the OS knows it, for invitations and the audit log. */
export function localUserName(): string {
  try {
    return os.userInfo().username || 'user';
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'user';
  }
}

/** The computer's name, for invitations, offers and the audit log. */
export function computerName(): string {
  return os.hostname() || 'computer';
}

/**
 * True in a Wayland session. The same rule as the input path's refusal (x11Unavailability), so the
 * home-screen notice and the disabled "Request control" button never disagree.
 */
export function isWaylandSession(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.XDG_SESSION_TYPE === 'wayland' || !!env.WAYLAND_DISPLAY;
}

/**
 * Says what does and does not work in this desktop session, or null when everything does. Under
 * Wayland, X11 input injection (XTest) reaches only XWayland windows, never the desktop the helper
 * sees, so control is refused there; say so up front instead of failing obscurely later. An X
 * display given explicitly (`--display`, e.g. Xvfb) is used as it is.
 */
export function displayNotice(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, explicitDisplay?: string): string | null {
  if (platform !== 'linux' || explicitDisplay) return null;
  if (isWaylandSession(env)) {
    return 'This is a Wayland session. What works: your helper can see your screen (your system asks you which screen to share), and you can chat and send files. What does not: your helper cannot control your mouse and keyboard, because that needs an X11 (Xorg) session. To allow control, log out and choose an X11 or "Xorg" session on the login screen.';
  }
  if (!env.DISPLAY) return 'No graphical display was found (DISPLAY is not set): screen sharing and control are unavailable.';
  return null;
}

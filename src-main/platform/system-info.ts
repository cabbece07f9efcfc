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
 * Says what does not work in this desktop session, or null. X11 input injection and capture do not
 * work under Wayland; tell the user instead of failing obscurely later.
 */
export function displayNotice(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux') return null;
  const wayland = env.XDG_SESSION_TYPE === 'wayland' || (!!env.WAYLAND_DISPLAY && !env.DISPLAY);
  if (wayland) {
    return 'This is a Wayland session: helpers can see your screen through the system screen-sharing prompt, but they cannot control your mouse and keyboard. Log in with an X11 (Xorg) session to allow control.';
  }
  if (!env.DISPLAY) return 'No graphical display was found (DISPLAY is not set): screen sharing and control are unavailable.';
  return null;
}

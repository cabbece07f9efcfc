// Guards on the Electron session: permissions (checklist item 5), no remote content (item 1, enforced
// below the CSP), and screen capture only after consent. No runtime 'electron' import: the session
// and the capturer are passed in, so session-guards.test.ts runs these handlers in plain Node.
import type { Session } from 'electron';
import { displayMediaDecision, isAllowedRequest, permissionDecision } from './security-rules';

/** The parts of an Electron Session the guards use. */
export type GuardedSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** A screen to hand to getDisplayMedia: a DesktopCapturerSource's id and name. */
export interface CaptureSource {
  id: string;
  name: string;
}

export interface SessionGuardOptions {
  appOrigin: string;
  /** True while main's session flow says the user consented to share the screen. */
  sharing: () => boolean;
  /** The screen main chose (desktopCapturer), or null when there is none. */
  chooseSource: () => Promise<CaptureSource | null>;
}

/**
 * Applies every session-wide guard. Deny by default: the only permission ever granted is display
 * capture to our page while sharing; devices (HID, USB, serial) never; any http(s)/ws(s)/ftp/file
 * request is cancelled; getDisplayMedia gets the screen main chose, video only, after consent.
 */
export function guardSession(session: GuardedSession, o: SessionGuardOptions): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    callback(permissionDecision(permission, details.requestingUrl ?? webContents.getURL(), o.appOrigin, o.sharing()));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin, o.appOrigin, o.sharing()));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  session.setDisplayMediaRequestHandler((request, callback) => {
    const frame = request.frame;
    const ask = { frameUrl: frame?.url ?? null, isMainFrame: !!frame && frame.parent === null };
    if (displayMediaDecision(ask, o.appOrigin, o.sharing()) === 'deny') return callback({});
    void o.chooseSource().then(
      (source) => callback(source ? { video: source } : {}),
      () => callback({}),
    );
  });
}

import os from 'node:os';
import path from 'node:path';

/** Where one instance keeps its state. With a profile folder, all of it lives under that one folder. */
export interface ProfilePaths {
  readonly root: string;
  /** User settings, identity keys, pinned host keys. */
  readonly configDir: string;
  /** Where the user keeps documents; session logs go to `Remote Assistance Logs/` inside it. */
  readonly documentsDir: string;
  readonly logsDir: string;
  /** Default target for received files and saved invitations. */
  readonly downloadsDir: string;
  /** Application diagnostics (not the audit log). */
  readonly appLogFile: string;
}

export const LOGS_FOLDER_NAME = 'Remote Assistance Logs';

/**
 * Resolves the profile: `--profile DIR` wins, then `REMOTE_ASSIST_PROFILE`, else the platform's
 * per-user locations.
 */
export function resolveProfile(profileFlag: string | undefined, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ProfilePaths {
  const explicit = profileFlag ?? env.REMOTE_ASSIST_PROFILE;
  if (explicit) {
    const root = path.resolve(explicit);
    return fromRoot(root, path.join(root, 'config'), path.join(root, 'Documents'), path.join(root, 'Downloads'));
  }
  const home = os.homedir();
  const configDir =
    platform === 'win32'
      ? path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Remote Assist')
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support', 'Remote Assist')
        : path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'remote-assist');
  return fromRoot(configDir, configDir, path.join(home, 'Documents'), path.join(home, 'Downloads'));
}

function fromRoot(root: string, configDir: string, documentsDir: string, downloadsDir: string): ProfilePaths {
  return {
    root,
    configDir,
    documentsDir,
    logsDir: path.join(documentsDir, LOGS_FOLDER_NAME),
    downloadsDir,
    appLogFile: path.join(configDir, 'app.log'),
  };
}

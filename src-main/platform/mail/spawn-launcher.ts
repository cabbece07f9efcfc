import { spawn } from 'node:child_process';

/** How a launched program fared: its exit code, 127 if it does not exist, null if still running after the settle time. */
export interface LaunchResult {
  readonly code: number | null;
  readonly stderr: string;
}

/**
 * Starts a desktop program with an argument vector (never a shell string: a quote or `$` in a file
 * name stays a character). Injected so tests can record the exact argv for each platform.
 */
export type Launcher = (cmd: string, args: readonly string[]) => Promise<LaunchResult>;

/**
 * The real launcher. Mail programs may keep the launching command waiting until the user closes
 * them (xdg-email does with Thunderbird), so a program still running after `settleMs` counts as
 * started and is left to run on its own (detached), instead of being killed by a timeout.
 */
export function createSpawnLauncher(opts: { settleMs?: number; env?: NodeJS.ProcessEnv } = {}): Launcher {
  const settleMs = opts.settleMs ?? 4000;
  return (cmd, args) =>
    new Promise((resolve) => {
      let stderr = '';
      let done = false;
      const finish = (r: LaunchResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        child.stderr?.destroy();
        resolve(r);
      };
      const child = spawn(cmd, [...args], {
        shell: false,
        windowsHide: true,
        // Its own process group: the mail program outlives Remote Assist and is not killed with it.
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'ignore', 'pipe'],
        env: opts.env ?? process.env,
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        if (stderr.length < 4096) stderr += chunk;
      });
      child.once('error', (e: NodeJS.ErrnoException) => finish({ code: e.code === 'ENOENT' ? 127 : 126, stderr: `${cmd}: ${e.code === 'ENOENT' ? 'not found' : e.message}` }));
      child.once('exit', (code, signal) => finish({ code: code ?? (signal ? 128 : 1), stderr: stderr.slice(0, 4096) }));
      const timer = setTimeout(() => {
        child.unref();
        finish({ code: null, stderr: stderr.slice(0, 4096) });
      }, settleMs);
    });
}

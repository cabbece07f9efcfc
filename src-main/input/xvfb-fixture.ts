import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/**
 * Starts a private Xvfb display for tests of real X11 injection. Other engineers' tests start
 * displays too, so a free number is chosen (no socket, no lock file) and a collision is retried;
 * `stop()` kills only the server this fixture started.
 */

export const XVFB_PATH = '/usr/bin/Xvfb';

export interface XvfbDisplay {
  /** ':N' */
  display: string;
  number: number;
  stop(): Promise<void>;
}

/** Why real X11 tests cannot run here, or null. */
export function xvfbUnavailableReason(): string | null {
  if (process.platform !== 'linux') return `Xvfb tests run on Linux only (this is ${process.platform})`;
  if (!fs.existsSync(XVFB_PATH)) return `${XVFB_PATH} is not installed`;
  return null;
}

const inUse = (n: number) => fs.existsSync(`/tmp/.X11-unix/X${n}`) || fs.existsSync(`/tmp/.X${n}-lock`);

/** Starts `Xvfb :N -screen 0 WxHx24 -nolisten tcp -noreset` on a free N ≥ 50 and waits for its socket. */
export async function startXvfb(options: { width?: number; height?: number; timeoutMs?: number } = {}): Promise<XvfbDisplay> {
  const { width = 1280, height = 800, timeoutMs = 10_000 } = options;
  const first = 50 + Math.floor(Math.random() * 40); // spread parallel starters out
  for (let i = 0; i < 50; i++) {
    const n = 50 + ((first - 50 + i) % 50);
    if (inUse(n)) continue;
    const child = spawn(XVFB_PATH, [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'], { stdio: 'ignore' });
    if (await waitForSocket(child, n, timeoutMs)) {
      return { display: `:${n}`, number: n, stop: () => stopChild(child) };
    }
    await stopChild(child); // lost a race for this number (or it failed): try the next one
  }
  throw new Error('no free X display number between 50 and 99');
}

function waitForSocket(child: ChildProcess, n: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    child.once('exit', () => (exited = true));
    child.once('error', () => (exited = true));
    const poll = () => {
      if (exited) return resolve(false);
      if (fs.existsSync(`/tmp/.X11-unix/X${n}`)) return resolve(true);
      if (Date.now() > deadline) return resolve(false);
      setTimeout(poll, 20);
    };
    poll();
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

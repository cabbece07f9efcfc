import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';

export interface XDisplay {
  /** e.g. ":91" */
  readonly name: string;
  stop(): Promise<void>;
}

const taken = (n: number) => fs.existsSync(`/tmp/.X11-unix/X${n}`) || fs.existsSync(`/tmp/.X${n}-lock`);

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Starts an Xvfb display at 1280×800. `-noreset` matters: without it the server resets when the
 * last client leaves and captures come out black (DESIGN.md section 11).
 */
export async function startXvfb(width = 1280, height = 800): Promise<XDisplay> {
  let n = 100 + Math.floor(Math.random() * 200);
  while (taken(n)) n++;
  const proc: ChildProcess = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'], { stdio: 'ignore' });
  let exited = false;
  proc.once('exit', () => (exited = true));
  await waitFor(() => exited || fs.existsSync(`/tmp/.X11-unix/X${n}`), 10_000, `Xvfb :${n}`);
  if (exited) throw new Error(`Xvfb :${n} failed to start (is the xvfb package installed?)`);
  return {
    name: `:${n}`,
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await gone;
    },
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export interface HostProcess {
  readonly url: string;
  readonly profileDir: string;
  readonly proc: ChildProcess;
  /** Everything the host printed (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface HostOptions {
  role: 'requester' | 'helper' | 'any';
  display: string;
  profileDir?: string;
  env?: Record<string, string>;
  args?: string[];
}

/** Starts `remote-assist host` as a child process and waits for the line with its address. */
export async function startHost(opts: HostOptions): Promise<HostProcess> {
  const profileDir = opts.profileDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `ra-e2e-${opts.role}-`));
  const proc = spawn(process.execPath, [path.join(repoRoot, 'bin/remote-assist.mjs'), 'host', '--no-open', '--role', opts.role, '--profile', profileDir, '--display', opts.display, ...(opts.args ?? [])], {
    cwd: repoRoot,
    env: { ...process.env, DISPLAY: opts.display, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = /Remote Assist is running at (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout.on('data', check);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before starting:\n${out}`));
    });
  });
  const waitExit = () => (proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => proc.once('exit', () => r())));
  return {
    url,
    profileDir,
    proc,
    output: () => out,
    async stop() {
      const done = waitExit();
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(t);
    },
    async kill() {
      const done = waitExit();
      proc.kill('SIGKILL');
      await done;
    },
  };
}

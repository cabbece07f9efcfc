import { execFile } from 'node:child_process';

/** What a finished command left behind. `code` 127 means the program was not found. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program with an argument vector — never a shell string, so nothing in an argument can be
 * interpreted by a shell. Injected everywhere so tests can replay recorded outputs.
 */
export type CommandRunner = (cmd: string, args: readonly string[]) => Promise<CommandResult>;

/** The real runner: `execFile` with a timeout and an output cap; never rejects. */
export function createExecFileRunner(opts: { timeoutMs?: number; maxBuffer?: number; env?: NodeJS.ProcessEnv } = {}): CommandRunner {
  return (cmd, args) =>
    new Promise((resolve) => {
      execFile(
        cmd,
        [...args],
        { timeout: opts.timeoutMs ?? 10_000, maxBuffer: opts.maxBuffer ?? 8 * 1024 * 1024, windowsHide: true, encoding: 'utf8', env: opts.env ?? { ...process.env, LC_ALL: 'C', LANG: 'C' } },
        (err, stdout, stderr) => {
          if (!err) return resolve({ code: 0, stdout, stderr });
          const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
          if (e.code === 'ENOENT') return resolve({ code: 127, stdout: '', stderr: `${cmd}: command not found` });
          if (e.killed) return resolve({ code: 124, stdout, stderr: `${stderr}${cmd}: timed out` });
          resolve({ code: typeof e.code === 'number' ? e.code : 1, stdout, stderr: stderr || e.message });
        },
      );
    });
}

import { spawn } from 'node:child_process';

/** How a finished command ended. */
export interface CommandResult {
  /** Exit code, or null when killed (timeout). */
  code: number | null;
  stderr: string;
}

/**
 * Runs a program with an argv array: never a shell string, so quotes, spaces, `$` and newlines in a
 * message reach the program exactly. Rejects (e.g. `code: 'ENOENT'`) when the program cannot start.
 */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

/** The real runner: `spawn` without a shell, stdin closed, stderr kept (first 4 KiB), killed after `timeoutMs`. */
export function createSpawnRunner(timeoutMs = 10_000): CommandRunner {
  return (command, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, [...args], { shell: false, windowsHide: true, stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        if (stderr.length < 4096) stderr += chunk;
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stderr: stderr.slice(0, 4096) }));
    });
}

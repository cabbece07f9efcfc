import type { CommandResult, CommandRunner } from './command-runner';

/**
 * A runner that replays recorded outputs, keyed by the command line (`cmd arg1 arg2`). A string is
 * stdout with exit 0. Unlisted commands answer 127 (not installed). `calls` records every argv, so
 * tests can check that nothing is ever passed through a shell.
 */
export function createFakeRunner(outputs: Record<string, CommandResult | string>): CommandRunner & { calls: { cmd: string; args: readonly string[] }[] } {
  const calls: { cmd: string; args: readonly string[] }[] = [];
  const run = async (cmd: string, args: readonly string[]): Promise<CommandResult> => {
    calls.push({ cmd, args: [...args] });
    const out = outputs[[cmd, ...args].join(' ')];
    if (out === undefined) return { code: 127, stdout: '', stderr: `${cmd}: command not found` };
    return typeof out === 'string' ? { code: 0, stdout: out, stderr: '' } : out;
  };
  return Object.assign(run, { calls });
}

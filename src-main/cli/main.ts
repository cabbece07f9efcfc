import { APP_VERSION } from '../app/version';
import { processIO, type CliIO } from './cli-command';
import { COMMANDS } from './commands/index';

/** The `--help` text, listing every registered command. */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `Usage: remote-assist [command] [options]

Remote Assist: get or give help on a computer, with the consent of the person being helped.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`).join('\n')}

Options:
  --version   print the version
  -h, --help  show this help

Environment:
  REMOTE_ASSIST_PROFILE      keep all of an instance's state in this folder
  REMOTE_ASSIST_POLICY_FILE  read administrator policy from this file
  REMOTE_ASSIST_ANSWER_FILE  read first-run defaults from this answer file
`;
}

/**
 * The command-line entry. Returns an exit code, or null when a long-running command (the host,
 * the relay) keeps the process alive.
 */
export async function main(argv: string[], io: CliIO = processIO): Promise<number | null> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(usage());
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    io.out(`${APP_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === cmd);
  if (command) return command.run(rest, io);
  io.err(`remote-assist: unknown command ${JSON.stringify(cmd)}. Run \`remote-assist --help\` to see the commands.\n`);
  return 2;
}

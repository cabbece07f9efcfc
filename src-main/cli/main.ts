import { APP_VERSION } from '../app/version';
import { processIO, type CliIO } from './cli-command';
import { COMMANDS } from './commands/index';
import { HOST_OPTION_NAMES } from '../host/host-args';
import { isAppLink } from '../app/launch-link';
import { INVITATION_EXTENSION } from '../app/launch-action';

/** The `--help` text, listing every registered command. */
export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return `Usage: remote-assist [command] [options]
       remote-assist --open-file FILE | --offer HOST | --invite [--save FILE]
       remote-assist INVITATION.rainvite | remote-assist://LINK

Remote Assist: get or give help on a computer, with the consent of the person being helped.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`).join('\n')}

Start the app in a wizard (as msra.exe does; the same as \`remote-assist host …\`):
  --open-file FILE        help someone: open their invitation file (or give the file alone)
  --offer HOST            offer help to this computer name or address
  --invite [--save FILE]  ask for help: create an invitation, saved as FILE
  (host options such as --profile DIR and --role may be added; see remote-assist host --help)

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
  if (startsApp(cmd)) {
    const host = COMMANDS.find((c) => c.name === 'host');
    if (host) return host.run(argv, io);
  }
  const command = COMMANDS.find((c) => c.name === cmd);
  if (command) return command.run(rest, io);
  io.err(`remote-assist: unknown command ${JSON.stringify(cmd)}. Run \`remote-assist --help\` to see the commands.\n`);
  return 2;
}

/** True when the first argument asks to start the app (a launch option, an invitation file, a link), not a command. */
export function startsApp(arg: string): boolean {
  return HOST_OPTION_NAMES.includes(arg.split('=')[0]!) || isAppLink(arg) || /^file:/i.test(arg) || arg.toLowerCase().endsWith(INVITATION_EXTENSION);
}

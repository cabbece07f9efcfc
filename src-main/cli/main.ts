import { APP_VERSION } from '../app/version';
import { runHost } from '../host/main';

export const USAGE = `Usage: remote-assist [command] [options]

Remote Assist: get or give help on a computer, with the consent of the person being helped.

Commands:
  host [options] [FILE]      start the app as a local web page (see: remote-assist host --help)

Options:
  --version                  print the version
  -h, --help                 show this help

Environment:
  REMOTE_ASSIST_PROFILE      keep all of an instance's state in this folder
  REMOTE_ASSIST_POLICY_FILE  read administrator policy from this file
  REMOTE_ASSIST_ANSWER_FILE  read first-run defaults from this answer file`;

/**
 * The command-line entry. Returns an exit code, or null when a long-running command (the host)
 * keeps the process alive.
 */
export async function main(argv: string[]): Promise<number | null> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${APP_VERSION}\n`);
    return 0;
  }
  if (cmd === 'host') return runHost(rest);
  process.stderr.write(`remote-assist: unknown command ${JSON.stringify(cmd)}. Run \`remote-assist --help\` to see the commands.\n`);
  return 2;
}

import { parseArgs } from 'node:util';
import { Role } from '../../src-shared/contract/index';

/** What the browser host was asked to do on its command line. */
export interface HostArgs {
  role: Role;
  profile: string | undefined;
  port: number;
  open: boolean;
  display: string | undefined;
  /** An invitation file to open in the helper wizard (positional, or `--open-file`). */
  startupFile: string | null;
  help: boolean;
}

export const HOST_USAGE = `Usage: remote-assist host [options] [INVITATION.rainvite]

Starts Remote Assist as a local web page (the browser host) on 127.0.0.1.

Options:
  --role requester|helper|any   which screen opens first (default: any)
  --profile DIR                 keep all of this instance's state in DIR (also REMOTE_ASSIST_PROFILE)
  --port N                      listen on port N (default: a free port)
  --display :N                  the X display to share and control (default: $DISPLAY)
  --open-file FILE              open an invitation file in "Help someone who has invited you"
  --no-open                     print the address instead of opening a browser
  -h, --help                    show this help`;

/** Parses the host's flags; throws an Error with a readable message on bad input. */
export function parseHostArgs(argv: string[]): HostArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      role: { type: 'string' },
      profile: { type: 'string' },
      port: { type: 'string' },
      display: { type: 'string' },
      'open-file': { type: 'string' },
      'no-open': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const role = Role.safeParse(values.role ?? 'any');
  if (!role.success) throw new Error(`--role must be requester, helper or any (got ${JSON.stringify(values.role)}).`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number from 0 to 65535 (got ${JSON.stringify(values.port)}).`);
  if (positionals.length > 1) throw new Error('Give at most one invitation file.');
  return {
    role: role.data,
    profile: values.profile,
    port,
    open: !values['no-open'],
    display: values.display,
    startupFile: values['open-file'] ?? positionals[0] ?? null,
    help: !!values.help,
  };
}

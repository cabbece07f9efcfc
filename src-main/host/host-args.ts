import { parseArgs } from 'node:util';
import { Role } from '../../src-shared/contract/index';
import { launchActionFrom } from '../app/instance-handoff';
import type { LaunchAction } from '../app/launch-action';

/** What the browser host was asked to do on its command line. */
export interface HostArgs {
  role: Role;
  profile: string | undefined;
  port: number;
  open: boolean;
  display: string | undefined;
  /** The wizard to start in: an invitation file, an offer to a computer, a new invitation. */
  launch: LaunchAction;
  /** The invitation file to open in the helper wizard (the `openFile` launch), as an absolute path. */
  startupFile: string | null;
  help: boolean;
}

export const HOST_USAGE = `Usage: remote-assist host [options] [INVITATION.rainvite | remote-assist://LINK]

Starts Remote Assist as a local web page (the browser host) on 127.0.0.1.

Start in a wizard (like msra.exe; give at most one):
  --open-file FILE              "Help someone who has invited you" with this invitation file
                                (also: the file as the only argument, or a remote-assist:// link)
  --offer HOST                  "Offer help to someone" with this computer name or address filled in
  --invite [--save FILE]        "Invite someone you trust"; save the new invitation as FILE

Options:
  --role requester|helper|any   which screen opens first (default: any)
  --profile DIR                 keep all of this instance's state in DIR (also REMOTE_ASSIST_PROFILE)
  --port N                      listen on port N (default: a free port)
  --display :N                  the X display to share and control (default: $DISPLAY)
  --no-open                     print the address instead of opening a browser
  -h, --help                    show this help

Links: remote-assist://open?file=/absolute/path.rainvite, remote-assist://offer?host=NAME.
A link or file only ever opens a wizard; nothing connects or shares until you act in it.`;

/** The host's option names: on the top-level command line they mean "start the app" (see cli/main.ts). */
export const HOST_OPTION_NAMES: readonly string[] = ['--open-file', '--offer', '--invite', '--save', '--role', '--profile', '--port', '--display', '--no-open'];

/** Parses the host's flags; throws an Error with a readable message on bad input. */
export function parseHostArgs(argv: string[], cwd: string = process.cwd()): HostArgs {
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
      offer: { type: 'string' },
      invite: { type: 'boolean' },
      save: { type: 'string' },
      'no-open': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const role = Role.safeParse(values.role ?? 'any');
  if (!role.success) throw new Error(`--role must be requester, helper or any (got ${JSON.stringify(values.role)}).`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number from 0 to 65535 (got ${JSON.stringify(values.port)}).`);
  if (positionals.length > 1) throw new Error('Give at most one invitation file.');
  const launch = launchActionFrom({ openFile: values['open-file'], offer: values.offer, invite: values.invite, save: values.save, positional: positionals[0] }, cwd);
  // The user typed this command: a launch that cannot work is a usage error, not something to ignore.
  if (launch.kind === 'rejected') throw new Error(launch.reason);
  return {
    role: role.data,
    profile: values.profile,
    port,
    open: !values['no-open'],
    display: values.display,
    launch,
    startupFile: launch.kind === 'openFile' ? launch.file : null,
    help: !!values.help,
  };
}

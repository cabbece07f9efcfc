import type { CliCommand } from '../cli-command';
import { runHost } from '../../host/main';

/** `remote-assist host`: the browser host. */
export const hostCommand: CliCommand = {
  name: 'host',
  summary: 'start the app as a local web page (see: remote-assist host --help)',
  run: (argv) => runHost(argv),
};

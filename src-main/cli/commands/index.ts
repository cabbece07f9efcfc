import type { CliCommand } from '../cli-command';
import { hostCommand } from './host';
import { ticketCommand } from './ticket';
import { logsCommand } from './logs';
import { policyCommand } from './policy';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [hostCommand, ticketCommand, policyCommand, logsCommand];

import type { CliCommand } from '../cli-command';
import { hostCommand } from './host';
import { ticketCommand } from './ticket';
import { logsCommand } from './logs';
import { policyCommand } from './policy';
import { relayCommand } from './relay';
import { identityCommand } from './identity';
import { offerListenerCommand } from './offer-listener';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [hostCommand, ticketCommand, policyCommand, logsCommand, identityCommand, offerListenerCommand, relayCommand];

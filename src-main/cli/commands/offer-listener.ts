import net from 'node:net';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIO } from '../cli-command';
import { describePolicyError } from '../../policy/policy-error';
import { policyFilePath } from '../../policy/policy-file';
import { PolicyService } from '../../policy/policy-service';
import { UserSettingsStore } from '../../policy/user-settings-store';
import { allowListCount } from '../../offer/allow-list';
import { IdentityStore } from '../../offer/identity-store';
import { resolveProfile } from '../../profile/profile-paths';

/** The text of `remote-assist offer-listener --help`. */
export const OFFER_LISTENER_USAGE = `Usage: remote-assist offer-listener status [--json]

Whether this computer accepts offers of help: what the policy says (allowOffers, the port, how
many helper IDs are on the allow-list), and whether something accepts connections on that port
right now (a connection test to 127.0.0.1). Exit status 1 if the policy cannot be read.

Environment: REMOTE_ASSIST_POLICY_FILE, REMOTE_ASSIST_PROFILE
`;

/** What the command needs from the machine; tests shorten the connection test. */
export interface OfferListenerCommandDeps {
  /** How long the connection test waits (default 1500 ms). */
  readonly probeTimeoutMs?: number;
}

/** Builds the `offer-listener` command. */
export function createOfferListenerCommand(deps: OfferListenerCommandDeps = {}): CliCommand {
  return {
    name: 'offer-listener',
    summary: 'is this computer listening for offers of help? (see: remote-assist offer-listener --help)',
    run: (argv, io) => runStatus(argv, io, deps),
  };
}

/** `remote-assist offer-listener status`. */
export const offerListenerCommand: CliCommand = createOfferListenerCommand();

async function runStatus(argv: string[], io: CliIO, deps: OfferListenerCommandDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    io.err(`remote-assist offer-listener: ${(e as Error).message}\n\n${OFFER_LISTENER_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(OFFER_LISTENER_USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'status') {
    io.err(`remote-assist offer-listener: say what to do: status\n\n${OFFER_LISTENER_USAGE}`);
    return 2;
  }
  const profile = resolveProfile(undefined, io.env);
  // Read-only: a status command must not apply the answer file or repair the settings file.
  const policy = await PolicyService.create({ policyFile: policyFilePath(io.env), answerFile: null, store: new UserSettingsStore({ configDir: profile.configDir, readOnly: true }), watch: false });
  try {
    const allow = policy.effective('allowOffers');
    const port = policy.value('offerListenerPort');
    const helpers = policy.value('offerHelpers');
    const admins = policy.value('offerAdmins');
    const count = allowListCount({ offerHelpers: helpers, offerAdmins: admins });
    const listening = await probe(port, deps.probeTimeoutMs ?? 1500);
    let hostFingerprint: string | null = null;
    try {
      hostFingerprint = new IdentityStore(profile.configDir).peek('host-key')?.fingerprint ?? null;
    } catch (e) {
      hostFingerprint = `unreadable: ${(e as Error).message}`;
    }
    const source = { policy: 'set by your administrator', user: 'your setting', 'answer-file': 'from the answer file', default: 'the default' }[allow.source];
    if (parsed.values.json) {
      io.out(JSON.stringify({ enabled: allow.value, source: allow.source, port, listening, allowListCount: count, helpers: helpers.length, administrators: admins.length, hostFingerprint, policyFile: policy.policyFile }, null, 2) + '\n');
    } else {
      const hint = allow.value && !listening ? '  (Remote Assist is not running, or could not open the port: see its log)' : !allow.value && listening ? '  (offers are off, yet something listens there: another program?)' : '';
      io.out(
        [
          `Offers of help:  ${allow.value ? 'allowed' : 'not allowed'} (${source})`,
          `Port:            ${port}`,
          `Listening:       ${listening ? `yes, something accepts connections on 127.0.0.1:${port}` : 'no'}${hint}`,
          `Allow-list:      ${count} helper ID${count === 1 ? '' : 's'} (${helpers.length} helper entr${helpers.length === 1 ? 'y' : 'ies'}, ${admins.length} administrator entr${admins.length === 1 ? 'y' : 'ies'})`,
          `Host key:        ${hostFingerprint ?? 'none yet (created when offers are first accepted)'}`,
          `Policy file:     ${policy.policyFile}`,
          '',
        ].join('\n'),
      );
    }
    if (policy.policyError) {
      io.err(`remote-assist: ${describePolicyError(policy.policyError)}\n`);
      return 1;
    }
    return 0;
  } finally {
    policy.dispose();
  }
}

/** True when a TCP connection to 127.0.0.1:port succeeds within the timeout. */
function probe(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

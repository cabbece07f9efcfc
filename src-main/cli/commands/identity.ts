import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isAppError } from '../../../src-shared/contract/errors';
import { DEFAULT_OFFER_LISTENER_PORT } from '../../../src-shared/settings/settings-schema';
import type { CliCommand, CliIO } from '../cli-command';
import { helperIdExportText } from '../../offer/helper-id-export';
import { IdentityStore } from '../../offer/identity-store';
import { KnownHosts, hostLabel } from '../../offer/known-hosts';
import { localUserName } from '../../platform/system-info';
import { resolveProfile } from '../../profile/profile-paths';

/** The text of `remote-assist identity --help`. */
export const IDENTITY_USAGE = `Usage: remote-assist identity show [--json]
       remote-assist identity export [--out FILE]
       remote-assist identity forget-host HOST

  show          your helper ID (created on first use), and this computer's host key if it has one
  export        the helper ID file an administrator adds to the offer allow-list (to stdout, or FILE)
  forget-host   remove the pinned key of a computer you offered help to, after its administrator
                confirmed it was reinstalled; HOST as the warning names it (pc-42, or [pc-42]:50000)

Environment: REMOTE_ASSIST_PROFILE (the profile folder whose keys are used)
`;

/** `remote-assist identity show|export|forget-host`: the helper ID and pinned host keys. */
export const identityCommand: CliCommand = {
  name: 'identity',
  summary: 'show or export your helper ID for an offer allow-list (see: remote-assist identity --help)',
  run: runIdentity,
};

async function runIdentity(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    return usageError(io, (e as Error).message);
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  if (values.help || sub === 'help') {
    io.out(IDENTITY_USAGE);
    return 0;
  }
  const profile = resolveProfile(undefined, io.env);
  const store = new IdentityStore(profile.configDir);
  try {
    switch (sub) {
      case 'show': {
        if (rest.length || values.out !== undefined) return usageError(io, 'show takes only --json');
        const id = store.helperIdentity();
        const host = store.peek('host-key');
        const name = localUserName();
        const pub = (k: Uint8Array) => Buffer.from(k).toString('base64url');
        if (values.json) {
          const hostKey = host ? { fingerprint: host.fingerprint, publicKey: pub(host.pair.publicKey), file: host.file } : null;
          io.out(JSON.stringify({ name, fingerprint: id.fingerprint, publicKey: pub(id.pair.publicKey), file: id.file, createdAt: id.createdAt, hostKey }, null, 2) + '\n');
        } else {
          io.out(
            [
              'Your helper ID (give it to the administrator of the computers you help):',
              `  Name:         ${name}`,
              `  Helper ID:    ${id.fingerprint}`,
              `  Key file:     ${id.file}`,
              '',
              "This computer's host key (helpers see it when they offer help here):",
              host ? `  Fingerprint:  ${host.fingerprint}` : '  (none yet: it is created when this computer first accepts offers)',
              '',
            ].join('\n'),
          );
        }
        return 0;
      }
      case 'export': {
        if (rest.length || values.json) return usageError(io, 'export takes only --out FILE');
        const id = store.helperIdentity();
        const text = helperIdExportText(localUserName(), id.pair.publicKey);
        if (values.out === undefined) {
          io.out(text);
          return 0;
        }
        const file = path.resolve(values.out);
        fs.writeFileSync(file, text);
        io.err(`Your helper ID was written to ${file}. Send it to the administrator of the computers you help.\n`);
        return 0;
      }
      case 'forget-host': {
        if (rest.length !== 1 || values.json || values.out !== undefined) return usageError(io, 'forget-host takes one HOST');
        const raw = rest[0]!;
        const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(raw);
        const label = m ? hostLabel(m[1]!, Number(m[2]), DEFAULT_OFFER_LISTENER_PORT) : hostLabel(raw, DEFAULT_OFFER_LISTENER_PORT, DEFAULT_OFFER_LISTENER_PORT);
        const known = new KnownHosts(profile.configDir);
        if (!known.forget(label)) {
          io.err(`remote-assist identity: no key is pinned for ${label} (in ${known.file}).\n`);
          return 1;
        }
        io.out(`Removed the pinned key of ${label}. The next offer to it pins the key it presents then.\n`);
        return 0;
      }
      default:
        return usageError(io, sub === undefined ? 'say what to do: show, export or forget-host' : `unknown subcommand ${JSON.stringify(sub)}`);
    }
  } catch (e) {
    if (!isAppError(e)) throw e;
    io.err(`remote-assist identity: ${e.message}\n`);
    return 1;
  }
}

function usageError(io: CliIO, message: string): number {
  io.err(`remote-assist identity: ${message}\n\n${IDENTITY_USAGE}`);
  return 2;
}

import { SETTINGS, SETTING_KEYS } from '../../../src-shared/settings/settings-schema';
import type { CliCommand, CliIO } from '../cli-command';
import { createExecFileRunner, type CommandRunner } from '../../platform/firewall/command-runner';
import { resolveProfile } from '../../profile/profile-paths';
import { answerFilePath } from '../../policy/answer-file';
import { describeSettings, formatSettingsTable } from '../../policy/describe-settings';
import { describePolicyError } from '../../policy/policy-error';
import { policyFilePath, policyJsonSchemaText } from '../../policy/policy-file';
import { PolicyService } from '../../policy/policy-service';
import { readRegistryPolicy, REMOTE_ASSISTANCE_POLICY_KEY } from '../../policy/registry-policy';
import { UserSettingsStore } from '../../policy/user-settings-store';

const USAGE = `Usage:
  remote-assist policy show [--json] [--profile DIR] [--answer-file FILE]
      Every setting, its effective value and where it comes from (administrator policy,
      your setting, the answer file, or the default). Exit 1 if the policy cannot be read.
  remote-assist policy schema
      The JSON Schema of the administrator policy file.

Environment: REMOTE_ASSIST_POLICY_FILE, REMOTE_ASSIST_ANSWER_FILE, REMOTE_ASSIST_PROFILE
`;

/** What the command needs from the machine; tests substitute them. */
export interface PolicyCommandDeps {
  readonly platform?: NodeJS.Platform;
  /** Runs `reg query` on Windows. */
  readonly runner?: CommandRunner;
}

/** Builds the `policy` command. */
export function createPolicyCommand(deps: PolicyCommandDeps = {}): CliCommand {
  return {
    name: 'policy',
    summary: 'show effective settings and who set them (administrator, you, answer file, default)',
    run: (argv, io) => runPolicy(argv, io, deps),
  };
}

/** `remote-assist policy show|schema`: the gpresult of Remote Assist. */
export const policyCommand: CliCommand = createPolicyCommand();

async function runPolicy(argv: string[], io: CliIO, deps: PolicyCommandDeps): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(USAGE);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'schema') {
    if (rest.length) return usageError(io, `unexpected argument ${JSON.stringify(rest[0])}`);
    io.out(policyJsonSchemaText());
    return 0;
  }
  if (sub !== 'show') return usageError(io, `unknown subcommand ${JSON.stringify(sub)}`);

  let json = false;
  let profileFlag: string | undefined;
  let answerFlag: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (name: string): string | null => {
      const eq = a.startsWith(`${name}=`) ? a.slice(name.length + 1) : null;
      if (eq !== null) return eq;
      const next = rest[i + 1];
      if (next === undefined || next.startsWith('--')) return null;
      i++;
      return next;
    };
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      io.out(USAGE);
      return 0;
    } else if (a === '--profile' || a.startsWith('--profile=')) {
      const v = value('--profile');
      if (v === null) return usageError(io, '--profile needs a folder');
      profileFlag = v;
    } else if (a === '--answer-file' || a.startsWith('--answer-file=')) {
      const v = value('--answer-file');
      if (v === null) return usageError(io, '--answer-file needs a file');
      answerFlag = v;
    } else return usageError(io, `unknown option ${JSON.stringify(a)}`);
  }

  const platform = deps.platform ?? process.platform;
  const profile = resolveProfile(profileFlag, io.env, platform);
  const policyFile = policyFilePath(io.env, platform);
  const runner = deps.runner ?? createExecFileRunner();
  // Read-only: `show` must not apply the answer file or move a damaged settings file aside.
  const store = new UserSettingsStore({ configDir: profile.configDir, readOnly: true });
  const service = await PolicyService.create({
    policyFile,
    answerFile: answerFilePath(answerFlag, io.env, platform),
    store,
    registry: platform === 'win32' ? () => readRegistryPolicy(runner) : null,
    watch: false,
  });
  try {
    const eff = service.get();
    const err = service.policyError;
    if (json) {
      const settings = Object.fromEntries(
        SETTING_KEYS.map((k) => [k, { value: eff[k].value, source: eff[k].source, locked: eff[k].locked, windowsName: SETTINGS[k].windowsName, label: SETTINGS[k].label }]),
      );
      const out = {
        policyFile: { path: policyFile, status: service.policyFileStatus },
        ...(platform === 'win32' ? { registryKey: REMOTE_ASSISTANCE_POLICY_KEY } : {}),
        policyError: err ? { ...err.toPayload(), summary: describePolicyError(err) } : null,
        answerFile: service.answerFile,
        userSettingsFile: store.file,
        warnings: service.warnings,
        settings,
      };
      io.out(JSON.stringify(out, null, 2) + '\n');
    } else {
      const fileState = { absent: 'not present: no administrator settings from a file', ok: 'read', malformed: 'COULD NOT BE READ' }[service.policyFileStatus];
      const a = service.answerFile;
      const answerState =
        a.status === 'recorded' ? `applied on ${a.appliedAt ?? '?'}` : a.status === 'applied' ? 'will be applied at the next start of the app' : a.status === 'absent' ? 'not present' : a.status === 'malformed' ? 'could not be read (ignored)' : 'none';
      io.out(
        [
          'Remote Assist settings and where they come from',
          '',
          `Policy file:    ${policyFile} (${fileState})`,
          ...(platform === 'win32' ? [`Group Policy:   HKLM\\${REMOTE_ASSISTANCE_POLICY_KEY.replace(/^HKLM\\/, '')}`] : []),
          `Answer file:    ${a.file ?? '(none)'} (${answerState})`,
          `User settings:  ${store.file}`,
          '',
          formatSettingsTable(describeSettings(eff)).trimEnd(),
          '',
          '* locked: cannot be changed on the Remote settings page.',
          ...(service.warnings.length ? ['', 'Warnings:', ...service.warnings.map((w) => `  - ${w}`)] : []),
          '',
        ].join('\n'),
      );
    }
    if (err) {
      io.err(`remote-assist: ${describePolicyError(err)}\n`);
      return 1;
    }
    return 0;
  } finally {
    service.dispose();
  }
}

function usageError(io: CliIO, message: string): number {
  io.err(`remote-assist policy: ${message}\n\n${USAGE}`);
  return 2;
}

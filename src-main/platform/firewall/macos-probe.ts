import type { CommandRunner } from './command-runner';
import { unknownResult, type FirewallProbe, type FirewallProbeResult, type FirewallProtocol } from './firewall-probe';

/** The macOS application firewall's command-line tool. */
export const SOCKETFILTERFW = '/usr/libexec/ApplicationFirewall/socketfilterfw';

/**
 * The macOS application firewall filters by application, not by port: `--getglobalstate`, then
 * `--getblockall` and, when we know our executable, `--getappblocked`. An app it has not seen yet
 * triggers macOS's own "accept incoming connections?" prompt, which we report as unknown.
 * (A pf ruleset, rare on desktops, is not inspected.)
 */
export class MacosFirewallProbe implements FirewallProbe {
  constructor(
    private readonly run: CommandRunner,
    /** Our executable (inside the .app bundle). */
    private readonly programPath: string | null = null,
  ) {}

  async probe(_port: number, _protocol: FirewallProtocol = 'tcp'): Promise<FirewallProbeResult> {
    const app = this.programPath ?? '/Applications/Remote Assist.app';
    const how = `sudo ${SOCKETFILTERFW} --add "${app}" && sudo ${SOCKETFILTERFW} --unblockapp "${app}"`;
    const global = await this.run(SOCKETFILTERFW, ['--getglobalstate']);
    if (global.code === 127) return unknownResult('macos', 'The application firewall tool was not found.', how);
    const state = /State\s*=\s*(\d)/.exec(global.stdout)?.[1] ?? (/disabled/i.test(global.stdout) ? '0' : /enabled/i.test(global.stdout) ? '1' : null);
    if (global.code !== 0 || state === null) return unknownResult('macos', `The firewall state could not be read (${(global.stderr || global.stdout).trim() || `exit ${global.code}`}).`, how);
    if (state === '0') return { status: 'allowed', firewall: 'macos', detail: 'The macOS firewall is off.', howToAllow: how };
    const blockAllHow = 'System Settings \u2192 Network \u2192 Firewall \u2192 Options \u2192 turn off "Block all incoming connections"';
    if (state === '2') return { status: 'blocked', firewall: 'macos', detail: 'The macOS firewall blocks all incoming connections.', howToAllow: blockAllHow };
    const blockAll = await this.run(SOCKETFILTERFW, ['--getblockall']);
    if (/block all.*enabled|set to block all/i.test(blockAll.stdout)) return { status: 'blocked', firewall: 'macos', detail: 'The macOS firewall blocks all incoming connections.', howToAllow: blockAllHow };
    if (!this.programPath) return { status: 'unknown', firewall: 'macos', detail: 'The macOS firewall is on; it decides per application, and may ask you to allow Remote Assist the first time someone connects.', howToAllow: how };
    const app2 = await this.run(SOCKETFILTERFW, ['--getappblocked', this.programPath]);
    const text = `${app2.stdout} ${app2.stderr}`;
    if (/not part of the firewall/i.test(text)) return { status: 'unknown', firewall: 'macos', detail: 'The macOS firewall is on and has no rule for Remote Assist yet; macOS will ask whether to accept incoming connections the first time someone connects.', howToAllow: how };
    if (/\bblocked\b/i.test(text) && !/not blocked/i.test(text)) return { status: 'blocked', firewall: 'macos', detail: 'The macOS firewall blocks incoming connections to Remote Assist.', howToAllow: how };
    if (/permitted|allowed|not blocked/i.test(text)) return { status: 'allowed', firewall: 'macos', detail: 'The macOS firewall allows incoming connections to Remote Assist.', howToAllow: how };
    return unknownResult('macos', `The firewall's rule for Remote Assist could not be read (${text.trim() || `exit ${app2.code}`}).`, how);
  }
}

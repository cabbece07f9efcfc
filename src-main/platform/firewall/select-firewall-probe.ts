import type { CommandRunner } from './command-runner';
import { type CheckedResult, type FirewallAdapter, type FirewallProbe, type FirewallProbeResult, type FirewallProtocol } from './firewall-probe';
import { FirewalldProbe } from './firewalld-probe';
import { MacosFirewallProbe } from './macos-probe';
import { NftablesProbe } from './nftables-probe';
import { UfwProbe } from './ufw-probe';
import { WindowsFirewallProbe } from './windows-probe';

/**
 * Picks the adapter for this platform. On Linux the front-ends come first because their
 * "how to allow" is the command the administrator actually uses: an enabled ufw, else a running
 * firewalld, else the raw nftables ruleset. Availability is checked on every probe, since a
 * firewall can be switched on while the app runs.
 */
export function selectFirewallProbe(platform: NodeJS.Platform, run: CommandRunner, opts: { programPath?: string | null } = {}): FirewallProbe {
  if (platform === 'win32') return new WindowsFirewallProbe(run, opts.programPath ?? null);
  if (platform === 'darwin') return new MacosFirewallProbe(run, opts.programPath ?? null);
  if (platform === 'linux') return new FirstActiveProbe([new UfwProbe(run), new FirewalldProbe(run), new NftablesProbe(run)]);
  return { probe: async () => ({ status: 'unknown', firewall: 'unknown', detail: `Firewall detection is not available on ${platform}.`, howToAllow: '' }) };
}

/** Asks each adapter in turn; the first whose firewall is active answers. */
export class FirstActiveProbe implements FirewallProbe {
  constructor(private readonly adapters: readonly FirewallAdapter[]) {}

  async probe(port: number, protocol: FirewallProtocol = 'tcp'): Promise<FirewallProbeResult> {
    const seen: CheckedResult[] = [];
    for (const a of this.adapters) {
      const r = await a.check(port, protocol);
      if (r.presence === 'active') return strip(r);
      seen.push(r);
    }
    // None in charge. One we could not read may still be filtering: say so rather than guess.
    const unreadable = seen.find((r) => r.presence === 'unreadable');
    if (unreadable) return strip(unreadable);
    if (seen.some((r) => r.presence === 'inactive')) {
      const off = seen.filter((r) => r.presence === 'inactive').map((r) => r.detail.replace(/\.$/, ''));
      return { status: 'allowed', firewall: 'none', detail: `No firewall filters incoming connections (${off.join('; ')}).`, howToAllow: '' };
    }
    return { status: 'unknown', firewall: 'unknown', detail: 'No known firewall tool (ufw, firewall-cmd, nft) was found, so the firewall could not be checked.', howToAllow: '' };
  }
}

function strip(r: CheckedResult): FirewallProbeResult {
  const { presence: _p, ...rest } = r;
  return rest;
}

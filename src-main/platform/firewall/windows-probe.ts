import type { CommandRunner } from './command-runner';
import { conclude, portListMatches, unknownResult, type ConditionalRule, type FirewallProbe, type FirewallProbeResult, type FirewallProtocol } from './firewall-probe';

/** One `netsh advfirewall` block as field → value ("Rule Name" → "Remote Assist"). */
export type NetshBlock = Record<string, string>;

interface Profile {
  name: string;
  state: string;
  inbound: string;
}

/**
 * Windows Defender Firewall via `netsh advfirewall show currentprofile` and
 * `netsh advfirewall firewall show rule name=all dir=in verbose` (verbose adds each rule's
 * program, so a rule for another program is not mistaken for ours). Windows semantics: a matching
 * Block rule beats any Allow rule; `BlockInboundAlways` ("Block all incoming connections") beats
 * every rule. English netsh output is assumed (the runner sets no locale on Windows; other
 * languages yield "unknown").
 */
export class WindowsFirewallProbe implements FirewallProbe {
  constructor(
    private readonly run: CommandRunner,
    /** Our executable, to recognise program-scoped rules (`process.execPath` in the app). */
    private readonly programPath: string | null = null,
  ) {}

  async probe(port: number, protocol: FirewallProtocol = 'tcp'): Promise<FirewallProbeResult> {
    const how = `netsh advfirewall firewall add rule name="Remote Assist" dir=in action=allow protocol=${protocol.toUpperCase()} localport=${port}`;
    const prof = await this.run('netsh', ['advfirewall', 'show', 'currentprofile']);
    if (prof.code === 127) return unknownResult('windows', 'netsh was not found.', how);
    const profiles = parseProfiles(prof.stdout);
    if (prof.code !== 0 || profiles.length === 0) return unknownResult('windows', `The firewall profile could not be read (${(prof.stderr || prof.stdout).trim().split(/\r?\n/)[0] || `exit ${prof.code}`}).`, how);
    const active = profiles.filter((p) => /^on$/i.test(p.state));
    if (active.length === 0) return { status: 'allowed', firewall: 'windows', detail: `Windows Defender Firewall is off for the ${names(profiles)} network profile.`, howToAllow: how };
    const always = active.find((p) => /BlockInboundAlways/i.test(p.inbound));
    if (always) {
      return {
        status: 'blocked',
        firewall: 'windows',
        detail: `Windows Defender Firewall blocks all incoming connections on the ${always.name} profile, whatever the rules say.`,
        howToAllow: `Windows Security \u2192 Firewall & network protection \u2192 ${always.name} network \u2192 clear "Blocks all incoming connections"`,
      };
    }
    const open = active.filter((p) => /AllowInbound/i.test(p.inbound));
    const filtering = active.filter((p) => !open.includes(p));
    if (filtering.length === 0) return { status: 'allowed', firewall: 'windows', detail: `The ${names(active)} profile allows incoming connections by default.`, howToAllow: how };

    const rulesOut = await this.run('netsh', ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=in', 'verbose']);
    const rules = rulesOut.code === 0 || /No rules match/i.test(rulesOut.stdout) ? parseNetshBlocks(rulesOut.stdout).filter((b) => 'Rule Name' in b) : null;
    if (!rules) return unknownResult('windows', `The firewall rules could not be read (${(rulesOut.stderr || rulesOut.stdout).trim().split(/\r?\n/)[0] || `exit ${rulesOut.code}`}).`, how);

    const conditionals: ConditionalRule[] = [];
    let allowedBy: string | null = null;
    // Every filtering profile must let the connection through.
    for (const p of filtering) {
      let allow: string | null = null;
      for (const r of rules) {
        if (!this.applies(r, p.name, port, protocol)) continue;
        const action = (r.Action ?? '').toLowerCase();
        const remote = r.RemoteIP ?? 'Any';
        const edge = /^any$/i.test(remote) ? null : `from ${remote}`;
        const verdict = action === 'block' ? 'block' : action === 'allow' || action === 'bypass' ? 'allow' : null;
        if (!verdict) continue;
        if (edge) {
          conditionals.push({ verdict, portSpecific: !/^any$/i.test(r.LocalPort ?? 'Any'), what: `rule "${r['Rule Name']}" (${edge})` });
          continue;
        }
        if (verdict === 'block') {
          return {
            status: 'blocked',
            firewall: 'windows',
            detail: `The inbound rule "${r['Rule Name']}" blocks ${protocol.toUpperCase()} port ${port} on the ${p.name} profile (a block rule beats any allow rule).`,
            howToAllow: `netsh advfirewall firewall set rule name="${r['Rule Name']}" new enable=no`,
          };
        }
        allow ??= r['Rule Name'] ?? '?';
      }
      if (!allow) return conclude('windows', 'block', `The ${p.name} profile blocks incoming connections by default and no enabled inbound rule allows ${protocol.toUpperCase()} port ${port}.`, conditionals, how);
      allowedBy ??= allow;
    }
    return conclude('windows', 'allow', `The inbound rule "${allowedBy}" allows ${protocol.toUpperCase()} port ${port}.`, conditionals, how);
  }

  /** Is the rule enabled, inbound, for this profile, protocol and port (and, if program-scoped, for us)? */
  private applies(r: NetshBlock, profile: string, port: number, protocol: FirewallProtocol): boolean {
    if (!/^yes$/i.test(r.Enabled ?? '')) return false;
    if (r.Direction && !/^in$/i.test(r.Direction)) return false;
    const profiles = (r.Profiles ?? 'Any').split(',').map((s) => s.trim().toLowerCase());
    if (!profiles.includes('any') && !profiles.includes(profile.toLowerCase())) return false;
    const proto = (r.Protocol ?? 'Any').trim();
    if (!/^any$/i.test(proto) && proto.toLowerCase() !== protocol) return false;
    if (!portListMatches(r.LocalPort ?? 'Any', port)) return false;
    const program = (r.Program ?? 'Any').trim();
    if (/^any$/i.test(program)) return true;
    return this.programPath !== null && program.toLowerCase() === this.programPath.toLowerCase();
  }
}

/** Splits netsh output into blocks of `Field:   value` lines; dashes and blank lines separate blocks. */
export function parseNetshBlocks(stdout: string): NetshBlock[] {
  const blocks: NetshBlock[] = [];
  let cur: NetshBlock = {};
  const flush = () => {
    if (Object.keys(cur).length) blocks.push(cur);
    cur = {};
  };
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (/^-{5,}$/.test(line.trim())) continue;
    const m = /^([A-Za-z][A-Za-z ]*?):\s*(.*)$/.exec(line.trim());
    if (m && m[1] === 'Rule Name') flush();
    if (m) cur[m[1]!] = m[2]!.trim();
  }
  flush();
  return blocks;
}

/** `show currentprofile`: "Private Profile Settings:" headers, then `State ON` and `Firewall Policy BlockInbound,AllowOutbound`. */
function parseProfiles(stdout: string): Profile[] {
  const out: Profile[] = [];
  let cur: Profile | null = null;
  for (const line of stdout.split(/\r?\n/)) {
    const h = /^(Domain|Private|Public) Profile Settings:/.exec(line.trim());
    if (h) {
      cur = { name: h[1]!, state: '', inbound: '' };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const st = /^State\s+(\S+)/.exec(line.trim());
    if (st) cur.state = st[1]!;
    const fp = /^Firewall Policy\s+(\S+)/.exec(line.trim());
    if (fp) cur.inbound = fp[1]!.split(',')[0] ?? '';
  }
  return out;
}

function names(ps: readonly Profile[]): string {
  return ps.map((p) => p.name).join(' and ');
}

import type { CommandRunner } from './command-runner';
import { conclude, portListMatches, unknownResult, type CheckedResult, type ConditionalRule, type FirewallAdapter, type FirewallProbeResult, type FirewallProtocol } from './firewall-probe';

/** ufw (Ubuntu, Debian): `ufw status verbose`, first matching IPv4 rule wins, else the default incoming policy. */
export class UfwProbe implements FirewallAdapter {
  constructor(private readonly run: CommandRunner) {}

  async probe(port: number, protocol: FirewallProtocol = 'tcp'): Promise<FirewallProbeResult> {
    const { presence: _p, ...r } = await this.check(port, protocol);
    return r;
  }

  /** Like probe, plus whether ufw is installed and enabled (for `selectFirewallProbe`). */
  async check(port: number, protocol: FirewallProtocol = 'tcp'): Promise<CheckedResult> {
    const how = `sudo ufw allow ${port}/${protocol}`;
    const r = await this.run('ufw', ['status', 'verbose']);
    if (r.code === 127) return { presence: 'absent', ...unknownResult('ufw', 'ufw is not installed.') };
    if (/^Status:\s*inactive/m.test(r.stdout)) return { presence: 'inactive', status: 'allowed', firewall: 'ufw', detail: 'ufw is installed but not enabled.', howToAllow: how };
    if (r.code !== 0 || !/^Status:\s*active/m.test(r.stdout)) {
      const why = /root/i.test(r.stderr) ? 'reading the ufw rules needs administrator rights' : (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`;
      return { presence: 'unreadable', ...unknownResult('ufw', `ufw status could not be read (${why}). Check with: sudo ufw status verbose`, how) };
    }
    return { presence: 'active', ...evaluateUfwStatus(r.stdout, port, protocol) };
  }
}

/** Evaluates `ufw status verbose` output for an incoming IPv4 connection to `port`. */
export function evaluateUfwStatus(stdout: string, port: number, protocol: FirewallProtocol): FirewallProbeResult {
  const how = `sudo ufw allow ${port}/${protocol}`;
  const def = /^Default:\s*(allow|deny|reject)\s*\(incoming\)/m.exec(stdout)?.[1];
  if (!def) return unknownResult('ufw', 'ufw is active but its default incoming policy could not be read.', how);
  const lines = stdout.split(/\r?\n/);
  const start = lines.findIndex((l) => /^--\s+-+\s+-+/.test(l.trim()));
  const conditionals: ConditionalRule[] = [];
  for (const line of start < 0 ? [] : lines.slice(start + 1)) {
    if (!line.trim()) continue;
    const [toRaw, actionRaw, fromRaw] = line.replace(/\s+#.*$/, '').trim().split(/\s{2,}/);
    if (!toRaw || !actionRaw || !fromRaw) continue;
    if (/\(v6\)/.test(toRaw) || /\(v6\)/.test(fromRaw)) continue;
    const action = /^(ALLOW|DENY|REJECT|LIMIT)(?:\s+(IN|OUT|FWD))?$/.exec(actionRaw.trim());
    if (!action || (action[2] !== undefined && action[2] !== 'IN')) continue;
    const to = parseTo(toRaw);
    if (!to.matches(port, protocol)) continue;
    const verdict = action[1] === 'ALLOW' || action[1] === 'LIMIT' ? 'allow' : 'block';
    // LIMIT lets connections in unless one address opens more than six in 30 seconds: allowed for us.
    const conditions = [to.condition, fromRaw.trim() === 'Anywhere' ? null : `from ${fromRaw.trim()}`].filter(Boolean);
    if (conditions.length) {
      conditionals.push({ verdict, portSpecific: to.portSpecific, what: `"${line.trim().replace(/\s{2,}/g, '  ')}"` });
      continue;
    }
    const why = verdict === 'allow' ? `ufw rule "${toRaw.trim()} ${actionRaw.trim()}" allows incoming ${protocol} port ${port}.` : `ufw rule "${toRaw.trim()} ${actionRaw.trim()}" blocks incoming ${protocol} port ${port}.`;
    return conclude('ufw', verdict, why, conditionals, how);
  }
  const final = def === 'allow' ? 'allow' : 'block';
  const why = final === 'allow' ? `ufw allows incoming connections by default and no rule blocks ${protocol} port ${port}.` : `ufw ${def === 'deny' ? 'denies' : 'rejects'} incoming connections by default and no rule allows ${protocol} port ${port}.`;
  return conclude('ufw', final, why, conditionals, how);
}

/** The "To" column: `22/tcp`, `80,443/tcp`, `5000:5100/udp`, `Anywhere`, `192.168.1.5 22/tcp`, `22/tcp on eth0`, `OpenSSH` (an app profile). */
function parseTo(raw: string): { matches: (port: number, proto: FirewallProtocol) => boolean; portSpecific: boolean; condition: string | null } {
  let s = raw.trim();
  let condition: string | null = null;
  const on = / on (\S+)$/.exec(s);
  if (on) {
    condition = `on interface ${on[1]}`;
    s = s.slice(0, on.index);
  }
  const tokens = s.split(/\s+/);
  const portTok = tokens.find((t) => /^[\d,:]+(\/(tcp|udp))?$/.test(t));
  const addr = tokens.find((t) => t !== portTok && t !== 'Anywhere');
  if (addr) condition = condition ? `${condition}, to ${addr}` : `to ${addr}`;
  if (!portTok) {
    // `Anywhere` (or an address): every port. An app profile name: ports we cannot see.
    const everyPort = tokens.every((t) => t === 'Anywhere' || /^[\d.:/a-fA-F]+$/.test(t));
    return { matches: () => everyPort, portSpecific: false, condition };
  }
  const [ports, proto] = portTok.split('/');
  return { matches: (port, p) => (!proto || proto === p) && portListMatches(ports ?? '', port), portSpecific: true, condition };
}

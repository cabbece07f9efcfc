import type { CommandRunner } from './command-runner';
import { portListMatches, unknownResult, type CheckedResult, type FirewallAdapter, type FirewallProbeResult, type FirewallProtocol } from './firewall-probe';

/** Services we resolve with `--info-service`; more than this and we stop asking. */
const MAX_SERVICES = 24;

/**
 * firewalld (Fedora, RHEL, openSUSE): `--state`, then the default zone's open ports and services
 * (each service's ports via `--info-service`). Limits: only the default zone is consulted, and rich
 * rules are not evaluated; a zone whose target is ACCEPT is recognised only for `trusted`.
 */
export class FirewalldProbe implements FirewallAdapter {
  constructor(private readonly run: CommandRunner) {}

  async probe(port: number, protocol: FirewallProtocol = 'tcp'): Promise<FirewallProbeResult> {
    const { presence: _p, ...r } = await this.check(port, protocol);
    return r;
  }

  /** Like probe, plus whether firewalld is installed and running. */
  async check(port: number, protocol: FirewallProtocol = 'tcp'): Promise<CheckedResult> {
    const how = `sudo firewall-cmd --permanent --add-port=${port}/${protocol} && sudo firewall-cmd --reload`;
    const state = await this.run('firewall-cmd', ['--state']);
    if (state.code === 127) return { presence: 'absent', ...unknownResult('firewalld', 'firewalld is not installed.') };
    if (state.stdout.trim() !== 'running') {
      // `not running` exits 252; anything else (D-Bus trouble) we cannot read.
      if (/not running/.test(state.stdout + state.stderr)) return { presence: 'inactive', status: 'allowed', firewall: 'firewalld', detail: 'firewalld is installed but not running.', howToAllow: how };
      return { presence: 'unreadable', ...unknownResult('firewalld', `firewalld's state could not be read (${(state.stderr || state.stdout).trim() || `exit ${state.code}`}).`, how) };
    }
    const zone = await this.run('firewall-cmd', ['--get-default-zone']);
    const zoneName = zone.code === 0 ? zone.stdout.trim() : 'the default zone';
    if (zoneName === 'trusted') return { presence: 'active', status: 'allowed', firewall: 'firewalld', detail: 'firewalld is running and the default zone is "trusted", which accepts every connection.', howToAllow: how };
    const ports = await this.run('firewall-cmd', ['--list-ports']);
    const services = await this.run('firewall-cmd', ['--list-services']);
    if (ports.code !== 0 || services.code !== 0) {
      const why = (ports.stderr || services.stderr).trim() || 'permission denied?';
      return { presence: 'unreadable', ...unknownResult('firewalld', `firewalld is running but its rules could not be read (${why}). Check with: sudo firewall-cmd --list-all`, how) };
    }
    const open = ports.stdout.trim().split(/\s+/).filter(Boolean).find((p) => matchesPortProto(p, port, protocol));
    if (open) return { presence: 'active', status: 'allowed', firewall: 'firewalld', detail: `firewalld zone ${zoneName} opens ${open}.`, howToAllow: how };
    for (const svc of services.stdout.trim().split(/\s+/).filter(Boolean).slice(0, MAX_SERVICES)) {
      const info = await this.run('firewall-cmd', [`--info-service=${svc}`]);
      const line = /^\s*ports:\s*(.*)$/m.exec(info.stdout)?.[1] ?? '';
      const hit = line.split(/\s+/).find((p) => matchesPortProto(p, port, protocol));
      if (hit) return { presence: 'active', status: 'allowed', firewall: 'firewalld', detail: `firewalld zone ${zoneName} allows service ${svc}, which includes ${hit}.`, howToAllow: how };
    }
    return {
      presence: 'active',
      status: 'blocked',
      firewall: 'firewalld',
      detail: `firewalld is running and zone ${zoneName} neither opens ${protocol} port ${port} nor allows a service that includes it. (Rich rules and other zones were not checked.)`,
      howToAllow: how,
    };
  }
}

/** `48721/tcp` or `5000-5100/tcp` against a port and protocol. */
function matchesPortProto(token: string, port: number, protocol: FirewallProtocol): boolean {
  const [ports, proto] = token.split('/');
  return proto === protocol && portListMatches(ports ?? '', port);
}

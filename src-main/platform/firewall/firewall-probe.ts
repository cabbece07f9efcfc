/**
 * FirewallProbe: would an incoming connection to our port get through this machine's firewall?
 * The white paper's complaint is that a blocked Offer fails silently; this port lets the wizard
 * say "blocked by ufw — run `sudo ufw allow 48721/tcp`" before anyone waits.
 */

export type FirewallStatus = 'allowed' | 'blocked' | 'unknown';
export type FirewallKind = 'ufw' | 'firewalld' | 'nftables' | 'windows' | 'macos' | 'none' | 'unknown';
export type FirewallProtocol = 'tcp' | 'udp';

/** The probe's answer. */
export interface FirewallProbeResult {
  readonly status: FirewallStatus;
  readonly firewall: FirewallKind;
  /** One or two sentences: what was found and why it leads to `status`. */
  readonly detail: string;
  /** The exact command (or settings path) that would allow the port; empty when there is nothing to change. */
  readonly howToAllow: string;
}

/** The port. One adapter per firewall; `selectFirewallProbe` picks. */
export interface FirewallProbe {
  probe(port: number, protocol?: FirewallProtocol): Promise<FirewallProbeResult>;
}

/** Whether an adapter's firewall is in charge on this machine. */
export type Presence = 'active' | 'inactive' | 'absent' | 'unreadable';

/** A probe result plus the adapter's presence, so `selectFirewallProbe` can fall through to the next firewall. */
export type CheckedResult = FirewallProbeResult & { readonly presence: Presence };

/** An adapter that can tell whether its firewall is in charge. */
export interface FirewallAdapter extends FirewallProbe {
  check(port: number, protocol?: FirewallProtocol): Promise<CheckedResult>;
}

/**
 * A rule that decides only for some connections (a source address, an interface, a rate limit,
 * something we cannot evaluate). It can make a definite answer uncertain.
 */
export interface ConditionalRule {
  readonly verdict: 'allow' | 'block';
  /** True when the rule names our port: a source-restricted rule for the port itself matters more than a generic blocklist. */
  readonly portSpecific: boolean;
  readonly what: string;
}

/**
 * Turns a final verdict plus the conditional rules met on the way into a result. Blocked with a
 * conditional allow → unknown ("blocked except from …"); allowed with a conditional block that
 * names the port → unknown. Conditional blocks that do not name the port (blocklists) are noted only.
 */
export function conclude(
  firewall: FirewallKind,
  final: 'allow' | 'block',
  why: string,
  conditionals: readonly ConditionalRule[],
  howToAllow: string,
): FirewallProbeResult {
  const allows = conditionals.filter((c) => c.verdict === 'allow');
  const blocks = conditionals.filter((c) => c.verdict === 'block');
  if (final === 'block') {
    if (allows.length) return { status: 'unknown', firewall, detail: `${why} Some connections may get through: ${list(allows)}.`, howToAllow };
    return { status: 'blocked', firewall, detail: why, howToAllow };
  }
  const specific = blocks.filter((c) => c.portSpecific);
  if (specific.length) return { status: 'unknown', firewall, detail: `${why} But some connections to the port are blocked: ${list(specific)}.`, howToAllow };
  const note = blocks.length ? ` (Rules that block particular sources were not evaluated: ${list(blocks)}.)` : '';
  return { status: 'allowed', firewall, detail: `${why}${note}`, howToAllow };
}

function list(rules: readonly ConditionalRule[]): string {
  const shown = rules.slice(0, 3).map((r) => r.what);
  return shown.join('; ') + (rules.length > 3 ? `; and ${rules.length - 3} more` : '');
}

/**
 * Does a port list like `80,443,5000:5100` (ufw) or `80,443,5000-5100` (netsh, firewalld) contain
 * `port`? `Any` matches everything.
 */
export function portListMatches(spec: string, port: number): boolean {
  const s = spec.trim();
  if (/^any$/i.test(s)) return true;
  return s.split(',').some((part) => {
    const m = /^\s*(\d{1,5})(?:\s*[-:]\s*(\d{1,5}))?\s*$/.exec(part);
    if (!m) return false;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    return port >= lo && port <= hi;
  });
}

/** A result for when the firewall's configuration cannot be read. */
export function unknownResult(firewall: FirewallKind, detail: string, howToAllow = ''): FirewallProbeResult {
  return { status: 'unknown', firewall, detail, howToAllow };
}

import net from 'node:net';

// A DNS name: dot-separated labels of letters, digits and inner hyphens, 253 characters at most.
const DNS_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Null when `host` is something the helper may connect to (an IPv4 or IPv6 literal, or a DNS
 * name), else what is wrong with it, phrased to follow "the host …".
 */
export function hostProblem(host: string): string | null {
  if (net.isIPv4(host)) {
    const first = Number(host.split('.')[0]);
    // Connecting to 0.0.0.0 reaches the helper's own machine on Linux; broadcast and multicast
    // are not peers. None is a requester.
    if (host === '0.0.0.0' || host === '255.255.255.255' || (first >= 224 && first <= 239)) return `"${host}" is not an address a helper can connect to`;
    return null;
  }
  if (host.includes(':')) {
    // A zone id (fe80::1%eth0) names an interface on the requester's machine; it means nothing
    // (or something else) on the helper's, so link-local addresses are never candidates.
    if (host.includes('%')) return 'is an IPv6 address with a zone id, which only works on the machine that made it';
    if (!net.isIPv6(host)) return 'is not a valid IPv6 address';
    const lower = host.toLowerCase();
    if (lower === '::' || lower.startsWith('ff')) return `"${host}" is not an address a helper can connect to`;
    return null;
  }
  if (!DNS_NAME.test(host)) return 'is not an IP address or a host name';
  // "10.0.0.999" matches the name pattern; an all-numeric last label is a broken IPv4 address.
  if (/(?:^|\.)\d+$/.test(host)) return 'is not a valid IPv4 address';
  return null;
}

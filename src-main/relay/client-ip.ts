/**
 * The client's address for per-address limits and logs. Behind a reverse proxy every connection
 * comes from the proxy, so the proxy's X-Forwarded-For is used, but only when the connection
 * really comes from a trusted proxy: anyone else could write any address there and dodge the limits.
 */

/** IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d; show and count them as IPv4. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * The socket's address, or, when that is a trusted proxy, the right-most X-Forwarded-For entry
 * that is not itself a trusted proxy (entries further left were written by the client: untrusted).
 */
export function clientIp(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: ReadonlySet<string>): string {
  const direct = normalizeIp(remoteAddress ?? 'unknown');
  if (!trustedProxies.has(direct) || forwardedFor === undefined) return direct;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => normalizeIp(s.trim()))
    .filter((s) => s.length > 0 && s.length <= 64);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.has(hops[i]!)) return hops[i]!;
  }
  return direct;
}

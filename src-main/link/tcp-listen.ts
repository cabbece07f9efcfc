import type net from 'node:net';

/**
 * Binds to `host`, or dual-stack on all interfaces, falling back to IPv4 where IPv6 is
 * unavailable (but not when the port is simply taken). Resolves with the bound port.
 */
export async function listenDualStack(server: net.Server, host: string | undefined, port: number): Promise<number> {
  const attempt = (o: net.ListenOptions) =>
    new Promise<number>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(o, () => {
        server.off('error', onError);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  if (host !== undefined) return attempt({ host, port, exclusive: true });
  try {
    return await attempt({ host: '::', port, ipv6Only: false, exclusive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw e;
    return attempt({ host: '0.0.0.0', port, exclusive: true });
  }
}

/** IPv4 peers on a dual-stack socket appear as ::ffff:a.b.c.d; count and show them as IPv4. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

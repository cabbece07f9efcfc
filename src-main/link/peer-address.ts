/** "a.b.c.d:port" or "[v6]:port": the peer's address as shown in consent prompts and the audit log. */
export function formatPeerAddress(ip: string, port: number | undefined): string {
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return port === undefined ? host : `${host}:${port}`;
}

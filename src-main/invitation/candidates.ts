// The addresses a helper can try to reach this machine's listener on.
import os from 'node:os';
import net from 'node:net';
import { AppError } from '../../src-shared/contract/errors';
import { MAX_CANDIDATES } from './ticket-limits';
import type { Candidate } from './ticket-schema';

/** What os.networkInterfaces() returns (a parameter so tests can pass any machine's). */
export type InterfaceTable = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

// Container and VM bridges: reachable only from that host's guests, so tried after the real
// networks. VPN interfaces (tun, wg, tailscale, zt) are NOT listed: in remote support a VPN is
// often the only path between the two machines.
const BRIDGE_INTERFACE = /^(?:docker|br-|veth|virbr|vmnet|vboxnet|lxcbr|lxdbr|cni|podman|vEthernet)/i;

function isUsableIPv4(a: string): boolean {
  const first = Number(a.split('.')[0]);
  return a !== '0.0.0.0' && first !== 127 && !(first >= 224);
}

// Link-local IPv6 (fe80::/10) is skipped: it only works with a zone id, and the zone id is the
// *helper's* interface for that link, which we cannot know here (ours would be wrong or, worse,
// name another interface there). IPv4 link-local (169.254/16) needs no zone id, so it stays, last.
function isUsableIPv6(a: string): boolean {
  const lower = a.toLowerCase();
  return lower !== '::' && lower !== '::1' && !/^fe[89ab]/.test(lower) && !lower.startsWith('ff') && !lower.startsWith('::ffff:');
}

/**
 * Every usable address of this machine as candidates for `port`: IPv4 then IPv6 of real
 * networks, then container/VM bridges, then IPv4 link-local, and finally 127.0.0.1 and ::1 so a
 * helper on the same machine can connect. De-duplicated, at most MAX_CANDIDATES (the loopback
 * pair always fits).
 */
export function localCandidates(port: number, interfaces: InterfaceTable = os.networkInterfaces()): Candidate[] {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new AppError('invalid-input', `The listening port must be from 1 to 65535 (got ${port}).`);
  const tiers: string[][] = [[], [], [], []]; // real IPv4, real IPv6, bridges, IPv4 link-local
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      const address = info.address;
      const bridge = BRIDGE_INTERFACE.test(name) ? 2 : 0;
      // Node < 18.4 reported family as 4/6; net.isIP decides from the address itself.
      const family = net.isIP(address);
      if (family === 4 && isUsableIPv4(address)) tiers[address.startsWith('169.254.') ? 3 : bridge]!.push(address);
      else if (family === 6 && isUsableIPv6(address)) tiers[bridge === 2 ? 2 : 1]!.push(address);
    }
  }
  const loopback = ['127.0.0.1', '::1'];
  const seen = new Set<string>(loopback);
  const hosts: string[] = [];
  for (const address of tiers.flat()) {
    if (seen.has(address) || hosts.length >= MAX_CANDIDATES - loopback.length) continue;
    seen.add(address);
    hosts.push(address);
  }
  return [...hosts, ...loopback].map((host) => ({ host, port }));
}

// Running a script inside a private network namespace (DESIGN.md section 11): loopback up, a veth
// pair with private test addresses and a default route into it — so Chromium gathers WebRTC host
// candidates — and no packet can leave the machine. Used by the e2e suite and the bench.
import { spawnSync } from 'node:child_process';

const NETWORK_SETUP = [
  'ip link set lo up',
  'ip link add ra0 type veth peer name ra1',
  'ip addr add 10.99.0.1/24 dev ra0',
  'ip addr add 10.99.0.2/24 dev ra1',
  'ip link set ra0 up',
  'ip link set ra1 up',
  'ip route add default via 10.99.0.254 dev ra0 onlink',
].join(' && ');

/** True in the copy of a script that runs inside the namespace. */
export const inPrivateNetwork = () => process.env.RA_IN_NETNS === '1';

/**
 * Runs `script` (a path) again with `args` inside a new private network namespace and exits with
 * its status. `label` starts the error message if the namespace cannot be made.
 */
export function rerunInPrivateNetwork(script, args, { cwd, label }) {
  const quoted = [process.execPath, script, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  // As root `unshare -n` suffices; otherwise a user namespace maps us to root inside it (the
  // bench's throwaway sshd then runs as that mapped root, which works on loopback).
  const flags = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
  const r = spawnSync('unshare', [...flags, '--', 'sh', '-c', `${NETWORK_SETUP} && exec ${quoted}`], { cwd, stdio: 'inherit', env: { ...process.env, RA_IN_NETNS: '1' } });
  if (r.error) {
    console.error(`${label}: could not run unshare to create a private network namespace: ${r.error.message}`);
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}

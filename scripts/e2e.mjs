#!/usr/bin/env node
// Runs the end-to-end suite inside a private network namespace (DESIGN.md section 11): loopback
// up, a veth pair with private test addresses and a default route into it — so Chromium gathers
// WebRTC host candidates — and no packet can leave the machine.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const NETWORK_SETUP = [
  'ip link set lo up',
  'ip link add ra0 type veth peer name ra1',
  'ip addr add 10.99.0.1/24 dev ra0',
  'ip addr add 10.99.0.2/24 dev ra1',
  'ip link set ra0 up',
  'ip link set ra1 up',
  'ip route add default via 10.99.0.254 dev ra0 onlink',
].join(' && ');

function runPlaywright() {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test', '-c', path.join(root, 'e2e/playwright.config.ts'), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  return r.status ?? 1;
}

if (process.env.RA_IN_NETNS === '1') {
  process.exit(runPlaywright());
}

const quoted = [process.execPath, fileURLToPath(import.meta.url), ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
const inner = `${NETWORK_SETUP} && exec ${quoted}`;
// As root `unshare -n` suffices; otherwise a user namespace maps us to root inside it.
const flags = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
const r = spawnSync('unshare', [...flags, '--', 'sh', '-c', inner], { cwd: root, stdio: 'inherit', env: { ...process.env, RA_IN_NETNS: '1' } });
if (r.error) {
  console.error(`e2e: could not run unshare to create a private network namespace: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? 1);

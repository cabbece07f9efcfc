#!/usr/bin/env node
// `npm run bench`: measures the product against the tools people use instead (bench/README.md).
// 1. Installs the peers and tools it needs from Debian when they are missing (printing what).
// 2. Builds the page (the browser hosts serve dist/renderer), unless --no-build.
// 3. Runs bench/main.ts inside a private network namespace, as the e2e suite does (DESIGN.md
//    section 11): Chromium gathers no loopback ICE candidates, so WebRTC between two local
//    Chromiums needs host addresses on a veth pair and a default route — and no packet leaves.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inPrivateNetwork, rerunInPrivateNetwork } from './private-network.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

if (inPrivateNetwork()) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/main.ts'), ...args], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

if (args.includes('--help') || args.includes('-h')) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/main.ts'), '--help'], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/** Debian package → a file it installs (present means installed). */
const NEEDED = {
  x11vnc: '/usr/bin/x11vnc',
  'openssh-server': '/usr/sbin/sshd',
  'openssh-client': '/usr/bin/scp',
  xvfb: '/usr/bin/Xvfb',
  chromium: '/usr/bin/chromium',
  iproute2: '/usr/sbin/ip',
  'util-linux': '/usr/bin/unshare',
};
const missing = Object.entries(NEEDED)
  .filter(([, file]) => !fs.existsSync(file))
  .map(([pkg]) => pkg);
if (missing.length) {
  if (process.getuid?.() !== 0) {
    console.error(`bench: these Debian packages are missing: ${missing.join(' ')}. Install them (sudo apt-get install -y ${missing.join(' ')}) and run again.`);
    process.exit(1);
  }
  console.log(`bench: installing from Debian: ${missing.join(' ')}`);
  const apt = (a) => spawnSync('apt-get', a, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  let r = apt(['install', '-y', '--no-install-recommends', ...missing]);
  if (r.status !== 0) {
    apt(['update']);
    r = apt(['install', '-y', '--no-install-recommends', ...missing]);
  }
  if (r.status !== 0) {
    console.error(`bench: apt-get could not install ${missing.join(' ')}; install them by hand and run again.`);
    process.exit(1);
  }
} else {
  console.log('bench: x11vnc, sshd, scp, Xvfb and Chromium are installed');
}

if (!args.includes('--no-build')) {
  console.log('bench: building the page (npm run build:renderer; skip with --no-build)');
  const r = spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('bench: the page did not build; fix the build (or run with --no-build to use dist/renderer as it is).');
    process.exit(1);
  }
}

rerunInPrivateNetwork(fileURLToPath(import.meta.url), args, { cwd: root, label: 'bench' });

#!/usr/bin/env node
// Runs the end-to-end suite inside a private network namespace (scripts/private-network.mjs):
// Chromium gathers WebRTC host candidates there, and no packet can leave the machine.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { inPrivateNetwork, rerunInPrivateNetwork } from './private-network.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function runPlaywright() {
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test', '-c', path.join(root, 'e2e/playwright.config.ts'), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  return r.status ?? 1;
}

if (inPrivateNetwork()) process.exit(runPlaywright());
rerunInPrivateNetwork(fileURLToPath(import.meta.url), args, { cwd: root, label: 'e2e' });

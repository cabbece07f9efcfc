#!/usr/bin/env node
// Builds the page, Electron's main process and the preload (see electron.config.ts).
// `node scripts/build.mjs renderer` builds only the page (all the browser host needs).
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const configFile = fileURLToPath(new URL('../electron.config.ts', import.meta.url));
const only = process.argv[2];
const modes = only ? [only] : ['renderer', 'main', 'preload'];
for (const mode of modes) {
  await build({ configFile, mode, logLevel: 'warn' });
  console.log(`built ${mode}`);
}

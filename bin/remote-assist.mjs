#!/usr/bin/env node
// The `remote-assist` command. It runs the TypeScript sources in plain Node through tsx, so the
// command always matches the code in this checkout (no build step to forget).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
const code = await main(process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;

#!/usr/bin/env node
// `npm start`: the Electron app where Electron's binary is installed; otherwise the browser host
// (the same main-process core serving the same page on 127.0.0.1), opened in Chromium/Chrome.
// Arguments after `--` go to the app: `npm start -- --role helper path/to/invitation.rainvite`.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function isStale(output, sources) {
  if (!fs.existsSync(output)) return true;
  const built = fs.statSync(output).mtimeMs;
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

function build(what) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), ...(what ? [what] : [])], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The Electron binary, if this install has it (the npm package downloads it lazily). */
function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  try {
    const rel = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const bin = path.join(dir, 'dist', rel);
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
if (electron) {
  if (isStale(path.join(root, 'dist/electron/main.cjs'), ['src-main', 'src-shared', 'src-renderer'])) build();
  const child = spawn(electron, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log("Electron's binary is not installed on this machine, so Remote Assist starts as a local web page (the browser host) instead.");
  if (isStale(path.join(root, 'dist/renderer/index.html'), ['src-renderer', 'src-shared'])) build('renderer');
  const child = spawn(process.execPath, [path.join(root, 'bin/remote-assist.mjs'), 'host', ...args], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

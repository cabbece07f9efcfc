#!/usr/bin/env node
// Runs Electronegativity over the built app (main, preload, renderer) through its programmatic API
// (its CLI exits 0 even with findings) and fails on any finding not accepted, with a reason, in
// security/electronegativity-allowlist.json. The check that downloads Electron's release list is
// excluded: the build machines have no internet, and the Electron version is pinned on purpose.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const runModule = require('@doyensec/electronegativity');
const run = runModule.default ?? runModule;

const dist = path.join(root, 'dist');
if (!fs.existsSync(path.join(dist, 'electron', 'main.cjs'))) {
  console.error('electronegativity: build first (npm run build).');
  process.exit(1);
}

// Electronegativity reads .js files only, and wants a package.json to learn the Electron version.
const input = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-eng-'));
fs.mkdirSync(path.join(input, 'electron'));
for (const f of fs.readdirSync(path.join(dist, 'electron')).filter((f) => f.endsWith('.cjs'))) {
  fs.copyFileSync(path.join(dist, 'electron', f), path.join(input, 'electron', f.replace(/\.cjs$/, '.js')));
}
fs.cpSync(path.join(dist, 'renderer'), path.join(input, 'renderer'), { recursive: true, filter: (src) => !src.endsWith('.map') });
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.electron;
fs.writeFileSync(path.join(input, 'package.json'), JSON.stringify({ name: 'remote-assist', devDependencies: { electron: electronVersion } }));

const result = await run({
  input,
  isRelative: true,
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  electronVersionOverride: electronVersion,
  parserPlugins: ['optionalChaining'],
});
fs.rmSync(input, { recursive: true, force: true });

const allow = JSON.parse(fs.readFileSync(path.join(root, 'security', 'electronegativity-allowlist.json'), 'utf8')).accepted;
const accepted = (i) => allow.some((a) => a.id === i.id && a.file === i.file && typeof a.reason === 'string' && a.reason.length > 10);
const findings = result.issues ?? [];
const unexpected = findings.filter((i) => !accepted(i));
for (const i of findings) {
  console.log(`${accepted(i) ? 'accepted' : 'FINDING '} ${i.id} ${i.file}:${i.location?.line ?? 0} ${i.severity?.name ?? ''} — ${i.description ?? ''}`);
}
if (result.errors?.length) console.log(`${result.errors.length} file(s) could not be parsed:`, result.errors.map((e) => e.file ?? e).join(', '));
console.log(`electronegativity: ${result.globalChecks} global and ${result.atomicChecks} atomic checks; ${findings.length} finding(s), ${unexpected.length} not accepted.`);
process.exit(unexpected.length > 0 || result.errors?.length ? 1 : 0);

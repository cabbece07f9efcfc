#!/usr/bin/env node
// `npm test`: typecheck, lint, build, unit tests, end-to-end tests. Every part runs; any failure
// fails the whole. The last line is `N passed, N failed` (tests plus the typecheck/lint/build checks).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.test-output');
fs.mkdirSync(out, { recursive: true });
const npmRun = (script, env = {}) => spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

let passed = 0;
let failed = 0;
const failures = [];
const started = Date.now();

function check(name, result) {
  const ok = result.status === 0;
  if (ok) passed++;
  else {
    failed++;
    failures.push(name);
  }
  console.log(`\n== ${name}: ${ok ? 'ok' : 'FAILED'}\n`);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function countTests(name, result, file, count) {
  const report = readJson(file);
  const counted = report ? count(report) : null;
  if (!counted) {
    failed++;
    failures.push(`${name} (no report)`);
    return;
  }
  passed += counted.passed;
  failed += counted.failed;
  if (counted.failed > 0 || result.status !== 0) failures.push(name);
  if (result.status !== 0 && counted.failed === 0) failed++;
  console.log(`\n== ${name}: ${counted.passed} passed, ${counted.failed} failed\n`);
}

console.log('== typecheck');
check('typecheck', npmRun('typecheck'));
console.log('== lint');
check('lint', npmRun('lint'));
console.log('== build');
check('build', npmRun('build'));
console.log('== electronegativity');
check('electronegativity', npmRun('electronegativity'));

const unitJson = path.join(out, 'unit.json');
fs.rmSync(unitJson, { force: true });
console.log('== unit tests');
const unit = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`], { cwd: root, stdio: 'inherit' });
countTests('unit tests', unit, unitJson, (r) => ({ passed: r.numPassedTests ?? 0, failed: (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0) + (r.success === false && !r.numFailedTests ? 1 : 0) }));

const e2eJson = path.join(out, 'e2e.json');
fs.rmSync(e2eJson, { force: true });
console.log('== end-to-end tests');
const e2e = npmRun('test:e2e', { RA_E2E_JSON: e2eJson });
countTests('e2e tests', e2e, e2eJson, (r) => ({ passed: (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0), failed: r.stats?.unexpected ?? 0 }));

const minutes = ((Date.now() - started) / 60000).toFixed(1);
if (failures.length) console.log(`Failed: ${failures.join(', ')}`);
console.log(`(took ${minutes} min)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);

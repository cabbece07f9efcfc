// The layering rule (CONVENTIONS.md) is enforced three ways; this proves each one bites.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function lintErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint layering rule', () => {
  it('refuses Node modules in the renderer', async () => {
    expect(await lintErrors("import fs from 'node:fs';\nvoid fs;\n", 'src-renderer/bad.tsx')).not.toHaveLength(0);
    expect(await lintErrors("import path from 'path';\nvoid path;\n", 'src-renderer/bad.ts')).not.toHaveLength(0);
  });
  it('refuses Node modules and UI in src-shared', async () => {
    expect(await lintErrors("import crypto from 'node:crypto';\nvoid crypto;\n", 'src-shared/bad.ts')).not.toHaveLength(0);
    expect(await lintErrors("import { useState } from 'react';\nvoid useState;\n", 'src-shared/bad.ts')).not.toHaveLength(0);
  });
  it("refuses 'electron' outside src-main/electron/ and allows it inside", async () => {
    for (const file of ['src-main/host/bad.ts', 'src-main/app/bad.ts', 'src-renderer/bad.ts', 'src-shared/bad.ts', 'e2e/bad.ts']) {
      expect(await lintErrors("import { app } from 'electron';\nvoid app;\n", file), file).not.toHaveLength(0);
    }
    expect(await lintErrors("import { app } from 'electron';\nvoid app;\n", 'src-main/electron/ok.ts')).toHaveLength(0);
  });
  it('refuses the page importing main', async () => {
    expect(await lintErrors("import { x } from '../src-main/app/app-core';\nvoid x;\n", 'src-renderer/bad.ts')).not.toHaveLength(0);
  });
});

describe('compile-time layering', () => {
  function compileWith(configFile: string, code: string): string[] {
    const cfg = ts.readConfigFile(path.join(root, configFile), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, root);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-layer-'));
    const file = path.join(dir, 'probe.ts');
    fs.writeFileSync(file, code);
    const program = ts.createProgram([file], { ...parsed.options, noEmit: true, typeRoots: [path.join(root, 'node_modules/@types')] });
    return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  it('a renderer file importing node:fs does not compile', () => {
    const errs = compileWith('tsconfig.renderer.json', "import fs from 'node:fs';\nexport const x = fs.readFileSync;\n");
    expect(errs.join('\n')).toMatch(/node:fs/);
  });
  it('a renderer file using process does not compile', () => {
    expect(compileWith('tsconfig.renderer.json', 'export const x = process.env;\n').join('\n')).toMatch(/process/);
  });
  it('the same Node import compiles in main', () => {
    expect(compileWith('tsconfig.main.json', "import fs from 'node:fs';\nexport const x = fs.readFileSync;\n")).toEqual([]);
  });
});

describe('the source tree obeys the rule', () => {
  function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
    });
  }
  const importRe = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  const importsOf = (file: string) => [...fs.readFileSync(file, 'utf8').matchAll(importRe)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');

  it("no file outside src-main/electron/ imports 'electron'", () => {
    const offenders = ['src-shared', 'src-main', 'src-renderer', 'e2e']
      .flatMap((d) => (fs.existsSync(path.join(root, d)) ? walk(path.join(root, d)) : []))
      .filter((f) => !f.startsWith(path.join(root, 'src-main', 'electron') + path.sep))
      .filter((f) => importsOf(f).some((s) => s === 'electron' || s.startsWith('electron/')));
    expect(offenders).toEqual([]);
  });
  it('no renderer or shared (non-test) file imports a Node module', () => {
    const builtins = new Set(builtinModules);
    const offenders = ['src-shared', 'src-renderer']
      .flatMap((d) => walk(path.join(root, d)))
      .filter((f) => !/\.test\.tsx?$/.test(f))
      .filter((f) => importsOf(f).some((s) => s.startsWith('node:') || builtins.has(s)));
    expect(offenders).toEqual([]);
  });
});

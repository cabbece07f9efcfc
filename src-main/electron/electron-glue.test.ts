// The Electron glue cannot run here (no Electron binary), and Electronegativity cannot follow it: it
// sees `webPreferences: secureWebPreferences(...)` as an unknown call and reports nothing either way.
// So this test reads the glue's syntax tree (TypeScript's own parser) and checks the wiring that
// the unit-tested decisions depend on. Each rule names the checklist item it protects.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const dir = import.meta.dirname;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const parsed = new Map(files.map((f) => [f, ts.createSourceFile(f, fs.readFileSync(path.join(dir, f), 'utf8'), ts.ScriptTarget.ES2022, true)]));
const src = (f: string) => parsed.get(f)!;

function nodes(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node) => {
    out.push(n);
    n.forEachChild(visit);
  };
  visit(sf);
  return out;
}
const all = [...parsed.entries()].flatMap(([f, sf]) => nodes(sf).map((n) => ({ f, n })));
const calls = (name: string) => all.filter(({ n }) => ts.isCallExpression(n) && n.expression.getText() === name) as { f: string; n: ts.CallExpression }[];
const within = (n: ts.Node, pred: (a: ts.Node) => boolean) => {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (pred(p)) return true;
  return false;
};

describe('Electron glue wiring', () => {
  it('every window (BrowserWindow, BrowserView, WebContentsView) takes its webPreferences from secureWebPreferences()', () => {
    const created = all.filter(({ n }) => ts.isNewExpression(n) && /^(BrowserWindow|BrowserView|WebContentsView)$/.test(n.expression.getText())) as { f: string; n: ts.NewExpression }[];
    expect(created.length).toBeGreaterThan(0);
    for (const { f, n } of created) {
      const opts = n.arguments?.[0];
      expect(opts && ts.isObjectLiteralExpression(opts), `${f}: window options must be an object literal`).toBe(true);
      const prefs = (opts as ts.ObjectLiteralExpression).properties.find((p) => p.name?.getText() === 'webPreferences');
      expect(prefs && ts.isPropertyAssignment(prefs) && ts.isCallExpression(prefs.initializer) && prefs.initializer.expression.getText() === 'secureWebPreferences', `${f}: ${n.getText().slice(0, 60)}`).toBe(true);
    }
  });

  it('the sandbox is enabled for every renderer, at load time (before ready)', () => {
    const c = calls('app.enableSandbox');
    expect(c.map((x) => x.f)).toEqual(['main.ts']);
    expect(ts.isExpressionStatement(c[0]!.n.parent) && ts.isSourceFile(c[0]!.n.parent.parent)).toBe(true);
  });

  it('every web contents is guarded (navigation, window.open, webview), from app "web-contents-created"', () => {
    const guard = calls('guardWebContents');
    expect(guard).toHaveLength(1);
    expect(within(guard[0]!.n, (p) => ts.isCallExpression(p) && p.expression.getText() === 'app.on' && p.arguments[0]?.getText() === "'web-contents-created'")).toBe(true);
  });

  it('shell.openExternal is reached only through the guard (which lets through http(s) only)', () => {
    for (const { f, n } of calls('shell.openExternal')) {
      expect(within(n, (p) => ts.isCallExpression(p) && p.expression.getText() === 'guardWebContents'), `${f}: ${n.getText()}`).toBe(true);
    }
    expect(all.filter(({ n }) => ts.isIdentifier(n) && n.text === 'openPath').every(({ f }) => f === 'main.ts')).toBe(true);
  });

  it('the default session is guarded (permissions, remote requests, display media)', () => {
    const g = calls('guardSession');
    expect(g).toHaveLength(1);
    expect(g[0]!.n.arguments[0]?.getText()).toBe('session.defaultSession');
    // Nobody installs a competing handler elsewhere.
    for (const m of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler', 'setDisplayMediaRequestHandler', 'onBeforeRequest']) {
      expect(all.filter(({ n }) => ts.isPropertyAccessExpression(n) && n.name.text === m).map(({ f }) => f), m).toEqual(['session-guards.ts']);
    }
  });

  it('IPC: one handler, with sender validation; no ipcMain.on / handleOnce / sendSync', () => {
    const handle = calls('ipcMain.handle');
    expect(handle.map((h) => h.f)).toEqual(['ipc-transport.ts']);
    expect(handle[0]!.n.arguments[1]?.getText()).toMatch(/^createIpcCallHandler\(/);
    for (const m of ['ipcMain.on', 'ipcMain.once', 'ipcMain.handleOnce', 'ipcRenderer.sendSync', 'ipcRenderer.send']) expect(calls(m), m).toEqual([]);
  });

  it('windows load only our app:// origin, never file:// or a remote URL', () => {
    expect(calls('mainWindow.loadFile').concat(calls('win.loadFile'))).toEqual([]);
    const loads = all.filter(({ n }) => ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^load(URL|File)$/.test(n.expression.name.text)) as { f: string; n: ts.CallExpression }[];
    expect(loads.length).toBeGreaterThan(0);
    for (const { n } of loads) expect(n.arguments[0]?.getText()).toMatch(/^`\$\{APP_ORIGIN\}\//);
  });

  it('the app:// scheme is registered with the reviewed privileges only', () => {
    const reg = calls('protocol.registerSchemesAsPrivileged');
    expect(reg.map((r) => r.f)).toEqual(['app-protocol.ts']);
    expect(reg[0]!.n.arguments[0]?.getText()).toMatch(/privileges: \{ \.\.\.APP_SCHEME_PRIVILEGES \}/);
  });

  it('the preload exposes one bridge, never ipcRenderer itself', () => {
    const expose = calls('contextBridge.exposeInMainWorld');
    expect(expose.map((e) => e.f)).toEqual(['preload.ts']);
    expect(expose[0]!.n.arguments.map((a) => a.getText())).toEqual(['BRIDGE_GLOBAL', 'bridge']);
    expect(src('preload.ts').getText()).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });

  it('no remote module and no Node in the page, anywhere in the code', () => {
    for (const [f, sf] of parsed) {
      expect(sf.getText(), f).not.toMatch(/@electron\/remote|enableRemoteModule|nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/);
    }
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { main, startsApp, usage } from './main';
import { createRpcClient } from '../../src-shared/rpc/rpc-client';
import { wsConnection } from '../host/ws-endpoint';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

describe('remote-assist top-level command line', () => {
  it('documents the msra-style launch options in --help', async () => {
    let out = '';
    expect(await main(['--help'], { out: (t) => (out += t), err: () => {}, env: {} })).toBe(0);
    for (const s of ['--open-file FILE', '--offer HOST', '--invite [--save FILE]', 'remote-assist://LINK']) expect(out).toContain(s);
    expect(usage()).toBe(out);
  });

  it('treats launch options, invitation files and links as "start the app", commands as commands', () => {
    for (const a of ['--open-file', '--open-file=/x.rainvite', '--offer', '--invite', '--profile', '/tmp/a b.rainvite', 'x.RAINVITE', 'remote-assist://open?file=/x.rainvite', 'file:///tmp/x.rainvite']) expect(startsApp(a), a).toBe(true);
    for (const a of ['host', 'ticket', 'policy', 'logs', '--version', '--help', 'x.txt']) expect(startsApp(a), a).toBe(false);
  });

  it('`remote-assist --open-file FILE` (no `host`) starts the app with that invitation', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-cli-open-'));
    const file = path.join(dir, 'from Rita.rainvite');
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/remote-assist.mjs'), '--open-file', file, '--no-open', '--profile', path.join(dir, 'profile')], {
      cwd: repoRoot,
      env: { ...process.env, REMOTE_ASSIST_POLICY_FILE: path.join(dir, 'policy.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const m = /Remote Assist is running at (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const { origin, hash } = new URL(url);
      const token = new URLSearchParams(hash.slice(1)).get('token')!;
      const client = createRpcClient(
        () =>
          new Promise((resolve, reject) => {
            const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc?token=${token}`, { origin });
            ws.once('open', () => resolve(wsConnection(ws)));
            ws.once('error', reject);
          }),
      );
      const info = await client.invoke('app.info', {});
      client.close();
      expect(info.startup).toEqual({ route: 'help', file, host: null, savePath: null });
      expect(info.startupFile).toBe(file);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 30_000);
});

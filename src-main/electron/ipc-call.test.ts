// The Electron IPC call path (sender validation, then the real RPC server of a real app core):
// what the preload's `invoke` reaches in main. Events and windows are plain objects shaped like
// Electron's, since the Electron binary cannot run here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../src-shared/contract/index';
import type { RpcServer } from '../../src-shared/rpc/rpc-server';
import { createAppCore, type AppCore } from '../app/app-core';
import { createMemoryLogger } from '../platform/app-logger';
import { resolveProfile } from '../profile/profile-paths';
import { createIpcCallHandler, IPC_REFUSED, isTrustedIpcEvent, type IpcWindow } from './ipc-call';

const APP = 'app://remote-assist';
let core: AppCore;
let served: string[];
let handler: ReturnType<typeof createIpcCallHandler>;

const mainFrame = { url: `${APP}/index.html` };
const win = (id: number, destroyed = false): IpcWindow & { webContents: { mainFrame: { url: string } } } => ({ isDestroyed: () => destroyed, webContents: { id, mainFrame } });
let windows: IpcWindow[];

beforeAll(async () => {
  core = await createAppCore({ host: 'electron', role: 'helper', profile: resolveProfile(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-ipc-'))), logger: createMemoryLogger(), testing: { firewall: null } });
  served = [];
  // Counts what reaches the server, so a refusal is proven to happen before any handler runs.
  const server: RpcServer = { call: (m, p, ctx) => (served.push(String(m)), core.server.call(m, p, ctx)) };
  windows = [win(7)];
  handler = createIpcCallHandler(server, () => windows, APP);
});
afterAll(async () => core.dispose());

describe('Electron IPC: who may call', () => {
  it('our window’s main frame on our origin reaches main, which answers', async () => {
    expect(await handler({ sender: { id: 7 }, senderFrame: mainFrame }, 'app.ping', { nonce: 'x' })).toMatchObject({ ok: true, value: { nonce: 'x' } });
  });

  it.each([
    ['a subframe of our window', { sender: { id: 7 }, senderFrame: { url: `${APP}/index.html` } }],
    ['a window we did not create', { sender: { id: 99 }, senderFrame: mainFrame }],
    ['a frame that is gone', { sender: { id: 7 }, senderFrame: null }],
  ])('refuses %s, before any handler runs', async (_name, event) => {
    served.length = 0;
    expect(await handler(event, 'app.ping', { nonce: 'x' })).toEqual(IPC_REFUSED);
    expect(served).toEqual([]);
  });

  it('refuses our own window once its main frame shows another origin (it navigated)', () => {
    const foreign = { url: 'https://evil.example/' };
    const w: IpcWindow = { isDestroyed: () => false, webContents: { id: 8, mainFrame: foreign } };
    expect(isTrustedIpcEvent({ sender: { id: 8 }, senderFrame: foreign }, [w], APP)).toBe(false);
    const lookAlike = { url: 'app://remote-assist.evil/index.html' };
    expect(isTrustedIpcEvent({ sender: { id: 8 }, senderFrame: lookAlike }, [{ ...w, webContents: { id: 8, mainFrame: lookAlike } }], APP)).toBe(false);
  });

  it('refuses a destroyed window', () => {
    expect(isTrustedIpcEvent({ sender: { id: 7 }, senderFrame: mainFrame }, [win(7, true)], APP)).toBe(false);
  });

  it('refuses an untrusted sender for every method in the contract', async () => {
    served.length = 0;
    for (const m of Object.keys(methods)) expect(await handler({ sender: { id: 99 }, senderFrame: mainFrame }, m, {}), m).toEqual(IPC_REFUSED);
    expect(served).toEqual([]);
  });
});

describe('Electron IPC: what may be called', () => {
  const call = (method: unknown, params: unknown) => handler({ sender: { id: 7 }, senderFrame: mainFrame }, method, params);

  it('an invalid payload is refused by the contract, with a message saying what is wrong', async () => {
    expect(await call('app.ping', { nonce: 7 })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/Invalid request for app\.ping: nonce/) } });
    expect(await call('app.ping', { nonce: 'x', extra: true })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await call('session.input', { events: [] })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('an unknown or non-string method is refused', async () => {
    for (const m of ['app.evil', '__proto__', 'constructor', 42, null, { toString: () => 'app.ping' }]) {
      expect(await call(m, {}), String(m)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
  });
});

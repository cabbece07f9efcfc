// The page's store pulls in its media code, whose simple-peer declaration lives with the page (an
// ambient module declaration, which an import cannot name).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../src-renderer/session/media/simple-peer.d.ts" />
// Launch requests from main to the page, with the real pieces: an app core (as the browser host
// and Electron make it), the page's real store, and the contract over the in-memory transport.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRpcClient } from '../src-shared/rpc/rpc-client';
import { createMemoryPair } from '../src-shared/rpc/memory-transport';
import { serveConnection } from '../src-shared/rpc/serve-connection';
import { createAppCore, type AppCore } from '../src-main/app/app-core';
import type { LaunchAction } from '../src-main/app/launch-action';
import { resolveProfile } from '../src-main/profile/profile-paths';
import { createMemoryLogger } from '../src-main/platform/app-logger';
import { createTicket } from '../src-main/invitation/ticket-codec';
import { parseHostArgs } from '../src-main/host/host-args';
import { createAppStore, type AppStore } from '../src-renderer/store/app-store';

const open: { core: AppCore; close(): void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.close();
    await o.core.dispose();
  }
});

async function page(launch?: LaunchAction): Promise<{ core: AppCore; store: AppStore; root: string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-launch-'));
  const env: NodeJS.ProcessEnv = { ...process.env, REMOTE_ASSIST_POLICY_FILE: path.join(root, 'policy.json'), REMOTE_ASSIST_ANSWER_FILE: path.join(root, 'none.xml') };
  const core = await createAppCore({ host: 'browser-host', role: 'any', profile: resolveProfile(root), logger: createMemoryLogger(), env, ...(launch ? { launch } : {}), testing: { firewall: null, listenHost: '127.0.0.1', kdf: { N: 1024, r: 8, p: 1 } } });
  const [serverEnd, clientEnd] = createMemoryPair();
  serveConnection(core.server, core.hub, serverEnd, { connectionId: 'page', transport: 'memory' });
  const client = createRpcClient(async () => clientEnd);
  const store = createAppStore(client);
  await store.getState().init();
  open.push({ core, close: () => client.close() });
  return { core, store, root };
}

async function invitationFile(dir: string, name: string): Promise<string> {
  const { fileText } = await createTicket({
    password: 'correct horse battery',
    requester: { userName: 'rita', computerName: 'RITA-PC' },
    allowControl: true,
    mode: 'encrypted',
    candidates: [{ host: '127.0.0.1', port: 9 }],
    lifetimeMinutes: 60,
    kdf: { N: 1024, r: 8, p: 1 },
  });
  const file = path.join(dir, name);
  fs.writeFileSync(file, fileText);
  return file;
}

describe('starting into a wizard', () => {
  it('a double-clicked invitation (startup file) lands in the help wizard with the invitation loaded', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-launch-file-'));
    const file = await invitationFile(dir, `Rita's "urgent" invitation.rainvite`);
    const { store } = await page(parseHostArgs([file]).launch);
    expect(store.getState().route).toBe('help');
    await vi.waitFor(() => expect(store.getState().opened?.requesterComputer).toBe('RITA-PC'));
    expect(store.getState().opened?.fileName).toBe(`Rita's "urgent" invitation.rainvite`);
  });

  it('--invite --save FILE opens the invite wizard, and the invitation is saved there', async () => {
    const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-launch-save-')), 'for Bob.rainvite');
    const { store } = await page(parseHostArgs(['--invite', '--save', target]).launch);
    expect(store.getState().route).toBe('invite');
    expect(store.getState().launch?.savePath).toBe(target);
    await store.getState().createInvitation({ password: 'correct horse battery', lifetimeMinutes: 60, compatibility: false });
    expect(store.getState().invitation?.savedTo).toBe(target);
    expect(fs.existsSync(target)).toBe(true);
  });

  it('--offer HOST opens the offer wizard with the computer name', async () => {
    const { store } = await page(parseHostArgs(['--offer', 'Reception-PC']).launch);
    expect(store.getState().route).toBe('offer');
    expect(store.getState().launch?.host).toBe('reception-pc');
  });
});

describe('a second launch handed to the running app', () => {
  it('opens the help wizard with the new file in the page that is already open', async () => {
    const { core, store, root } = await page();
    expect(store.getState().route).toBe('home');
    const file = await invitationFile(root, 'second.rainvite');
    expect(core.handoff.receiveArgv(['/opt/Remote Assist/remote-assist', '--no-sandbox', file], root).outcome).toBe('opened');
    await vi.waitFor(() => expect(store.getState().opened?.fileName).toBe('second.rainvite'));
    expect(store.getState().route).toBe('help');
    // A page loaded later (a reload) opens the same wizard.
    expect((await store.getState().client.invoke('app.info', {})).startup?.file).toBe(file);
  });

  it('a link opens only a wizard; a hostile link changes nothing', async () => {
    const { core, store } = await page();
    expect(core.handoff.receiveArgv(['ra', 'remote-assist://offer?host=pc7'], '/').outcome).toBe('opened');
    await vi.waitFor(() => expect(store.getState().route).toBe('offer'));
    store.getState().navigate('home');
    expect(core.handoff.receiveArgv(['ra', 'remote-assist://open?file=%2Fetc%2Fshadow'], '/').outcome).toBe('rejected');
    expect(core.handoff.receiveArgv(['ra', 'remote-assist://settings?allowControl=1'], '/').outcome).toBe('rejected');
    // Events and answers share one ordered connection: after this round trip, any event has arrived.
    await store.getState().client.invoke('app.ping', { nonce: 'flush' });
    expect(store.getState().route).toBe('home');
    expect(store.getState().opened).toBeNull();
  });
});

// One contract suite, run against every transport that can run here: the in-memory pair and the
// browser host's real WebSocket. (Electron IPC needs the Electron binary, which is absent.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRpcClient } from '../src-shared/rpc/rpc-client';
import { createMemoryPair } from '../src-shared/rpc/memory-transport';
import { serveConnection } from '../src-shared/rpc/serve-connection';
import type { HostClient } from '../src-shared/rpc/host-client';
import { AppError, type MethodName } from '../src-shared/contract/index';
import { createAppCore, type AppCore } from '../src-main/app/app-core';
import { resolveProfile } from '../src-main/profile/profile-paths';
import { createMemoryLogger } from '../src-main/platform/app-logger';
import { startBrowserHost } from '../src-main/host/server';
import { wsConnection } from '../src-main/host/ws-endpoint';

interface Harness {
  client: HostClient;
  core: AppCore;
  close(): Promise<void>;
}

const tmpProfile = () => resolveProfile(fs.mkdtempSync(path.join(os.tmpdir(), 'ra-contract-')));

const transports: Record<string, () => Promise<Harness>> = {
  memory: async () => {
    const core = await createAppCore({ host: 'browser-host', role: 'helper', profile: tmpProfile(), logger: createMemoryLogger(), testing: { firewall: null } });
    const [serverEnd, clientEnd] = createMemoryPair();
    serveConnection(core.server, core.hub, serverEnd, { connectionId: 'mem', transport: 'memory' });
    const client = createRpcClient(async () => clientEnd);
    return {
      client,
      core,
      close: async () => {
        client.close();
        await core.dispose();
      },
    };
  },
  websocket: async () => {
    const host = await startBrowserHost({ role: 'helper', profile: tmpProfile(), logger: createMemoryLogger(), rendererDir: os.tmpdir(), testing: { firewall: null } });
    const client = createRpcClient(
      () =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/rpc?token=${host.token}`, { origin: host.origin });
          ws.once('open', () => resolve(wsConnection(ws)));
          ws.once('error', reject);
        }),
    );
    return {
      client,
      core: host.core,
      close: async () => {
        client.close();
        await host.close();
      },
    };
  },
};

for (const [name, make] of Object.entries(transports)) {
  describe(`contract over ${name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => h.close());

    it('answers app.info with the instance facts', async () => {
      const info = await h.client.invoke('app.info', {});
      expect(info.name).toBe('Remote Assist');
      expect(info.role).toBe('helper');
      expect(info.host).toBe('browser-host');
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('echoes the ping nonce', async () => {
      const r = await h.client.invoke('app.ping', { nonce: 'abc123' });
      expect(r.nonce).toBe('abc123');
      expect(r.at).toBeGreaterThan(0);
    });

    it('rejects a malformed payload with a validation error', async () => {
      const bad = h.client.invoke('app.ping', { nonce: 42 } as never);
      await expect(bad).rejects.toBeInstanceOf(AppError);
      await expect(bad).rejects.toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/nonce/) });
    });

    it('rejects unknown fields (strict requests)', async () => {
      await expect(h.client.invoke('app.ping', { nonce: 'x', extra: true } as never)).rejects.toMatchObject({ code: 'invalid-request' });
    });

    it('rejects an unknown method', async () => {
      await expect(h.client.invoke('app.format-disk' as MethodName, {} as never)).rejects.toMatchObject({ code: 'unknown-method' });
    });

    it('delivers events emitted by main', async () => {
      const got = new Promise((resolve) => h.client.on('app.shuttingDown', resolve));
      // Wait until the connection is serving so the event is not emitted before subscription.
      await h.client.invoke('app.ping', { nonce: 'sync' });
      h.core.hub.emit('app.shuttingDown', { reason: 'test' });
      await expect(got).resolves.toEqual({ reason: 'test' });
    });
  });
}

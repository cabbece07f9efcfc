// offer.* and identity.* through the real app core and RPC server (in-memory transport).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRpcClient } from '../../../src-shared/rpc/rpc-client';
import { createMemoryPair } from '../../../src-shared/rpc/memory-transport';
import { serveConnection } from '../../../src-shared/rpc/serve-connection';
import { createAppCore } from '../app-core';
import { createMemoryLogger } from '../../platform/app-logger';
import { resolveProfile } from '../../profile/profile-paths';
import { parseHelperIdExport } from '../../offer/helper-id-export';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ra-offer-handlers-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function client() {
  const dir = fs.mkdtempSync(path.join(root, 'p-'));
  const core = await createAppCore({ host: 'browser-host', role: 'helper', profile: resolveProfile(dir), logger: createMemoryLogger(), env: { REMOTE_ASSIST_POLICY_FILE: path.join(dir, 'none.json') }, testing: { firewall: null, listenHost: '127.0.0.1' } });
  const [serverEnd, clientEnd] = createMemoryPair();
  serveConnection(core.server, core.hub, serverEnd, { connectionId: 'mem', transport: 'memory' });
  const c = createRpcClient(async () => clientEnd);
  return { c, dir, close: async () => (c.close(), await core.dispose()) };
}

describe('offer and identity methods', () => {
  it('identity.get and identity.export give one stable helper ID, and export saves where asked', async () => {
    const t = await client();
    try {
      const id = await t.c.invoke('identity.get', {});
      expect(id.fingerprint).toMatch(/^SHA256:/);
      expect(parseHelperIdExport(id.exportText)).toEqual({ name: id.name, fingerprint: id.fingerprint });
      const saved = await t.c.invoke('identity.export', { savePath: 'my-id.json' });
      expect(saved.savedTo).toBe(path.join(t.dir, 'Downloads', 'my-id.json'));
      expect(fs.readFileSync(saved.savedTo!, 'utf8')).toBe(id.exportText);
      expect((await t.c.invoke('identity.export', {})).savedTo).toBeNull();
      expect((await t.c.invoke('identity.get', {})).fingerprint).toBe(id.fingerprint);
    } finally {
      await t.close();
    }
  });

  it('offer.listenerStatus reports offers off by default; offer.connect validates the address', async () => {
    const t = await client();
    try {
      expect(await t.c.invoke('offer.listenerStatus', {})).toMatchObject({ enabled: false, listening: false, port: 48721, error: null, allowListCount: 0 });
      await expect(t.c.invoke('offer.connect', { host: 'pc 42; rm -rf /' })).rejects.toMatchObject({ code: 'invalid-request' });
      await expect(t.c.invoke('offer.connect', { host: 'pc-42', port: 70000 })).rejects.toMatchObject({ code: 'invalid-request' });
      // Well-formed addresses pass validation and fail only because nothing listens there.
      for (const host of ['127.0.0.1:9', '[::1]:9']) await expect(t.c.invoke('offer.connect', { host })).rejects.toMatchObject({ code: 'unreachable' });
      expect(await t.c.invoke('offer.recent', {})).toEqual({ computers: [] });
    } finally {
      await t.close();
    }
  });
});

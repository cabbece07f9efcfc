// File transfer between two mains over the real encrypted link on loopback (no UI, no mocks).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PeerLink } from '../link/link-types';
import type { FileTransferService } from './file-transfer-service';
import type { FileAuditEvent, TransferProgress } from './transfer-types';
import { autoAcceptFiles, connect, listen } from './testing/link-endpoints';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tmp = (tag: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ra-flink-${tag}-`));

/** A random file of `size` bytes, written in 8 MiB pieces; returns its path and SHA-256. */
function randomFile(dir: string, name: string, size: number): { file: string; sha256: string } {
  const file = path.join(dir, name);
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'w');
  for (let left = size; left > 0; ) {
    const n = Math.min(left, 8 << 20);
    const buf = crypto.randomBytes(n);
    hash.update(buf);
    fs.writeSync(fd, buf);
    left -= n;
  }
  fs.closeSync(fd);
  return { file, sha256: hash.digest('hex') };
}

async function hashOf(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function linkedPair(): Promise<{ helper: PeerLink; requester: PeerLink }> {
  const l = await listen();
  const [helper, requester] = await Promise.all([connect(l.port), l.linked]);
  cleanups.push(() => helper.close(), () => requester.close(), () => l.close());
  return { helper, requester };
}

function finalState(svc: FileTransferService, id: string): Promise<TransferProgress> {
  return new Promise((resolve) => {
    const off = svc.onProgress((p) => {
      if (p.transferId === id && ['completed', 'failed', 'cancelled', 'declined'].includes(p.state)) {
        off();
        resolve(p);
      }
    });
  });
}

const leftovers = (dir: string) => fs.readdirSync(dir);

describe('files over the real encrypted link', () => {
  it('200 MiB of random bytes arrive byte-identical, both ways', async () => {
    const { helper, requester } = await linkedPair();
    const [hDir, rDir, src] = [tmp('h'), tmp('r'), tmp('src')];
    const h = autoAcceptFiles(helper, 'helper', hDir);
    const r = autoAcceptFiles(requester, 'requester', rDir);
    const a = randomFile(src, 'to-requester.bin', 200 << 20);
    const b = randomFile(src, 'to-helper.bin', 200 << 20);
    const [ida] = h.send([a.file]);
    const [idb] = r.send([b.file]);
    const [pa, pb] = await Promise.all([finalState(r, ida!), finalState(h, idb!)]);
    expect(pa.state).toBe('completed');
    expect(pb.state).toBe('completed');
    expect(await hashOf(path.join(rDir, 'to-requester.bin'))).toBe(a.sha256);
    expect(await hashOf(path.join(hDir, 'to-helper.bin'))).toBe(b.sha256);
    expect(leftovers(rDir)).toEqual(['to-requester.bin']);
  }, 120_000);

  it.each(['sender', 'receiver'] as const)('cancelled half-way by the %s leaves no file and no .part', async (who) => {
    const { helper, requester } = await linkedPair();
    const [rDir, src] = [tmp('r'), tmp('src')];
    const h = autoAcceptFiles(helper, 'helper', tmp('h'));
    const r = autoAcceptFiles(requester, 'requester', rDir);
    const a = randomFile(src, 'big.bin', 96 << 20);
    const [id] = h.send([a.file]);
    const done = Promise.all([finalState(h, id!), finalState(r, id!)]);
    await vi.waitFor(() => expect(r.list().find((t) => t.transferId === id)?.bytesDone ?? 0).toBeGreaterThan(8 << 20), { timeout: 30_000, interval: 5 });
    (who === 'sender' ? h : r).cancel(id!);
    const [ps, pr] = await done;
    expect(ps.state).toBe('cancelled');
    expect(pr.state).toBe('cancelled');
    expect(leftovers(rDir)).toEqual([]);
  }, 60_000);

  it('killing the sender process mid-transfer leaves no file and a logged failure', async () => {
    const l = await listen();
    cleanups.push(() => l.close());
    const [rDir, src] = [tmp('r'), tmp('src')];
    const a = randomFile(src, 'doomed.bin', 160 << 20);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'testing', 'send-file-child.ts'), String(l.port), a.file], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => child.kill('SIGKILL'));
    const requester = await l.linked;
    cleanups.push(() => requester.close());
    const audit: FileAuditEvent[] = [];
    const r = autoAcceptFiles(requester, 'requester', rDir, audit);
    await vi.waitFor(() => expect(r.list()[0]?.bytesDone ?? 0).toBeGreaterThan(8 << 20), { timeout: 60_000, interval: 5 });
    const id = r.list()[0]!.transferId;
    const ended = finalState(r, id);
    child.kill('SIGKILL');
    const p = await ended;
    expect(p.state).toBe('failed');
    expect(p.reason).toMatch(/connection|lost/i);
    expect(leftovers(rDir)).toEqual([]);
    expect(audit.map((e) => e.type)).toContain('file.failed');
  }, 90_000);
});

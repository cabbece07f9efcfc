import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryLinkPair } from '../link/memory-link';
import { createMemoryLogger } from '../platform/app-logger';
import { FileTransferService } from './file-transfer-service';

/**
 * A hostile or buggy peer: arbitrary sequences of (header, body) on the files channel, mixed with
 * well-formed transfers that carry hostile names. The receiver must never throw, never write
 * outside the chosen folder, never follow a planted symlink, and leave no `.part` behind.
 */

const IDS = ['fuzz-transfer-aaaaaaaaa', 'fuzz-transfer-bbbbbbbbb', 'fuzz-transfer-ccccccccc'];
const HOSTILE_NAMES = [
  '../../outside/target',
  '../outside/new',
  '/etc/passwd',
  'C:\\Windows\\x',
  '\\\\?\\C:\\x',
  '\\\\server\\share\\x',
  'planted.txt',
  'dangling.txt',
  'CON',
  'nul.txt',
  '\u001b[31mred',
  'evil\u202Etxt.exe',
  '..',
  '.',
  'a'.repeat(1024),
  'x.part',
];

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

type Step = { kind: 'raw'; header: unknown; body?: Uint8Array } | { kind: 'transfer'; id: string; name: string; chunks: Uint8Array[]; damage: 'none' | 'chunk' | 'extra' | 'reorder' | 'whole' };

const idArb = fc.oneof(fc.constantFrom(...IDS), fc.string({ maxLength: 30 }));
const nameArb = fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ minLength: 1, maxLength: 40 }));
const bodyArb = fc.uint8Array({ minLength: 1, maxLength: 600 });
const rawArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('raw' as const), header: fc.jsonValue({ maxDepth: 2 }), body: fc.option(bodyArb, { nil: undefined }) }),
  fc
    .record({ id: idArb, name: nameArb, size: fc.oneof(fc.nat(3000), fc.integer()), good: fc.boolean(), body: bodyArb })
    // A hash in the offer is what older senders sent; it is malformed now (the hash comes with `done`).
    .map(({ id, name, size, good, body }) => ({ kind: 'raw' as const, header: { type: 'offer', transferId: id, name, size, ...(good ? {} : { sha256: sha(body) }) } })),
  fc
    .record({ id: idArb, index: fc.nat(4), offset: fc.constantFrom(0, 1, 600, 1200, -1), body: bodyArb, good: fc.boolean() })
    .map(({ id, index, offset, body, good }) => ({
      kind: 'raw' as const,
      header: { type: 'chunk', transferId: id, index, offset, sha256: good ? sha(body) : 'f'.repeat(64) },
      body,
    })),
  fc.record({
    kind: fc.constant('raw' as const),
    header: fc.record(
      {
        type: fc.constantFrom('done', 'cancel', 'error', 'accept', 'ack', 'complete', 'decline'),
        transferId: idArb,
        by: fc.constantFrom('sender', 'receiver'),
        reason: fc.string({ minLength: 1, maxLength: 20 }),
        sha256: fc.oneof(fc.constant(sha(new Uint8Array(0))), fc.constant('0'.repeat(64)), fc.string({ maxLength: 64 })),
      },
      { requiredKeys: ['type', 'transferId'] },
    ),
  }),
);
const transferArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant('transfer' as const),
  id: fc.constantFrom(...IDS),
  name: nameArb,
  chunks: fc.array(bodyArb, { maxLength: 3 }),
  damage: fc.constantFrom('none', 'none', 'chunk', 'extra', 'reorder', 'whole'),
});

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    out.push(path.join(dir, e.name));
    if (e.isDirectory()) out.push(...(await listTree(path.join(dir, e.name))));
  }
  return out.sort();
}

describe('receiver fuzz', () => {
  const roots: string[] = [];
  afterAll(async () => Promise.all(roots.map((r) => fs.rm(r, { recursive: true, force: true }))));

  const stats: Record<string, number> = {};
  it('arbitrary message sequences never throw, never write outside the folder, never leave a .part', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(rawArb, rawArb, transferArb), { minLength: 1, maxLength: 12 }), fc.boolean(), async (steps, useWorker) => {
        const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ra-fuzz-')));
        roots.push(root);
        const dl = path.join(root, 'downloads');
        const outside = path.join(root, 'outside');
        await fs.mkdir(dl);
        await fs.mkdir(outside);
        await fs.writeFile(path.join(outside, 'target'), 'precious');
        await fs.symlink(path.join(outside, 'target'), path.join(dl, 'planted.txt'));
        await fs.symlink(path.join(outside, 'created'), path.join(dl, 'dangling.txt'));
        await fs.symlink(path.join(outside, 'created-part'), path.join(dl, 'x.part.part'));
        const before = await listTree(root);

        const [peer, mine] = createMemoryLinkPair(['fuzzer', 'me']);
        const logger = createMemoryLogger();
        const svc = new FileTransferService({
          link: mine,
          side: 'requester',
          peerName: 'fuzzer',
          logger,
          downloadsDir: dl,
          limits: { enabled: true, maxFileBytes: 1_000_000 },
          askAccept: async () => ({ accept: true }),
          timeouts: { askMs: 2000, idleMs: 2000, answerMs: 2000 },
          hashWorkerMinBytes: useWorker ? 0 : Infinity,
        });
        const ch = peer.channel('files');
        const accepted = new Set<string>();
        ch.onMessage((h) => {
          const m = h as { type?: string; transferId?: string };
          if (m.type === 'accept' && m.transferId) accepted.add(m.transferId);
        });
        const tick = () => new Promise((r) => setImmediate(r));
        for (const step of steps) {
          if (step.kind === 'raw') {
            ch.send(step.header as object, step.body);
            await tick();
            continue;
          }
          const whole = Buffer.concat(step.chunks);
          ch.send({ type: 'offer', transferId: step.id, name: step.name, size: whole.byteLength });
          for (let i = 0; i < 100 && !accepted.has(step.id); i++) await new Promise((r) => setTimeout(r, 2));
          let offset = 0;
          const order = step.damage === 'reorder' ? [...step.chunks.keys()].reverse() : [...step.chunks.keys()];
          for (const i of order) {
            const c = step.chunks[i]!;
            const body = step.damage === 'chunk' && i === 0 ? Uint8Array.from(c, (x) => x ^ 1) : c;
            ch.send({ type: 'chunk', transferId: step.id, index: i, offset: step.damage === 'reorder' ? whole.byteLength - offset - c.byteLength : offset, sha256: sha(c) }, body);
            offset += c.byteLength;
          }
          if (step.damage === 'extra') ch.send({ type: 'chunk', transferId: step.id, index: step.chunks.length, offset, sha256: sha(Uint8Array.of(1)) }, Uint8Array.of(1));
          // 'whole': every chunk intact, but `done` claims another file.
          ch.send({ type: 'done', transferId: step.id, sha256: step.damage === 'whole' ? sha(Buffer.concat([whole, Uint8Array.of(0)])) : sha(whole) });
          await tick();
        }
        await new Promise((r) => setTimeout(r, 5));
        await svc.dispose();
        peer.close();

        // Nothing went wrong inside the service.
        expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
        // Outside is untouched; planted links are intact and were not followed.
        expect(await fs.readdir(outside)).toEqual(['target']);
        expect(await fs.readFile(path.join(outside, 'target'), 'utf8')).toBe('precious');
        expect(await fs.readlink(path.join(dl, 'planted.txt'))).toBe(path.join(outside, 'target'));
        // The only new entries are the completed files: regular files directly in the folder (so no .part is left).
        const added = (await listTree(root)).filter((p) => !before.includes(p));
        const saved = svc.list().flatMap((t) => (t.state === 'completed' && t.savedAs ? [t.savedAs] : []));
        expect(added).toEqual(saved.sort());
        for (const p of added) {
          expect(path.dirname(p)).toBe(dl);
          expect((await fs.lstat(p)).isFile()).toBe(true);
        }
        for (const t of svc.list()) expect(['completed', 'declined', 'cancelled', 'failed']).toContain(t.state);
        if (process.env.FUZZ_STATS) for (const t of svc.list()) stats[`${t.state}: ${t.reason ?? ''}`.slice(0, 70)] = (stats[`${t.state}: ${t.reason ?? ''}`.slice(0, 70)] ?? 0) + 1;
      }),
      { numRuns: 120 },
    );
    if (process.env.FUZZ_STATS) console.log(stats);
  }, 60_000);
});

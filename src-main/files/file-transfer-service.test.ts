import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src-shared/contract/errors';
import { FILE_CHUNK_BYTES, FILE_WINDOW_CHUNKS, type FilesMessage } from '../../src-shared/protocol/files';
import type { PeerChannel, PeerLink } from '../link/link-types';
import { createMemoryLinkPair } from '../link/memory-link';
import { createMemoryLogger } from '../platform/app-logger';
import { CONNECTION_LOST, DISABLED_REASON, FileTransferService, type AcceptAnswer, type FileAuditEvent, type IncomingFileOffer, type TransferProgress } from './index';
import type { WriteAt } from './safe-write';
import type { FileTransferServiceOptions } from './transfer-types';

const roots: string[] = [];
const services: FileTransferService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.dispose()));
  await Promise.all(roots.splice(0).map((r) => fs.rm(r, { recursive: true, force: true })));
});

type Side = {
  svc: FileTransferService;
  link: PeerLink;
  dl: string;
  src: string;
  events: TransferProgress[];
  audits: FileAuditEvent[];
  asked: IncomingFileOffer[];
};
type SideOpts = Partial<Omit<FileTransferServiceOptions, 'link' | 'side' | 'peerName' | 'logger' | 'downloadsDir'>> & { answer?: (o: IncomingFileOffer) => Promise<AcceptAnswer> };

/** Two services (helper = a, requester = b) over a memory link pair, each with its own temp folders. */
async function pair(aOpts: SideOpts = {}, bOpts: SideOpts = {}, wrap: (l: PeerLink) => PeerLink = (l) => l, highWaterMark?: number) {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ra-xfer-')));
  roots.push(root);
  const [la, lb] = createMemoryLinkPair(['helper', 'requester'], { highWaterMark });
  const make = async (name: string, link: PeerLink, peerName: string, o: SideOpts): Promise<Side> => {
    const dl = path.join(root, name, 'downloads');
    const src = path.join(root, name, 'src');
    await fs.mkdir(dl, { recursive: true });
    await fs.mkdir(src, { recursive: true });
    const side: Side = { link, dl, src, events: [], audits: [], asked: [], svc: undefined as unknown as FileTransferService };
    const { answer, ...rest } = o;
    side.svc = new FileTransferService({
      link,
      side: name === 'a' ? 'helper' : 'requester',
      peerName,
      logger: createMemoryLogger(),
      downloadsDir: dl,
      limits: { maxFileBytes: 1024 * 1024 * 1024, enabled: true },
      audit: (e) => side.audits.push(e),
      askAccept: (offer) => {
        side.asked.push(offer);
        return answer ? answer(offer) : Promise.resolve({ accept: true });
      },
      ...rest,
    });
    side.svc.onProgress((p) => side.events.push(p));
    services.push(side.svc);
    return side;
  };
  return { root, a: await make('a', wrap(la), 'requester', aOpts), b: await make('b', lb, 'helper', bOpts), la, lb };
}

const FINAL = new Set(['completed', 'declined', 'cancelled', 'failed']);

/** Resolves with the first progress event (past or future) that matches. */
function waitFor(side: Side, pred: (p: TransferProgress) => boolean, what = 'progress'): Promise<TransferProgress> {
  const hit = side.events.find(pred);
  if (hit) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 15_000);
    const off = side.svc.onProgress((p) => {
      if (!pred(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}
const final = (side: Side, direction: 'send' | 'receive', id?: string) =>
  waitFor(side, (p) => p.direction === direction && FINAL.has(p.state) && (id === undefined || p.transferId === id), `final ${direction}`);

async function writeRandom(dir: string, name: string, size: number): Promise<{ file: string; sha: string; data: Buffer }> {
  const data = randomBytes(size);
  const file = path.join(dir, name);
  await fs.writeFile(file, data);
  return { file, sha: createHash('sha256').update(data).digest('hex'), data };
}
const ls = async (dir: string) => (await fs.readdir(dir)).sort();
const sha256 = async (file: string) => createHash('sha256').update(await fs.readFile(file)).digest('hex');

/** A receiver write that parks at `after` bytes until released: holds a transfer half-way. */
function gatedWrite(after: number): { writeAt: WriteAt; reached: Promise<void>; release: () => void } {
  let written = 0;
  let release!: () => void;
  let reached!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const reachedP = new Promise<void>((r) => (reached = r));
  const writeAt: WriteAt = async (fh, data, pos) => {
    if (written >= after) {
      reached();
      await gate;
    }
    written += data.byteLength;
    await fh.write(data, 0, data.byteLength, pos);
  };
  return { writeAt, reached: reachedP, release };
}

/** Wraps a link so a test can rewrite what it sends on `files`. */
function tamper(rewrite: (h: FilesMessage, b?: Uint8Array) => [object, Uint8Array?]): (l: PeerLink) => PeerLink {
  return (link) => ({
    get localName() {
      return link.localName;
    },
    get peerName() {
      return link.peerName;
    },
    get peerAddress() {
      return link.peerAddress;
    },
    get closed() {
      return link.closed;
    },
    close: (r) => link.close(r),
    onClose: (cb) => link.onClose(cb),
    channel(name) {
      const ch = link.channel(name);
      if (name !== 'files') return ch;
      const wrapped: PeerChannel = { ...ch, send: (h, b) => ch.send(...rewrite(h as FilesMessage, b)) };
      return wrapped;
    },
  });
}

/** This side's service against a raw peer channel the test drives by hand (a hostile or odd peer). */
async function rawPeer(opts: Partial<FileTransferServiceOptions> = {}) {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ra-raw-')));
  roots.push(root);
  const [peer, mine] = createMemoryLinkPair(['evil', 'me']);
  const svc = new FileTransferService({
    link: mine,
    side: 'requester',
    peerName: 'evil',
    logger: createMemoryLogger(),
    downloadsDir: root,
    limits: { enabled: true, maxFileBytes: 1e9 },
    askAccept: async () => ({ accept: true }),
    ...opts,
  });
  services.push(svc);
  const side = { svc, events: [] as TransferProgress[] } as unknown as Side;
  svc.onProgress((p) => side.events.push(p));
  const ch = peer.channel('files');
  const got: FilesMessage[] = [];
  ch.onMessage((h) => got.push(h as FilesMessage));
  const until = async (pred: () => boolean) => {
    for (let i = 0; i < 500 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  return { root, svc, side, events: side.events, ch, got, until };
}

describe('FileTransferService over a memory link', () => {
  it('moves a 20 MiB random file both ways at once, byte-identical, with the audit trail', async () => {
    const { a, b } = await pair();
    const fa = await writeRandom(a.src, 'from-a.bin', 20 * 1024 * 1024 + 123);
    const fb = await writeRandom(b.src, 'from-b.bin', 20 * 1024 * 1024);
    const [ida] = a.svc.send([fa.file]);
    const [idb] = b.svc.send([fb.file]);
    const [sa, rb, sb, ra] = await Promise.all([final(a, 'send', ida), final(b, 'receive', ida), final(b, 'send', idb), final(a, 'receive', idb)]);
    for (const p of [sa, rb, sb, ra]) expect(p.state, p.reason).toBe('completed');
    expect(rb.savedAs).toBe(path.join(b.dl, 'from-a.bin'));
    expect(ra.savedAs).toBe(path.join(a.dl, 'from-b.bin'));
    expect(await sha256(rb.savedAs!)).toBe(fa.sha);
    expect(await sha256(ra.savedAs!)).toBe(fb.sha);
    expect(await ls(b.dl)).toEqual(['from-a.bin']);
    expect(await ls(a.dl)).toEqual(['from-b.bin']);
    expect(sa.bytesDone).toBe(fa.data.byteLength);
    expect(b.asked[0]).toMatchObject({ name: 'from-a.bin', size: fa.data.byteLength, peerName: 'helper' });
    // The whole-file hash is known once the file was read (sender) or verified (receiver): both
    // audit trails record the file's standard SHA-256 on completion, what `sha256sum` prints.
    expect(a.audits.filter((e) => e.transferId === ida)).toEqual([
      expect.objectContaining({ type: 'file.offered', direction: 'send', sha256: undefined }),
      expect.objectContaining({ type: 'file.accepted' }),
      expect.objectContaining({ type: 'file.completed', sha256: fa.sha }),
    ]);
    expect(b.audits.filter((e) => e.transferId === ida)).toEqual([
      expect.objectContaining({ type: 'file.offered', direction: 'receive', name: 'from-a.bin', peerName: 'helper' }),
      expect.objectContaining({ type: 'file.accepted' }),
      expect.objectContaining({ type: 'file.completed', savedAs: rb.savedAs, sha256: fa.sha }),
    ]);
    expect(b.audits.find((e) => e.type === 'file.offered' && e.transferId === ida)).not.toHaveProperty('sha256');
    expect([sa.sha256, rb.sha256]).toEqual([fa.sha, fa.sha]);
  });

  it('reports monotonic progress, throttled, ending in a final state on both sides', async () => {
    const { a, b } = await pair();
    const f = await writeRandom(a.src, 'p.bin', 8 * 1024 * 1024);
    const t0 = Date.now();
    const [id] = a.svc.send([f.file]);
    await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    const elapsed = Date.now() - t0;
    for (const side of [a, b]) {
      const mine = side.events.filter((e) => e.transferId === id);
      const done = mine.map((e) => e.bytesDone);
      expect(done).toEqual([...done].sort((x, y) => x - y));
      expect(mine.at(-1)).toMatchObject({ state: 'completed', bytesDone: f.data.byteLength, secondsLeft: 0 });
      expect(mine.filter((e) => FINAL.has(e.state))).toHaveLength(1);
      // Byte updates are throttled to ~10/s; state changes come on top.
      const states = new Set(mine.map((e) => e.state)).size;
      expect(mine.length).toBeLessThanOrEqual(states + 2 + Math.ceil(elapsed / 100) * 2);
    }
    const sendStates = a.events.filter((e) => e.transferId === id).map((e) => e.state);
    // No hashing pass before the offer: the file is hashed while it streams.
    expect([...new Set(sendStates)]).toEqual(['waiting', 'transferring', 'verifying', 'completed']);
    expect(a.svc.list().find((p) => p.transferId === id)).toMatchObject({ state: 'completed', direction: 'send' });
  });

  it('sends queued files one at a time, in order', async () => {
    const { a, b } = await pair();
    const files = await Promise.all(['one.txt', 'two.txt', 'three.txt'].map((n, i) => writeRandom(a.src, n, 1000 * (i + 1) + FILE_CHUNK_BYTES)));
    const ids = a.svc.send(files.map((f) => f.file));
    await Promise.all(ids.map((id) => final(b, 'receive', id)));
    expect(b.asked.map((o) => o.name)).toEqual(['one.txt', 'two.txt', 'three.txt']);
    const completedOrder = b.events.filter((e) => e.state === 'completed').map((e) => e.name);
    expect(completedOrder).toEqual(['one.txt', 'two.txt', 'three.txt']);
    // One at a time: each offer comes after the previous file completed.
    const offeredAt = b.events.filter((e) => e.state === 'waiting').map((e) => b.events.indexOf(e));
    const completedAt = b.events.filter((e) => e.state === 'completed').map((e) => b.events.indexOf(e));
    expect(offeredAt[1]).toBeGreaterThan(completedAt[0]!);
    expect(offeredAt[2]).toBeGreaterThan(completedAt[1]!);
    for (const f of files) expect(await sha256(path.join(b.dl, path.basename(f.file)))).toBe(f.sha);
  });

  it('stops sending chunks while the link says its buffer is full, and resumes on drain', async () => {
    let full = false;
    let chunksWhileFull = 0;
    let chunks = 0;
    let drains = 0;
    const watch = (link: PeerLink): PeerLink => {
      const ch = link.channel('files');
      const files: PeerChannel = {
        onMessage: (cb) => ch.onMessage(cb),
        onDrain: (cb) =>
          ch.onDrain(() => {
            if (full) drains++;
            full = false;
            cb();
          }),
        send: (h, b) => {
          if ((h as FilesMessage).type === 'chunk') {
            chunks++;
            if (full) chunksWhileFull++;
          }
          const ok = ch.send(h, b);
          if (!ok) full = true;
          return ok;
        },
      };
      return Object.assign(Object.create(link) as PeerLink, { channel: (n: string) => (n === 'files' ? files : link.channel(n as 'files')) });
    };
    // A buffer of 1.5 chunks: a second chunk in flight fills it, so most sends report "full".
    const { a, b } = await pair({}, {}, watch, Math.round(1.5 * FILE_CHUNK_BYTES));
    const f = await writeRandom(a.src, 'slow.bin', 20 * FILE_CHUNK_BYTES + 7);
    const [id] = a.svc.send([f.file]);
    expect((await final(b, 'receive', id)).state).toBe('completed');
    expect(await sha256(path.join(b.dl, 'slow.bin'))).toBe(f.sha);
    expect(chunks).toBe(21);
    expect(drains).toBeGreaterThan(5);
    expect(chunksWhileFull).toBe(0);
  });

  it('reports a missing file or a folder as failed, without offering it', async () => {
    const { a, b } = await pair();
    const [missing, folder] = a.svc.send([path.join(a.src, 'nope.txt'), a.src]);
    expect(await final(a, 'send', missing)).toMatchObject({ state: 'failed', reason: 'the file or folder no longer exists' });
    expect(await final(a, 'send', folder)).toMatchObject({ state: 'failed', reason: 'it is not a regular file' });
    expect(b.events).toEqual([]);
    expect(a.audits).toEqual([]);
  });

  it.each([
    ['on the main thread', Infinity],
    ['on the hash worker', 0],
  ])('the sender hashes while sending (%s): the offer carries no hash, each chunk its own, `done` the whole file', async (_how, hashWorkerMinBytes) => {
    const wire: { header: FilesMessage; body?: Uint8Array }[] = [];
    const record = tamper((h, b) => {
      wire.push({ header: h, ...(b ? { body: new Uint8Array(b) } : {}) });
      return [h, b];
    });
    const { a, b } = await pair({ hashWorkerMinBytes }, {}, record);
    const f = await writeRandom(a.src, 'h.bin', 3 * FILE_CHUNK_BYTES + 1000);
    const [id] = a.svc.send([f.file]);
    expect((await final(b, 'receive', id)).state).toBe('completed');
    expect((await final(a, 'send', id)).state).toBe('completed');
    const mine = wire.filter((m) => m.header.transferId === id);
    expect(mine.find((m) => m.header.type === 'offer')!.header).toEqual({ type: 'offer', transferId: id, name: 'h.bin', size: f.data.byteLength });
    const chunks = mine.filter((m) => m.header.type === 'chunk');
    expect(chunks).toHaveLength(4);
    for (const c of chunks) expect((c.header as { sha256: string }).sha256).toBe(createHash('sha256').update(c.body!).digest('hex'));
    expect(mine.filter((m) => m.header.type === 'done').map((m) => m.header)).toEqual([{ type: 'done', transferId: id, sha256: f.sha }]);
    expect(mine.at(-1)!.header.type).toBe('done');
  });

  it('a file changed while it is being sent fails on both sides instead of arriving as a mix', async () => {
    const gate = gatedWrite(FILE_CHUNK_BYTES);
    const { a, b } = await pair({}, { io: { writeAt: gate.writeAt } });
    const f = await writeRandom(a.src, 'moving.bin', 12 * FILE_CHUNK_BYTES);
    const [id] = a.svc.send([f.file]);
    await gate.reached;
    // Same size (rewritten in place, never shorter), new contents and modification time: only the
    // end-of-send check can notice.
    const fh = await fs.open(f.file, 'r+');
    await fh.write(randomBytes(f.data.byteLength), 0, f.data.byteLength, 0);
    await fh.close();
    await fs.utimes(f.file, new Date(), new Date(Date.now() + 60_000));
    gate.release();
    const [s, r] = await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    expect(s).toMatchObject({ state: 'failed', reason: 'the file changed while it was being sent; send it again' });
    expect(r).toMatchObject({ state: 'failed', reason: "helper's side reported: the file changed while it was being sent" });
    expect(await ls(b.dl)).toEqual([]);
    expect(a.audits.at(-1)).toMatchObject({ type: 'file.failed', transferId: id });
  });

  it('transfers an empty file', async () => {
    const { a, b } = await pair();
    const f = await writeRandom(a.src, 'empty.txt', 0);
    const [id] = a.svc.send([f.file]);
    expect((await final(b, 'receive', id)).state).toBe('completed');
    expect((await final(a, 'send', id)).state).toBe('completed');
    expect(await fs.readFile(path.join(b.dl, 'empty.txt'))).toHaveLength(0);
  });

  it('saves into the folder the user picked, sanitising the name and numbering collisions', async () => {
    let picked = '';
    const { a, b, root } = await pair({}, { answer: async () => ({ accept: true, folder: picked }) });
    picked = path.join(root, 'b', 'picked');
    await fs.mkdir(path.join(root, 'b', 'picked'));
    await fs.writeFile(path.join(root, 'b', 'picked', '_con.txt'), 'existing');
    // A name Windows would open as the CON device; raw hostile names are covered by the fuzz test.
    const f = await writeRandom(a.src, 'con.txt', 10);
    const [id] = a.svc.send([f.file]);
    const r = await final(b, 'receive', id);
    expect(b.asked[0]!.name).toBe('_con.txt');
    expect(r.savedAs).toBe(path.join(root, 'b', 'picked', '_con (1).txt'));
    expect(await sha256(r.savedAs!)).toBe(f.sha);
    expect(await ls(b.dl)).toEqual([]);
  });

  it('decline leaves nothing on disk and both sides say declined', async () => {
    const { a, b } = await pair({}, { answer: async () => ({ accept: false }) });
    const f = await writeRandom(a.src, 'no.bin', 100_000);
    const [id] = a.svc.send([f.file]);
    const [s, r] = await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    expect(s).toMatchObject({ state: 'declined', reason: 'declined' });
    expect(r).toMatchObject({ state: 'declined', reason: 'declined by you' });
    expect(await ls(b.dl)).toEqual([]);
    expect(b.audits.map((e) => e.type)).toEqual(['file.offered', 'file.declined']);
    expect(a.audits.map((e) => e.type)).toEqual(['file.offered', 'file.declined']);
  });

  it('an unanswered prompt times out on the receiver: declined, prompt told to close, nothing on disk', async () => {
    const { a, b } = await pair({}, { answer: () => new Promise(() => undefined), timeouts: { askMs: 200 } });
    const f = await writeRandom(a.src, 'slow.bin', 1000);
    const [id] = a.svc.send([f.file]);
    const [s, r] = await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    expect(r).toMatchObject({ state: 'declined', reason: 'timed out' });
    expect(s).toMatchObject({ state: 'declined', reason: 'timed out' });
    expect(b.asked[0]!.signal.aborted).toBe(true);
    expect(await ls(b.dl)).toEqual([]);
  });

  it('the sender gives up waiting for an answer: both sides end, the prompt closes, nothing on disk', async () => {
    const { a, b } = await pair({ timeouts: { answerMs: 200 } }, { answer: () => new Promise(() => undefined) });
    const f = await writeRandom(a.src, 'slow.bin', 1000);
    const [id] = a.svc.send([f.file]);
    const [s, r] = await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    expect(s).toMatchObject({ state: 'declined', reason: 'timed out' });
    expect(r).toMatchObject({ state: 'cancelled', reason: 'cancelled by helper' });
    expect(b.asked[0]!.signal.aborted).toBe(true);
    expect(await ls(b.dl)).toEqual([]);
  });

  it('refuses at once, without asking, when turned off by policy; sending is refused too', async () => {
    const { a, b } = await pair({}, { limits: { enabled: false, maxFileBytes: 1e9 } });
    const f = await writeRandom(a.src, 'x.bin', 10);
    const [id] = a.svc.send([f.file]);
    expect(await final(a, 'send', id)).toMatchObject({ state: 'declined', reason: DISABLED_REASON });
    expect(b.asked).toHaveLength(0);
    expect(await ls(b.dl)).toEqual([]);
    let thrown: unknown;
    try {
      b.svc.send([f.file]);
    } catch (e) {
      thrown = e;
    }
    expect(isAppError(thrown, 'disabled-by-policy')).toBe(true);
  });

  it('refuses at once a file over the size limit, or one the disk has no room for', async () => {
    const { a, b } = await pair({}, { limits: { enabled: true, maxFileBytes: 1000 } });
    const f = await writeRandom(a.src, 'big.bin', 1001);
    const [id] = a.svc.send([f.file]);
    expect(await final(a, 'send', id)).toMatchObject({ state: 'declined', reason: 'The file is too large (1001 bytes; the limit is 1000 bytes)' });
    expect(b.asked).toHaveLength(0);

    b.svc.setLimits({ enabled: true, maxFileBytes: 1e9 });
    const small = await pair({}, { io: { statfs: async () => ({ bavail: 1, bsize: 4096 }) } });
    const g = await writeRandom(small.a.src, 'g.bin', 5000);
    const [id2] = small.a.svc.send([g.file]);
    expect(await final(small.a, 'send', id2)).toMatchObject({ state: 'declined', reason: expect.stringMatching(/^Not enough free disk space/) });
    expect(small.b.asked).toHaveLength(0);
    expect(await ls(small.b.dl)).toEqual([]);
  });

  it.each(['sender', 'receiver'] as const)('cancel half-way by the %s leaves no file and no .part', async (who) => {
    const gate = gatedWrite(2 * 1024 * 1024);
    const { a, b } = await pair({}, { io: { writeAt: gate.writeAt } });
    const f = await writeRandom(a.src, 'half.bin', 8 * 1024 * 1024);
    const [id] = a.svc.send([f.file]);
    await gate.reached;
    expect(await ls(b.dl)).toEqual(['half.bin.part']);
    expect((who === 'sender' ? a : b).svc.cancel(id!)).toBe(true);
    gate.release();
    const [s, r] = await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    expect(s.state).toBe('cancelled');
    expect(r.state).toBe('cancelled');
    expect((who === 'sender' ? s : r).reason).toBe('cancelled by you');
    expect((who === 'sender' ? r : s).reason).toBe(`cancelled by ${who === 'sender' ? 'helper' : 'requester'}`);
    expect(await ls(b.dl)).toEqual([]);
    expect(b.audits.at(-1)).toMatchObject({ type: 'file.failed', reason: r.reason });
  });

  it('cancels a queued file before it is offered', async () => {
    const { a, b } = await pair({}, { answer: () => new Promise(() => undefined) });
    const f1 = await writeRandom(a.src, '1.bin', 10);
    const f2 = await writeRandom(a.src, '2.bin', 10);
    const [, id2] = a.svc.send([f1.file, f2.file]);
    expect(a.svc.cancel(id2!)).toBe(true);
    expect(await final(a, 'send', id2)).toMatchObject({ state: 'cancelled' });
    for (let i = 0; i < 200 && b.asked.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(b.asked.map((o) => o.name)).toEqual(['1.bin']);
    expect(a.svc.cancel('no-such-id')).toBe(false);
  });

  it('a dropped link fails both sides with the same reason and leaves no file', async () => {
    const gate = gatedWrite(1024 * 1024);
    const { a, b, la } = await pair({}, { io: { writeAt: gate.writeAt } });
    const f = await writeRandom(a.src, 'drop.bin', 6 * 1024 * 1024);
    const q = await writeRandom(a.src, 'queued.bin', 10);
    const [id, queued] = a.svc.send([f.file, q.file]);
    await gate.reached;
    la.close('test');
    gate.release();
    const [s, r, sq] = await Promise.all([final(a, 'send', id), final(b, 'receive', id), final(a, 'send', queued)]);
    expect(s).toMatchObject({ state: 'failed', reason: CONNECTION_LOST });
    expect(r).toMatchObject({ state: 'failed', reason: CONNECTION_LOST });
    expect(sq).toMatchObject({ state: 'failed', reason: CONNECTION_LOST });
    expect(await ls(b.dl)).toEqual([]);
    expect(() => a.svc.send([f.file])).toThrow(/connection was lost/);
  });

  it.each([
    ['on the main thread', Infinity],
    ['on the hash worker', 0],
  ])('a chunk damaged in flight (hashed %s) fails both sides; nothing is renamed and the .part is removed', async (_how, hashWorkerMinBytes) => {
    let n = 0;
    const corrupt = tamper((h, body) => {
      if (h.type === 'chunk' && body && n++ === 3) {
        const bad = new Uint8Array(body);
        bad[100] = bad[100]! ^ 0xff;
        return [h, bad];
      }
      return [h, body];
    });
    const { a, b } = await pair({}, { hashWorkerMinBytes }, corrupt);
    const f = await writeRandom(a.src, 'c.bin', 3 * 1024 * 1024);
    const [id] = a.svc.send([f.file]);
    const [s, r] = await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    expect(r).toMatchObject({ state: 'failed', reason: 'a piece of the file arrived damaged (SHA-256 mismatch)' });
    expect(s).toMatchObject({ state: 'failed', reason: "requester's side reported: a chunk failed its SHA-256 check" });
    expect(await ls(b.dl)).toEqual([]);
  });

  it.each([
    ['on the main thread', Infinity],
    ['on the hash worker', 0],
  ])('a whole-file hash mismatch (chunk and its hash both altered, hashed %s) fails at the end, nothing renamed', async (_how, hashWorkerMinBytes) => {
    const corrupt = tamper((h, body) => {
      if (h.type === 'chunk' && body && h.index === 1) {
        const bad = new Uint8Array(body);
        bad[0] = bad[0]! ^ 1;
        return [{ ...h, sha256: createHash('sha256').update(bad).digest('hex') }, bad];
      }
      return [h, body];
    });
    const { a, b } = await pair({}, { hashWorkerMinBytes }, corrupt);
    const f = await writeRandom(a.src, 'w.bin', 1024 * 1024);
    const [id] = a.svc.send([f.file]);
    const [s, r] = await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    expect(r).toMatchObject({ state: 'failed', reason: 'the file arrived damaged (its SHA-256 does not match)' });
    expect(s.state).toBe('failed');
    expect(await ls(b.dl)).toEqual([]);
  });

  it('a full disk (ENOSPC after 1 MiB) fails cleanly and leaves no file', async () => {
    let written = 0;
    const writeAt: WriteAt = async (fh, data, pos) => {
      if (written + data.byteLength > 1024 * 1024) throw Object.assign(new Error('No space left on device'), { code: 'ENOSPC' });
      written += data.byteLength;
      await fh.write(data, 0, data.byteLength, pos);
    };
    const { a, b } = await pair({}, { io: { writeAt } });
    const f = await writeRandom(a.src, 'full.bin', 4 * 1024 * 1024);
    const [id] = a.svc.send([f.file]);
    const [s, r] = await Promise.all([final(a, 'send', id), final(b, 'receive', id)]);
    expect(r).toMatchObject({ state: 'failed', reason: 'could not save the file: there is not enough disk space' });
    expect(s).toMatchObject({ state: 'failed', reason: "requester's side reported: the receiver could not write the file" });
    expect(await ls(b.dl)).toEqual([]);
  });

  it('writes through a symlinked downloads folder, but never through symlinks planted inside it', async () => {
    const { a, b, root } = await pair();
    const outside = path.join(root, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'target'), 'precious');
    const real = path.join(root, 'real-downloads');
    await fs.mkdir(real);
    await fs.symlink(path.join(outside, 'target'), path.join(real, 'file.txt'));
    await fs.symlink(path.join(outside, 'fresh'), path.join(real, 'file (1).txt.part'));
    await fs.rm(b.dl, { recursive: true });
    await fs.symlink(real, b.dl);
    const f = await writeRandom(a.src, 'file.txt', 300_000);
    const [id] = a.svc.send([f.file]);
    const r = await final(b, 'receive', id);
    expect(r.state, r.reason).toBe('completed');
    expect(r.savedAs).toBe(path.join(real, 'file (2).txt'));
    expect(await sha256(r.savedAs!)).toBe(f.sha);
    expect(await ls(outside)).toEqual(['target']);
    expect(await fs.readFile(path.join(outside, 'target'), 'utf8')).toBe('precious');
  });

  it('fails the transfer when the peer breaks the protocol (order, size, window), removing the .part', async () => {
    const { root, ch, got, events, until } = await rawPeer();
    const data = randomBytes(1000);
    const h = createHash('sha256').update(data).digest('hex');
    const cases: [string, (id: string) => void, string][] = [
      ['order', (id) => ch.send({ type: 'chunk', transferId: id, index: 1, offset: 0, sha256: h }, data), 'the data arrived out of order'],
      ['offset', (id) => ch.send({ type: 'chunk', transferId: id, index: 0, offset: 5, sha256: h }, data), 'the data arrived out of order'],
      ['size', (id) => ch.send({ type: 'chunk', transferId: id, index: 0, offset: 0, sha256: createHash('sha256').update(randomBytes(0)).digest('hex') }, randomBytes(2000)), "evil's side sent more data than it offered"],
      ['early done', (id) => ch.send({ type: 'done', transferId: id, sha256: h }), 'the file arrived incomplete'],
      [
        'window',
        // FILE_WINDOW_CHUNKS + 1 one-byte chunks in one go: more than the window unacknowledged.
        (id) => {
          for (let i = 0; i <= FILE_WINDOW_CHUNKS; i++) ch.send({ type: 'chunk', transferId: id, index: i, offset: i, sha256: createHash('sha256').update(data.subarray(i, i + 1)).digest('hex') }, data.subarray(i, i + 1));
        },
        "evil's side sent too fast",
      ],
      ['malformed chunk', (id) => ch.send({ type: 'chunk', transferId: id, index: -1, offset: 0, sha256: h }, data), "evil's side sent a malformed chunk message"],
    ];
    for (const [i, [, act, reason]] of cases.entries()) {
      const transferId = `hostile-transfer-${i}-xxxxxx`;
      ch.send({ type: 'offer', transferId, name: `f${i}.bin`, size: 1000 });
      await until(() => got.some((m) => m.type === 'accept' && m.transferId === transferId));
      act(transferId);
      await until(() => events.some((e) => e.transferId === transferId && FINAL.has(e.state)));
      expect(events.find((e) => e.transferId === transferId && FINAL.has(e.state))).toMatchObject({ state: 'failed', reason });
      expect(got.find((m) => m.type === 'error' && m.transferId === transferId)).toBeDefined();
      expect(await ls(root)).toEqual([]);
    }
    // A chunk for an unknown transfer is dropped; a malformed offer with a usable id is declined.
    ch.send({ type: 'chunk', transferId: 'unknown-transfer-xxxxxx', index: 0, offset: 0, sha256: h }, data);
    ch.send({ type: 'offer', transferId: 'bad-offer-xxxxxxxxxxxxx', name: 'x', size: -1 });
    await until(() => got.some((m) => m.type === 'decline' && m.transferId === 'bad-offer-xxxxxxxxxxxxx'));
    expect(got.find((m) => m.transferId === 'bad-offer-xxxxxxxxxxxxx')).toMatchObject({ type: 'decline', reason: 'malformed offer' });
    expect(await ls(root)).toEqual([]);
  });

  it('the sender fails cleanly when the receiver breaks the protocol', async () => {
    const { root, svc, side, ch, got } = await rawPeer();
    const file = path.join(root, 'f.bin');
    await fs.writeFile(file, randomBytes(3 * FILE_CHUNK_BYTES));
    ch.onMessage((h) => {
      const m = h as FilesMessage;
      if (m.type === 'offer') ch.send({ type: 'accept', transferId: m.transferId });
      // Acknowledge chunk 2 first: acks must come in order.
      if (m.type === 'chunk' && m.index === 0) ch.send({ type: 'ack', transferId: m.transferId, index: 2 });
    });
    const [id] = svc.send([file]);
    expect(await final(side, 'send', id)).toMatchObject({ state: 'failed', reason: "evil's side sent an unexpected acknowledgement" });
    await new Promise((r) => setTimeout(r, 20));
    expect(got.filter((m) => m.type === 'error')).toEqual([{ type: 'error', transferId: id, reason: 'protocol error: an unexpected acknowledgement' }]);
  });

  it('asks about one offer at a time, skipping offers withdrawn while waiting their turn', async () => {
    const asked: string[] = [];
    let answerFirst!: (a: AcceptAnswer) => void;
    const { ch, got, until, events } = await rawPeer({
      askAccept: (o) => {
        asked.push(o.name);
        return o.name === 'one' ? new Promise((r) => (answerFirst = r)) : Promise.resolve({ accept: false });
      },
    });
    for (const [i, name] of ['one', 'two', 'three'].entries()) ch.send({ type: 'offer', transferId: `stacked-offer-${i}-xxxxxxx`, name, size: 0 });
    await until(() => asked.length > 0);
    await new Promise((r) => setTimeout(r, 30));
    expect(asked).toEqual(['one']);
    ch.send({ type: 'cancel', transferId: 'stacked-offer-1-xxxxxxx', by: 'sender', reason: 'never mind' });
    await until(() => events.some((e) => e.transferId === 'stacked-offer-1-xxxxxxx' && e.state === 'cancelled'));
    answerFirst({ accept: false });
    await until(() => got.filter((m) => m.type === 'decline').length === 2);
    expect(asked).toEqual(['one', 'three']);
  });

  it('a prompt that throws counts as a decline', async () => {
    const { ch, got, until, events } = await rawPeer({ askAccept: () => Promise.reject(new Error('no window')) });
    ch.send({ type: 'offer', transferId: 'throwing-prompt-xxxxxxx', name: 'x', size: 1 });
    await until(() => got.length > 0);
    expect(got).toEqual([{ type: 'decline', transferId: 'throwing-prompt-xxxxxxx', reason: 'could not ask the user' }]);
    expect(events.at(-1)).toMatchObject({ state: 'declined', reason: 'could not ask the user' });
  });

  it('dispose cancels running transfers, tells the peer, and removes the .part', async () => {
    const gate = gatedWrite(1024 * 1024);
    const { a, b } = await pair({}, { io: { writeAt: gate.writeAt } });
    const f = await writeRandom(a.src, 'd.bin', 4 * 1024 * 1024);
    const [id] = a.svc.send([f.file]);
    await gate.reached;
    const disposed = b.svc.dispose('the session ended');
    gate.release();
    await disposed;
    expect(await ls(b.dl)).toEqual([]);
    expect(b.events.at(-1)).toMatchObject({ transferId: id, state: 'cancelled', reason: 'the session ended' });
    expect(await final(a, 'send', id)).toMatchObject({ state: 'cancelled', reason: 'cancelled by requester' });
  });
});

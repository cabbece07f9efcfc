import { constants as C, type Stats } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FILE_CHUNK_BYTES, FILE_NAME_MAX_CHARS, FILE_WINDOW_CHUNKS, type FilesMessage } from '../../src-shared/protocol/files';
import { createChunkHasher, type ChunkHasher } from './chunk-hasher';
import { cleanPeerText, describeIoError } from './display-text';
import type { ProgressHandle } from './progress-hub';
import { newTransferId, unrefTimer, Wakeup, type TransferContext } from './transfer-context';
import type { TransferState } from './transfer-types';

/** Chunks read and hashed ahead of the one being sent (within the window). */
const READ_AHEAD = 4;

type Final = Extract<TransferState, 'completed' | 'declined' | 'cancelled' | 'failed'>;
/** A chunk read and hashed, ready to send (or why it could not be). */
type Prepared = { view: Buffer; sha256: string } | { error: unknown };

/**
 * Sending one file: open → offer → wait for the answer → stream chunks within the window, hashing
 * each (and the whole file, incrementally) as it goes → done with the whole-file SHA-256 → wait
 * for `complete`. There is no separate hashing pass: the file is read once, and the hash in `done`
 * is that of exactly the bytes sent. A file that changes while it is sent (size or modification
 * time differ at the end) fails rather than delivering a mix of old and new contents.
 */
export class OutgoingTransfer {
  readonly id = newTransferId();
  private readonly progress: ProgressHandle;
  private readonly wakeup = new Wakeup();
  private name: string;
  private size = 0;
  private sha256 = '';
  private fh: FileHandle | null = null;
  private hasher: ChunkHasher | null = null;
  private finished = false;
  private offered = false;
  private accepted = false;
  private sent = 0;
  private nextAck = 0;
  private chunkCount = 0;
  private readonly pool: Buffer[] = [];
  private answerTimer: NodeJS.Timeout | null = null;
  private markClosed!: () => void;
  /** Resolves once the transfer reached its final state. */
  readonly closed = new Promise<void>((r) => (this.markClosed = r));
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: TransferContext,
    private readonly filePath: string,
  ) {
    this.name = path.basename(filePath).normalize('NFC').slice(0, FILE_NAME_MAX_CHARS) || 'file';
    this.progress = ctx.hub.track({ transferId: this.id, direction: 'send', name: this.name, size: 0, state: 'waiting' });
  }

  get done(): boolean {
    return this.finished;
  }

  /** Runs the whole transfer; resolves (never rejects) once it reached a final state. */
  async run(): Promise<void> {
    try {
      if (this.finished) return;
      // O_NONBLOCK: opening a FIFO picked by mistake must not hang a thread waiting for a writer.
      this.fh = await fs.open(this.filePath, C.O_RDONLY | (C.O_NONBLOCK ?? 0));
      const before = await this.fh.stat();
      if (!before.isFile()) return this.finish('failed', 'it is not a regular file');
      if (this.finished) return;
      this.size = before.size;
      this.chunkCount = Math.ceil(this.size / FILE_CHUNK_BYTES);
      this.progress.update({ size: this.size });
      // Started now so a hash worker is up by the time the receiver's user answers.
      this.hasher = createChunkHasher(this.size, this.ctx.logger, this.ctx.hashWorkerMinBytes);

      this.send({ type: 'offer', transferId: this.id, name: this.name, size: this.size });
      this.offered = true;
      this.audit('file.offered');
      this.answerTimer = unrefTimer(this.ctx.timeouts.answerMs, () =>
        this.finish('declined', 'timed out', { type: 'cancel', transferId: this.id, by: 'sender', reason: 'timed out waiting for an answer' }),
      );
      while (!this.finished && !this.accepted) await this.wakeup.wait();
      if (this.finished) return;

      this.progress.update({ state: 'transferring' });
      this.idleTimer = unrefTimer(this.ctx.timeouts.idleMs, () => this.stalled());
      await this.stream(this.fh, this.hasher);
      if (this.finished) return;
      if (changed(before, await this.fh.stat())) {
        return this.finish('failed', 'the file changed while it was being sent; send it again', { type: 'error', transferId: this.id, reason: 'the file changed while it was being sent' });
      }
      const sha256 = await this.hasher.digest();
      if (this.finished) return;
      this.sha256 = sha256;
      this.progress.update({ sha256 });
      this.send({ type: 'done', transferId: this.id, sha256 });
      while (!this.finished && this.nextAck < this.chunkCount) await this.wakeup.wait();
      if (this.finished) return;
      this.progress.update({ state: 'verifying' });
      while (!this.finished) await this.wakeup.wait();
    } catch (e) {
      this.ctx.logger.warn('file send failed', { transferId: this.id, error: e });
      this.finish('failed', describeIoError(e), { type: 'error', transferId: this.id, reason: 'the sender could not read the file' });
    } finally {
      this.hasher?.close();
      this.hasher = null;
      await this.fh?.close().catch(() => undefined);
      this.fh = null;
    }
  }

  /** A files-channel message for this transfer, from the receiver. */
  handle(msg: FilesMessage): void {
    if (this.finished) return;
    this.idleTimer?.refresh();
    switch (msg.type) {
      case 'accept':
        if (!this.offered || this.accepted) return this.protocolViolation('an unexpected accept');
        this.accepted = true;
        this.clearAnswerTimer();
        this.audit('file.accepted');
        return this.wakeup.wake();
      case 'decline':
        if (this.accepted) return this.protocolViolation('a decline after accepting');
        return this.finish('declined', cleanPeerText(msg.reason));
      case 'ack':
        if (!this.accepted || msg.index !== this.nextAck || msg.index >= this.sent) return this.protocolViolation('an unexpected acknowledgement');
        this.nextAck++;
        this.progress.update({ bytesDone: Math.min(this.nextAck * FILE_CHUNK_BYTES, this.size) });
        return this.wakeup.wake();
      case 'complete':
        if (!this.accepted || this.nextAck < this.chunkCount) return this.protocolViolation('completion before all data arrived');
        return this.finish('completed');
      case 'cancel':
        return this.finish('cancelled', `cancelled by ${this.ctx.peerName}`);
      case 'error':
        return this.finish('failed', `${this.ctx.peerName}'s side reported: ${cleanPeerText(msg.reason)}`);
      default:
        return this.protocolViolation(`an unexpected ${msg.type} message`);
    }
  }

  /** The link can take more data. */
  drained(): void {
    this.wakeup.wake();
  }

  /** Stops on the user's request; tells the peer if it knows about the file. */
  cancel(reason = 'cancelled by you'): void {
    this.finish('cancelled', reason, { type: 'cancel', transferId: this.id, by: 'sender', reason: 'cancelled by the sender' });
  }

  /** Ends without a message to the peer (link lost, service stopped). */
  abandon(reason: string): void {
    this.finish('failed', reason);
  }

  /**
   * Streams every chunk, keeping at most FILE_WINDOW_CHUNKS unacknowledged and pausing while the
   * link is full. Chunks are read and hashed a few ahead of the one being sent, so the disk, the
   * hashing (on a worker for large files) and the link's encryption overlap.
   */
  private async stream(fh: FileHandle, hasher: ChunkHasher): Promise<void> {
    const ready = new Map<number, Promise<Prepared>>();
    let nextRead = 0;
    // Resolves once the previous chunk's hash was requested: reads finish in any order, but the
    // whole-file hash needs the chunks in file order.
    let hashTurn: Promise<unknown> = Promise.resolve();
    const prepareAhead = (current: number) => {
      // Slot `i % window` was last used by chunk i − window, which the receiver has acknowledged,
      // so the link is done with that buffer whether it copies bodies or queues them.
      while (nextRead < this.chunkCount && nextRead - this.nextAck < FILE_WINDOW_CHUNKS && nextRead - current < READ_AHEAD) {
        const i = nextRead++;
        const buf = (this.pool[i % FILE_WINDOW_CHUNKS] ??= hasher.take());
        const view = buf.subarray(0, Math.min(FILE_CHUNK_BYTES, this.size - i * FILE_CHUNK_BYTES));
        let hashed!: Promise<string>;
        const turn = Promise.all([readFully(fh, view, i * FILE_CHUNK_BYTES), hashTurn]).then(() => {
          hashed = hasher.hash(buf, view.byteLength);
        });
        hashTurn = turn;
        // Settle to a value so an abandoned chunk (transfer cancelled) is never an unhandled rejection.
        ready.set(
          i,
          turn.then(() => hashed).then((sha256): Prepared => ({ view, sha256 }), (error: unknown): Prepared => ({ error })),
        );
      }
    };
    try {
      for (let index = 0; index < this.chunkCount; index++) {
        while (!this.finished && (index - this.nextAck >= FILE_WINDOW_CHUNKS || !this.ctx.writable())) await this.wakeup.wait();
        if (this.finished) return;
        prepareAhead(index);
        const result = await ready.get(index)!;
        ready.delete(index);
        if (this.finished) return;
        if ('error' in result) throw result.error;
        this.sent = index + 1;
        this.send({ type: 'chunk', transferId: this.id, index, offset: index * FILE_CHUNK_BYTES, sha256: result.sha256 }, result.view);
        prepareAhead(index + 1);
      }
    } finally {
      // The handle and the hasher are closed after run() returns; let chunks in flight finish first.
      await Promise.all(ready.values());
    }
  }

  private send(message: FilesMessage, body?: Uint8Array): void {
    this.ctx.send(message, body);
  }

  private stalled(): void {
    this.finish('failed', `no response from ${this.ctx.peerName} for ${Math.round(this.ctx.timeouts.idleMs / 1000)} s`, {
      type: 'error',
      transferId: this.id,
      reason: 'the transfer stalled',
    });
  }

  /** Ends the transfer because the peer broke the protocol, and tells it so. */
  protocolViolation(what: string): void {
    this.ctx.logger.warn('file transfer protocol violation', { transferId: this.id, what });
    this.finish('failed', `${this.ctx.peerName}'s side sent ${what}`, { type: 'error', transferId: this.id, reason: `protocol error: ${what}` });
  }

  private clearAnswerTimer(): void {
    if (this.answerTimer) clearTimeout(this.answerTimer);
    this.answerTimer = null;
  }

  private audit(type: 'file.offered' | 'file.accepted' | 'file.declined' | 'file.completed' | 'file.failed', reason?: string): void {
    this.ctx.audit({ type, direction: 'send', transferId: this.id, name: this.name, size: this.size, sha256: this.sha256 || undefined, ...(reason ? { reason } : {}) });
  }

  /** The one way a transfer ends: tell the peer (if it knows the file and the link is up), audit, publish. */
  private finish(state: Final, reason?: string, notify?: FilesMessage): void {
    if (this.finished) return;
    this.finished = true;
    this.clearAnswerTimer();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (notify && this.offered && !this.ctx.linkClosed()) this.send(notify);
    if (this.offered) this.audit(state === 'completed' ? 'file.completed' : state === 'declined' ? 'file.declined' : 'file.failed', reason);
    if (reason && state !== 'completed') this.ctx.logger.info('file send ended', { transferId: this.id, state, reason });
    this.progress.update({ state, ...(reason ? { reason } : {}) });
    this.wakeup.wake();
    this.markClosed();
  }
}

/** True when the file's size or modification time moved while it was being sent. */
function changed(before: Stats, after: Stats): boolean {
  return before.size !== after.size || before.mtimeMs !== after.mtimeMs;
}

async function readFully(fh: FileHandle, view: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < view.byteLength) {
    const { bytesRead } = await fh.read(view, done, view.byteLength - done, position + done);
    if (bytesRead === 0) throw new Error('the file got shorter while it was being sent');
    done += bytesRead;
  }
}

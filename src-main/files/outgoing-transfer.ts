import { createHash } from 'node:crypto';
import { constants as C } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FILE_CHUNK_BYTES, FILE_NAME_MAX_CHARS, FILE_WINDOW_CHUNKS, type FilesMessage } from '../../src-shared/protocol/files';
import { cleanPeerText, describeIoError } from './display-text';
import type { ProgressHandle } from './progress-hub';
import { newTransferId, unrefTimer, Wakeup, type TransferContext } from './transfer-context';
import type { TransferState } from './transfer-types';

/** Read size while hashing before the offer. */
const HASH_READ_BYTES = 1024 * 1024;
/** Chunks read ahead of the one being sent (within the window). */
const READ_AHEAD = 4;

type Final = Extract<TransferState, 'completed' | 'declined' | 'cancelled' | 'failed'>;

/**
 * Sending one file: open → hash → offer → wait for the answer → stream chunks within the window
 * → done → wait for `complete`. The file is opened once and read through that handle, so the
 * bytes sent are those of the file that was hashed (a change in between shows up as a hash
 * mismatch on the receiver, never as a silent corruption).
 */
export class OutgoingTransfer {
  readonly id = newTransferId();
  private readonly progress: ProgressHandle;
  private readonly wakeup = new Wakeup();
  private name: string;
  private size = 0;
  private sha256 = '';
  private fh: FileHandle | null = null;
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
      this.progress.update({ state: 'hashing', hashedBytes: 0 });
      // O_NONBLOCK: opening a FIFO picked by mistake must not hang a thread waiting for a writer.
      this.fh = await fs.open(this.filePath, C.O_RDONLY | (C.O_NONBLOCK ?? 0));
      const st = await this.fh.stat();
      if (!st.isFile()) return this.finish('failed', 'it is not a regular file');
      this.size = st.size;
      this.chunkCount = Math.ceil(this.size / FILE_CHUNK_BYTES);
      this.progress.update({ size: this.size });
      this.sha256 = await this.hashFile(this.fh);
      if (this.finished) return;

      this.send({ type: 'offer', transferId: this.id, name: this.name, size: this.size, sha256: this.sha256 });
      this.offered = true;
      this.audit('file.offered');
      this.progress.update({ state: 'waiting', hashedBytes: undefined, sha256: this.sha256 });
      this.answerTimer = unrefTimer(this.ctx.timeouts.answerMs, () =>
        this.finish('declined', 'timed out', { type: 'cancel', transferId: this.id, by: 'sender', reason: 'timed out waiting for an answer' }),
      );
      while (!this.finished && !this.accepted) await this.wakeup.wait();
      if (this.finished) return;

      this.progress.update({ state: 'transferring' });
      this.idleTimer = unrefTimer(this.ctx.timeouts.idleMs, () => this.stalled());
      await this.stream(this.fh);
      if (this.finished) return;
      this.send({ type: 'done', transferId: this.id });
      while (!this.finished && this.nextAck < this.chunkCount) await this.wakeup.wait();
      if (this.finished) return;
      this.progress.update({ state: 'verifying' });
      while (!this.finished) await this.wakeup.wait();
    } catch (e) {
      this.ctx.logger.warn('file send failed', { transferId: this.id, error: e });
      this.finish('failed', describeIoError(e), { type: 'error', transferId: this.id, reason: 'the sender could not read the file' });
    } finally {
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

  /** One pass over the file for its SHA-256, reading the next block while hashing the current one. */
  private async hashFile(fh: FileHandle): Promise<string> {
    const hash = createHash('sha256');
    const blockSize = Math.min(HASH_READ_BYTES, Math.max(this.size, 1));
    const bufs = [Buffer.allocUnsafe(blockSize), Buffer.allocUnsafe(blockSize)];
    const readBlock = (pos: number, buf: Buffer) =>
      pos < this.size ? fh.read(buf, 0, Math.min(blockSize, this.size - pos), pos).then((r) => r.bytesRead) : Promise.resolve(0);
    let pos = 0;
    let next = readBlock(0, bufs[0]!);
    for (let i = 0; pos < this.size; i++) {
      const bytesRead = await next;
      if (bytesRead === 0) throw new Error('the file got shorter while it was being read');
      if (this.finished) return '';
      const buf = bufs[i % 2]!;
      next = readBlock(pos + bytesRead, bufs[(i + 1) % 2]!);
      // Never leave a read without a handler, even if this transfer stops before awaiting it.
      next.catch(() => undefined);
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
      this.progress.update({ hashedBytes: pos });
    }
    await next.catch(() => undefined);
    return hash.digest('hex');
  }

  /**
   * Streams every chunk, keeping at most FILE_WINDOW_CHUNKS unacknowledged and pausing while the
   * link is full. Reads run a few chunks ahead so the disk and the hashing overlap.
   */
  private async stream(fh: FileHandle): Promise<void> {
    const reads = new Map<number, Promise<unknown>>();
    let nextRead = 0;
    const readAhead = (current: number) => {
      // Slot `i % window` was last used by chunk i − window, which the receiver has acknowledged,
      // so the link is done with that buffer whether it copies bodies or queues them.
      while (nextRead < this.chunkCount && nextRead - this.nextAck < FILE_WINDOW_CHUNKS && nextRead - current < READ_AHEAD) {
        const i = nextRead++;
        const buf = (this.pool[i % FILE_WINDOW_CHUNKS] ??= Buffer.allocUnsafeSlow(FILE_CHUNK_BYTES));
        const view = buf.subarray(0, Math.min(FILE_CHUNK_BYTES, this.size - i * FILE_CHUNK_BYTES));
        // Settle to a value so an abandoned read (transfer cancelled) is never an unhandled rejection.
        reads.set(i, readFully(fh, view, i * FILE_CHUNK_BYTES).then(() => view, (e: unknown) => ({ error: e })));
      }
    };
    try {
      for (let index = 0; index < this.chunkCount; index++) {
        while (!this.finished && (index - this.nextAck >= FILE_WINDOW_CHUNKS || !this.ctx.writable())) await this.wakeup.wait();
        if (this.finished) return;
        readAhead(index);
        const result = await reads.get(index)!;
        reads.delete(index);
        if (this.finished) return;
        if (!(result instanceof Buffer)) throw (result as { error: unknown }).error;
        const sha256 = createHash('sha256').update(result).digest('hex');
        this.sent = index + 1;
        this.send({ type: 'chunk', transferId: this.id, index, offset: index * FILE_CHUNK_BYTES, sha256 }, result);
        readAhead(index + 1);
      }
    } finally {
      // The handle is closed after run() returns; let reads still in flight finish first.
      await Promise.all(reads.values());
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
    this.progress.update({ state, hashedBytes: undefined, ...(reason ? { reason } : {}) });
    this.wakeup.wake();
    this.markClosed();
  }
}

async function readFully(fh: FileHandle, view: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < view.byteLength) {
    const { bytesRead } = await fh.read(view, done, view.byteLength - done, position + done);
    if (bytesRead === 0) throw new Error('the file got shorter while it was being sent');
    done += bytesRead;
  }
}

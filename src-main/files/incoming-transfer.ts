import { FILE_WINDOW_CHUNKS, type FileChunkMessage, type FileOfferMessage, type FilesMessage } from '../../src-shared/protocol/files';
import { createChunkHasher, type ChunkHasher } from './chunk-hasher';
import { cleanPeerText, describeIoError, formatBytes } from './display-text';
import type { ProgressHandle } from './progress-hub';
import { hasRoomFor, PartFile } from './safe-write';
import { sanitiseFileName } from './sanitise-name';
import { unrefTimer, type TransferContext } from './transfer-context';
import type { AcceptAnswer, TransferState } from './transfer-types';

/** A large file is flushed to disk in steps of this size while it arrives (see flushNowAndThen). */
const FLUSH_EVERY_BYTES = 16 * 1024 * 1024;

type Answer = { accept: true; folder?: string } | { accept: false; reason: string };
type Final = Extract<TransferState, 'completed' | 'declined' | 'cancelled' | 'failed'>;

/** The sentence the sender sees when policy or settings turn file transfer off. */
export const DISABLED_REASON = 'File transfer is turned off by your administrator';

/**
 * Receiving one file: checks → ask the user → `.part` → chunks (each checked: order, bounds,
 * window, SHA-256; written in order, acknowledged once written) → done → whole-file SHA-256
 * (hashed incrementally as chunks arrive, never re-read), checked against the one `done` carries
 * → fsync + rename → complete.
 * Nothing touches the disk before the user accepts, and every failure removes the `.part`.
 */
export class IncomingTransfer {
  readonly id: string;
  readonly name: string;
  private readonly progress: ProgressHandle;
  private readonly asking = new AbortController();
  private part: PartFile | null = null;
  private creating: Promise<PartFile> | null = null;
  private finished = false;
  /** Set once the final hash matched: from then on the outcome belongs to commit(). */
  private committing = false;
  private streaming = false;
  private nextIndex = 0;
  private nextOffset = 0;
  private unacked = 0;
  private written = 0;
  /** Bytes written since the last background flush was started. */
  private unflushed = 0;
  private flushing = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly ackQueue: { index: number; length: number; ready: boolean }[] = [];
  private hasher: ChunkHasher | null = null;
  /** The whole-file SHA-256, once it matched the sender's. */
  private sha256: string | undefined;
  private idleTimer: NodeJS.Timeout | null = null;
  private markClosed!: () => void;
  /** Resolves once the transfer is final and its `.part` (if any) is gone. */
  readonly closed = new Promise<void>((r) => (this.markClosed = r));

  constructor(
    private readonly ctx: TransferContext,
    private readonly offer: FileOfferMessage,
  ) {
    this.id = offer.transferId;
    this.name = sanitiseFileName(offer.name);
    this.progress = ctx.hub.track({ transferId: this.id, direction: 'receive', name: this.name, size: offer.size, state: 'waiting' });
  }

  get done(): boolean {
    return this.finished;
  }

  /**
   * Decides about the offer: refuses at once what policy, size or free space rule out; otherwise
   * asks the user and, on yes, creates the `.part` and accepts. `busy` is set when this side already
   * handles as many incoming files as it allows.
   */
  async start(busy: boolean): Promise<void> {
    const { size } = this.offer;
    this.audit('file.offered');
    try {
      const limits = this.ctx.limits();
      if (!limits.enabled) return this.decline(DISABLED_REASON);
      if (size > limits.maxFileBytes) return this.decline(`The file is too large (${formatBytes(size)}; the limit is ${formatBytes(limits.maxFileBytes)})`);
      if (busy) return this.decline('Too many files at once; send it again when the current ones are done');
      // The free-space check runs inside this offer's turn: the first await must be taking the
      // turn, or a slow check would let a later offer be asked about first.
      const noRoom = `Not enough free disk space for ${formatBytes(size)}`;
      const answer = await this.ask(async () => ((await hasRoomFor(this.ctx.downloadsDir, size, this.ctx.io.statfs)) ? null : noRoom));
      if (this.finished) return;
      if (!answer.accept) return this.decline(answer.reason, answer.reason === 'declined' ? 'declined by you' : answer.reason);
      const folder = answer.folder ?? this.ctx.downloadsDir;
      if (!(await hasRoomFor(folder, size, this.ctx.io.statfs))) return this.decline(`Not enough free disk space for ${formatBytes(size)}`);
      if (this.finished) return;

      this.creating = PartFile.create({ folder, name: this.name, size, writeAt: this.ctx.io.writeAt });
      const part = await this.creating;
      // Cancelled or disconnected while the file was being created: end() removes it.
      if (this.finished) return;
      this.part = part;
      this.hasher = createChunkHasher(size, this.ctx.logger, this.ctx.hashWorkerMinBytes);
      this.streaming = true;
      this.audit('file.accepted');
      this.ctx.send({ type: 'accept', transferId: this.id });
      this.progress.update({ state: 'transferring' });
      this.idleTimer = unrefTimer(this.ctx.timeouts.idleMs, () => this.fail(`no data from ${this.ctx.peerName} for ${Math.round(this.ctx.timeouts.idleMs / 1000)} s`, 'the transfer stalled'));
    } catch (e) {
      this.ctx.logger.warn('could not prepare an incoming file', { transferId: this.id, error: e });
      this.fail(`could not save the file: ${describeIoError(e)}`, 'the receiver could not save the file');
    }
  }

  /** A files-channel message for this transfer, from the sender. */
  handle(msg: FilesMessage, body?: Uint8Array): void {
    if (this.finished || this.committing) return;
    this.idleTimer?.refresh();
    switch (msg.type) {
      case 'chunk':
        return this.chunk(msg, body);
      case 'done':
        return void this.complete(msg.sha256);
      case 'cancel':
        return this.end('cancelled', `cancelled by ${this.ctx.peerName}`);
      case 'error':
        return this.end('failed', `${this.ctx.peerName}'s side reported: ${cleanPeerText(msg.reason)}`);
      default:
        return this.fail(`${this.ctx.peerName}'s side sent an unexpected ${msg.type} message`, `protocol error: unexpected ${msg.type}`);
    }
  }

  /** Stops on the user's request and tells the sender. */
  cancel(reason = 'cancelled by you'): void {
    this.end('cancelled', reason, { type: 'cancel', transferId: this.id, by: 'receiver', reason: 'cancelled by the receiver' });
  }

  /** Ends without a message to the peer (link lost, service stopped). */
  abandon(reason: string): void {
    this.end('failed', reason);
  }

  /** Ends with an `error` to the sender; `peerReason` is what they are told. */
  fail(reason: string, peerReason: string): void {
    this.end('failed', reason, { type: 'error', transferId: this.id, reason: peerReason });
  }

  private chunk(msg: FileChunkMessage, body: Uint8Array | undefined): void {
    const { part, hasher } = this;
    if (!this.streaming || !part || !hasher || !body) return this.fail(`${this.ctx.peerName}'s side sent data before the file was accepted`, 'protocol error: data before accept');
    if (msg.index !== this.nextIndex || msg.offset !== this.nextOffset) return this.fail('the data arrived out of order', 'protocol error: chunk out of order');
    if (msg.offset + body.byteLength > this.offer.size) return this.fail(`${this.ctx.peerName}'s side sent more data than it offered`, 'protocol error: more data than offered');
    if (this.unacked >= FILE_WINDOW_CHUNKS) return this.fail(`${this.ctx.peerName}'s side sent too fast`, 'protocol error: window exceeded');

    // Copy into a buffer of ours: the link may reuse `body` once this callback returns, and the
    // hash and the write below finish later. The window check above bounds how many are in use.
    let buf: Buffer;
    try {
      buf = hasher.take();
    } catch (e) {
      this.ctx.logger.error('no buffer for a received chunk', { transferId: this.id, error: e });
      return this.fail('an internal error occurred while receiving the file', 'the receiver could not take the data');
    }
    buf.set(body);
    const length = body.byteLength;
    const { index, offset } = msg;
    this.nextIndex++;
    this.nextOffset += length;
    this.unacked++;
    // Hash and write run in parallel (writes are positional and independent); acks still go out
    // strictly in index order, once a chunk is both verified and written.
    const entry = { index, length, ready: false };
    this.ackQueue.push(entry);
    const verified = hasher.hash(buf, length, msg.sha256).then((sha256) => {
      const ok = sha256 === msg.sha256;
      if (!ok) this.fail('a piece of the file arrived damaged (SHA-256 mismatch)', 'a chunk failed its SHA-256 check');
      return ok;
    });
    const written = part.write(buf.subarray(0, length), offset).then(
      () => true,
      (e: unknown) => {
        this.ctx.logger.warn('writing a received file failed', { transferId: this.id, error: e });
        this.fail(`could not save the file: ${describeIoError(e)}`, 'the receiver could not write the file');
        return false;
      },
    );
    const settled = Promise.all([verified, written]).then(
      ([ok, wrote]) => {
        if (!ok || !wrote || this.finished) return;
        hasher.release(buf);
        entry.ready = true;
        this.flushAcks();
        this.flushNowAndThen(part, length);
      },
      (e: unknown) => {
        this.ctx.logger.error('checking a received chunk failed', { transferId: this.id, error: e });
        this.fail('an internal error occurred while checking the file', 'the receiver could not check the file');
      },
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
  }

  private flushAcks(): void {
    if (this.finished) return;
    let acked = false;
    while (this.ackQueue[0]?.ready) {
      const { index, length } = this.ackQueue.shift()!;
      this.unacked--;
      this.written += length;
      this.ctx.send({ type: 'ack', transferId: this.id, index });
      acked = true;
    }
    if (acked) this.progress.update({ bytesDone: this.written });
  }

  /**
   * Starts a background fdatasync every FLUSH_EVERY_BYTES (one at a time), so the disk writes the
   * file while it arrives instead of all at once before the rename. It is tracked with the writes,
   * so nothing closes the file under it.
   */
  private flushNowAndThen(part: PartFile, length: number): void {
    this.unflushed += length;
    if (this.flushing || this.unflushed < FLUSH_EVERY_BYTES) return;
    this.unflushed = 0;
    this.flushing = true;
    const flushed = part.flush().then(
      () => void (this.flushing = false),
      (e: unknown) => {
        this.ctx.logger.warn('flushing a received file failed', { transferId: this.id, error: e });
        this.fail(`could not save the file: ${describeIoError(e)}`, 'the receiver could not write the file');
      },
    );
    this.inFlight.add(flushed);
    void flushed.then(() => this.inFlight.delete(flushed));
  }

  /** Resolves when no chunk is being hashed or written (these never reject: failures are handled where they happen). */
  private async writesSettled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** `done`: every byte must be here; then the whole-file hash decides (against `expected`, the sender's), then the rename. */
  private async complete(expected: string): Promise<void> {
    const part = this.part;
    if (!this.streaming || !part || !this.hasher) return this.fail(`${this.ctx.peerName}'s side finished before the file was accepted`, 'protocol error: done before accept');
    if (this.nextOffset !== this.offer.size) return this.fail('the file arrived incomplete', 'protocol error: done before all data');
    this.streaming = false;
    this.progress.update({ state: 'verifying' });
    let digest: string;
    try {
      await this.writesSettled();
      if (this.finished) return;
      digest = await this.hasher.digest();
    } catch (e) {
      if (!this.finished) this.ctx.logger.error('hashing a received file failed', { transferId: this.id, error: e });
      return this.fail('an internal error occurred while checking the file', 'the receiver could not check the file');
    }
    if (this.finished) return;
    if (digest !== expected) return this.fail('the file arrived damaged (its SHA-256 does not match)', 'the file failed its SHA-256 check');
    this.sha256 = digest;
    this.committing = true;
    let savedAs: string;
    try {
      savedAs = await part.commit();
    } catch (e) {
      this.committing = false;
      this.ctx.logger.warn('could not put a received file in place', { transferId: this.id, error: e });
      return this.fail(`could not save the file: ${describeIoError(e)}`, 'the receiver could not save the file');
    }
    if (!this.ctx.linkClosed()) this.ctx.send({ type: 'complete', transferId: this.id });
    this.end('completed', undefined, undefined, savedAs);
  }

  /** Asks the user, with a safety timeout; a sender's cancel or a lost link closes the prompt. */
  private async ask(precheck: () => Promise<string | null>): Promise<Answer> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Answer>((resolve) => {
      timer = unrefTimer(this.ctx.timeouts.askMs, () => resolve({ accept: false, reason: 'timed out' }));
    });
    try {
      const asked = Promise.resolve()
        .then(() => this.ctx.askAccept({ transferId: this.id, name: this.name, size: this.offer.size, peerName: this.ctx.peerName, signal: this.asking.signal }, precheck))
        .then((a: AcceptAnswer | { accept: false; reason: string }): Answer => {
          if (a?.accept !== true) return { accept: false, reason: 'reason' in a ? a.reason : 'declined' };
          return typeof a.folder === 'string' && a.folder !== '' ? { accept: true, folder: a.folder } : { accept: true };
        })
        .catch((e: unknown): Answer => {
          this.ctx.logger.warn('asking about an incoming file failed', { transferId: this.id, error: e });
          return { accept: false, reason: 'could not ask the user' };
        });
      // A transfer that ended meanwhile (sender cancelled, link lost) stops waiting for the user.
      const ended = new Promise<Answer>((resolve) =>
        this.asking.signal.addEventListener('abort', () => resolve({ accept: false, reason: 'cancelled' }), { once: true }),
      );
      return await Promise.race([asked, timeout, ended]);
    } finally {
      clearTimeout(timer);
      // Whatever ended the question, the prompt has nothing left to ask.
      this.asking.abort();
    }
  }

  private decline(peerReason: string, localReason = peerReason): void {
    if (this.finished) return;
    this.finished = true;
    this.asking.abort();
    if (!this.ctx.linkClosed()) this.ctx.send({ type: 'decline', transferId: this.id, reason: peerReason });
    this.audit('file.declined', localReason);
    this.progress.update({ state: 'declined', reason: localReason });
    this.markClosed();
  }

  /** The one way an accepted (or pending) transfer ends; the final state is published after the `.part` is gone. */
  private end(state: Final, reason?: string, notify?: FilesMessage, savedAs?: string): void {
    // Once the verified file is being renamed into place, only that rename decides the outcome.
    if (this.finished || (this.committing && state !== 'completed')) return;
    this.finished = true;
    this.streaming = false;
    this.asking.abort();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (notify && !this.ctx.linkClosed()) this.ctx.send(notify);
    const hasher = this.hasher;
    if (reason) this.ctx.logger.info('file receive ended', { transferId: this.id, state, reason });
    void (async () => {
      try {
        const part = this.part ?? (await this.creating?.catch(() => null));
        await this.writesSettled();
        hasher?.close();
        if (part && state !== 'completed') await part.abort();
      } catch (e) {
        this.ctx.logger.error('cleaning up an incoming file failed', { transferId: this.id, error: e });
      }
      this.audit(state === 'completed' ? 'file.completed' : 'file.failed', reason, savedAs);
      this.progress.update({ state, ...(reason ? { reason } : {}), ...(savedAs ? { savedAs } : {}), ...(state === 'completed' && this.sha256 ? { sha256: this.sha256 } : {}) });
      this.markClosed();
    })();
  }

  private audit(type: 'file.offered' | 'file.accepted' | 'file.declined' | 'file.completed' | 'file.failed', reason?: string, savedAs?: string): void {
    this.ctx.audit({
      type,
      direction: 'receive',
      transferId: this.id,
      name: this.name,
      size: this.offer.size,
      ...(this.sha256 ? { sha256: this.sha256 } : {}),
      ...(reason ? { reason } : {}),
      ...(savedAs ? { savedAs } : {}),
    });
  }
}

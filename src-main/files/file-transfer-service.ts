import { AppError } from '../../src-shared/contract/errors';
import { decodeFilesMessage, type FilesMessage } from '../../src-shared/protocol/files';
import type { PeerChannel } from '../link/link-types';
import type { AppLogger } from '../platform/app-logger';
import { DISABLED_REASON, IncomingTransfer } from './incoming-transfer';
import { OutgoingTransfer } from './outgoing-transfer';
import { ProgressHub } from './progress-hub';
import { DEFAULT_TIMEOUTS, tagLogger, type TransferContext } from './transfer-context';
import type { AcceptAnswer, FileTransferLimits, FileTransferServiceOptions, IncomingFileOffer, TransferProgress } from './transfer-types';

const noop = () => undefined;

/** Shown to each side when the link drops mid-transfer. */
export const CONNECTION_LOST = 'the connection was lost';

/**
 * File transfer in both directions over the link's `files` channel (DESIGN.md section 2). Outgoing
 * files are sent one at a time in the order queued (one file keeps the link full; running several
 * at once would only split the same bandwidth and make each finish later). Incoming files are
 * handled as the peer sends them, up to `maxIncoming` at once.
 */
export class FileTransferService {
  private readonly channel: PeerChannel;
  private readonly hub: ProgressHub;
  private readonly logger: AppLogger;
  private readonly ctx: TransferContext;
  private readonly outgoing = new Map<string, OutgoingTransfer>();
  private readonly incoming = new Map<string, IncomingTransfer>();
  private readonly queue: OutgoingTransfer[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private limits: FileTransferLimits;
  private writable = true;
  private pumping = false;
  private stopped: string | null = null;
  private askChain: Promise<void> = Promise.resolve();
  private malformedCount = 0;

  constructor(private readonly opts: FileTransferServiceOptions) {
    this.limits = { ...opts.limits };
    this.logger = tagLogger(opts.logger, { area: 'files', side: opts.side });
    this.hub = new ProgressHub(this.logger);
    this.channel = opts.link.channel('files');
    this.ctx = {
      send: (message: FilesMessage, body?: Uint8Array) => {
        const ok = this.channel.send(message, body);
        if (!ok) this.writable = false;
        return ok;
      },
      writable: () => this.writable,
      linkClosed: () => opts.link.closed || this.stopped !== null,
      peerName: opts.peerName,
      logger: this.logger,
      hub: this.hub,
      timeouts: { ...DEFAULT_TIMEOUTS, ...opts.timeouts },
      downloadsDir: opts.downloadsDir,
      io: opts.io ?? {},
      limits: () => this.limits,
      askAccept: (offer, precheck) => this.askInTurn(offer, precheck),
      hashWorkerMinBytes: opts.hashWorkerMinBytes,
      audit: (event) => {
        try {
          opts.audit?.({ ...event, peerName: opts.peerName });
        } catch (e) {
          this.logger.warn('file audit callback threw', { error: e });
        }
      },
    };
    this.unsubscribe.push(
      this.channel.onMessage((header, body) => this.receive(header, body)),
      this.channel.onDrain(() => {
        this.writable = true;
        for (const t of this.outgoing.values()) t.drained();
      }),
      opts.link.onClose(() => this.stopAll(CONNECTION_LOST)),
    );
    if (opts.link.closed) this.stopped = CONNECTION_LOST;
  }

  /**
   * Queues files to send; each is hashed, offered, and sent once the peer accepts. Returns their
   * transfer ids at once; everything after that is reported through `onProgress`.
   */
  send(paths: string[]): string[] {
    if (!this.limits.enabled) throw new AppError('disabled-by-policy', DISABLED_REASON);
    if (this.stopped) throw new AppError('unavailable', `Files cannot be sent: ${this.stopped}`);
    const ids: string[] = [];
    for (const p of paths) {
      const t = new OutgoingTransfer(this.ctx, p);
      this.outgoing.set(t.id, t);
      this.queue.push(t);
      ids.push(t.id);
      void t.closed.then(() => this.outgoing.delete(t.id));
    }
    void this.pump();
    return ids;
  }

  /** Cancels a transfer in either direction (queued, waiting or running). False if there is none. */
  cancel(transferId: string): boolean {
    const t = this.outgoing.get(transferId) ?? this.incoming.get(transferId);
    if (!t || t.done) return false;
    t.cancel();
    return true;
  }

  /** Progress of every transfer, at most ~10 updates/s each; final states always arrive. */
  onProgress(cb: (p: TransferProgress) => void): () => void {
    return this.hub.onProgress(cb);
  }

  /** Current and recent transfers, both directions. */
  list(): TransferProgress[] {
    return this.hub.list();
  }

  /** New settings apply to offers from now on (and to `send`). */
  setLimits(limits: FileTransferLimits): void {
    this.limits = { ...limits };
  }

  /**
   * Stops listening and cancels every unfinished transfer (telling the peer while the link is up);
   * resolves once their `.part` files are gone.
   */
  async dispose(reason = 'file transfer stopped'): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    this.queue.length = 0;
    const incoming = [...this.incoming.values()];
    for (const t of [...this.outgoing.values(), ...incoming]) t.cancel(reason);
    this.stopped ??= reason;
    await Promise.all(incoming.map((t) => t.closed));
  }

  /** The link is gone: every transfer fails without a word to the peer. */
  private async stopAll(reason: string): Promise<void> {
    this.stopped ??= reason;
    this.queue.length = 0;
    for (const t of this.outgoing.values()) t.abandon(reason);
    const incoming = [...this.incoming.values()];
    for (const t of incoming) t.abandon(reason);
    await Promise.all(incoming.map((t) => t.closed));
  }

  /**
   * One consent prompt at a time: a well-behaved peer offers one file at a time anyway, so only a
   * misbehaving one could stack prompts. A prompt whose offer went away meanwhile is skipped, and a
   * prompt that ignores its abort signal does not hold up the next one.
   */
  private askInTurn(offer: IncomingFileOffer, precheck?: () => Promise<string | null>): Promise<AcceptAnswer | { accept: false; reason: string }> {
    // The turn is taken synchronously, when the offer arrives, so offers are asked about in order.
    const turn = this.askChain.then(async (): Promise<AcceptAnswer | { accept: false; reason: string }> => {
      if (offer.signal.aborted) return { accept: false };
      const refusal = precheck ? await precheck() : null;
      if (refusal !== null) return { accept: false, reason: refusal };
      return offer.signal.aborted ? { accept: false } : this.opts.askAccept(offer);
    });
    const aborted = new Promise<void>((resolve) => {
      if (offer.signal.aborted) resolve();
      else offer.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    this.askChain = Promise.race([turn.then(noop, noop), aborted]);
    return turn;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let t = this.queue.shift(); t; t = this.queue.shift()) {
        await t.run();
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Everything the peer sends on `files` lands here; nothing it sends can make this throw. */
  private receive(header: unknown, body: Uint8Array | undefined): void {
    try {
      const decoded = decodeFilesMessage(header, body);
      if (!decoded.ok) return this.malformed(decoded.error, decoded.type, decoded.transferId);
      const msg = decoded.message;
      switch (msg.type) {
        case 'offer':
          return this.offered(msg);
        case 'chunk':
        case 'done':
          return this.incoming.get(msg.transferId)?.handle(msg, decoded.body);
        case 'accept':
        case 'decline':
        case 'ack':
        case 'complete':
          return this.outgoing.get(msg.transferId)?.handle(msg);
        case 'cancel':
          return (msg.by === 'sender' ? this.incoming : this.outgoing).get(msg.transferId)?.handle(msg);
        case 'error':
          this.incoming.get(msg.transferId)?.handle(msg);
          this.outgoing.get(msg.transferId)?.handle(msg);
          return;
      }
    } catch (e) {
      this.logger.error('file message handling failed', { error: e });
    }
  }

  private offered(msg: Extract<FilesMessage, { type: 'offer' }>): void {
    if (this.incoming.has(msg.transferId) || this.stopped) {
      this.logger.warn('ignored a file offer', { transferId: msg.transferId, why: this.stopped ?? 'duplicate id' });
      return;
    }
    const busy = [...this.incoming.values()].filter((t) => !t.done).length >= (this.opts.maxIncoming ?? 4);
    const t = new IncomingTransfer(this.ctx, msg);
    this.incoming.set(t.id, t);
    void t.start(busy);
    // Finished transfers leave the map once their clean-up is over; chunks for them are then dropped as unknown.
    void t.closed.then(() => {
      if (this.incoming.get(t.id) === t) this.incoming.delete(t.id);
    });
  }

  private malformed(error: string, type: string | undefined, transferId: string | undefined): void {
    // A flood of junk must not flood the log too: the first few, then one in a thousand.
    if (++this.malformedCount <= 20 || this.malformedCount % 1000 === 0) {
      this.logger.warn('malformed file message dropped', { error, type, transferId, count: this.malformedCount });
    }
    if (!transferId) return;
    if (type === 'offer' && !this.incoming.has(transferId) && !this.stopped) {
      // Refuse it so the sender does not wait for an answer that will never come.
      this.ctx.send({ type: 'decline', transferId, reason: 'malformed offer' });
      return;
    }
    const incoming = this.incoming.get(transferId);
    if (incoming && (type === 'chunk' || type === 'done' || type === 'cancel' || type === 'error')) {
      incoming.fail(`${this.opts.peerName}'s side sent a malformed ${type} message`, `protocol error: ${error}`);
    }
    const outgoing = this.outgoing.get(transferId);
    if (outgoing && type !== 'offer' && type !== 'chunk' && type !== 'done') outgoing.protocolViolation(`a malformed ${type ?? 'files'} message`);
  }
}

/**
 * Incoming application messages (channels 1–255): look up the channel, parse the JSON header,
 * validate it against the channel's schema, and hand it to the subscribers.
 *
 * The peer is authenticated, not trusted, so nothing it sends here may break main: unknown
 * channels, unparsable or schema-violating headers are dropped and logged (rate-limited, without
 * the values, which may be private), and a throwing subscriber is logged, not propagated.
 */
import { CHANNEL_IDS, CHANNELS, type ChannelName } from '../../src-shared/protocol/channels';
import type { ChannelSchemas, LinkLog } from './link-options';
import { RateLimitedLog } from './rate-limited-log';

const CHANNEL_BY_ID = new Map<number, ChannelName>(CHANNELS.map((name) => [CHANNEL_IDS[name], name]));

/** A channel subscriber, as in PeerChannel.onMessage. */
export type MessageHandler = (header: unknown, body: Uint8Array | undefined) => void;

/** Bounds of the waiting room for messages that arrive before their channel has a subscriber. */
const EARLY_MAX_MESSAGES = 1024;
const EARLY_MAX_BYTES = 8 * 1024 * 1024;

type Waiting = { header: unknown; body: Buffer | undefined; size: number };

/** Routes validated messages to channel subscribers. */
export class ChannelDispatcher {
  private readonly handlers = new Map<ChannelName, Set<MessageHandler>>();
  /** Channels that have had a subscriber at least once (after that, no subscriber means drop). */
  private readonly subscribed = new Set<ChannelName>();
  private readonly early = new Map<ChannelName, Waiting[]>();
  private earlyCount = 0;
  private earlyBytes = 0;
  private readonly drops: RateLimitedLog;
  private stopped = false;

  constructor(
    private readonly schemas: ChannelSchemas,
    private readonly log: LinkLog,
    private readonly peerName: string,
  ) {
    this.drops = new RateLimitedLog(log);
  }

  /**
   * Subscribes to a channel. Messages that arrived before the channel's first subscriber are
   * delivered to it right after this returns, in order: a service that subscribes after an
   * `await` (say, once consent is asked) must not lose what the peer sent first.
   */
  subscribe(name: ChannelName, cb: MessageHandler): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(cb);
    if (!this.subscribed.has(name)) {
      this.subscribed.add(name);
      if (this.early.has(name)) queueMicrotask(() => this.flushEarly(name));
    }
    return () => set.delete(cb);
  }

  /** Dispatches one decrypted frame of an application channel. */
  dispatch(channelId: number, headerBytes: Buffer, body: Buffer | undefined): void {
    const name = CHANNEL_BY_ID.get(channelId);
    if (!name) return this.drop('unknown channel', { channelId });
    const schema = this.schemas[name];
    if (!schema) return this.drop('no schema for this channel', { channel: name });
    let header: unknown;
    try {
      header = JSON.parse(headerBytes.toString('utf8'));
    } catch {
      return this.drop('header is not JSON', { channel: name });
    }
    const parsed = schema.safeParse(header);
    if (!parsed.success) {
      // Issue paths and codes only: the values may be private (chat text, file names).
      const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), code: i.code }));
      return this.drop('header failed its schema', { channel: name, issues });
    }
    this.deliver(name, parsed.data, body);
  }

  /** Stops delivering (the link closed); waiting messages are discarded. */
  stop(): void {
    this.stopped = true;
    this.early.clear();
  }

  private deliver(name: ChannelName, header: unknown, body: Buffer | undefined): void {
    const waiting = this.early.get(name);
    const hs = this.handlers.get(name);
    if (!waiting && hs && hs.size > 0) {
      for (const h of [...hs]) this.call(name, h, header, body);
      return;
    }
    if (this.subscribed.has(name) && !waiting) return this.drop('no handler for this channel', { channel: name });
    const size = (body?.length ?? 0) + 256;
    if (this.earlyCount >= EARLY_MAX_MESSAGES || this.earlyBytes + size > EARLY_MAX_BYTES) {
      return this.drop('no handler yet and the waiting room is full', { channel: name });
    }
    this.earlyCount++;
    this.earlyBytes += size;
    if (waiting) waiting.push({ header, body, size });
    else this.early.set(name, [{ header, body, size }]);
  }

  private flushEarly(name: ChannelName): void {
    const queue = this.early.get(name) ?? [];
    // Indexed loop: messages dispatched while flushing are appended to this same queue.
    for (let i = 0; i < queue.length; i++) {
      const m = queue[i]!;
      this.earlyCount--;
      this.earlyBytes -= m.size;
      if (this.stopped) continue;
      for (const h of [...(this.handlers.get(name) ?? [])]) this.call(name, h, m.header, m.body);
    }
    this.early.delete(name);
  }

  private call(name: ChannelName, h: MessageHandler, header: unknown, body: Buffer | undefined): void {
    if (this.stopped) return;
    try {
      h(header, body);
    } catch (e) {
      // A buggy service must not take the link (or main) down with it.
      this.log('error', `a link ${name} message handler threw`, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private drop(why: string, fields: Record<string, unknown>): void {
    this.drops.warn(`link message dropped: ${why}`, { peer: this.peerName, ...fields });
  }
}

import crypto from 'node:crypto';
import type { ChatEntry } from '../../src-shared/contract/index';
import { ChatMessage, MAX_CHAT_LENGTH } from '../../src-shared/protocol/control';
import { AppError } from '../../src-shared/contract/errors';
import type { PeerLink } from '../link/link-types';
import type { AppLogger } from '../platform/app-logger';
import type { AuditSink } from './session-ports';

/** Most entries kept in memory for a page that reloads; the audit log has them all. */
const HISTORY_LIMIT = 2000;

/**
 * Chat on the link's `chat` channel. Every message, both ways, goes to the audit log (the white
 * paper's log records the conversation). Text is stored and passed on as text only.
 */
export class ChatService {
  private readonly entries: ChatEntry[] = [];
  private readonly dispose: () => void;

  constructor(
    private readonly link: PeerLink,
    private readonly audit: AuditSink,
    private readonly onEntry: (entry: ChatEntry) => void,
    private readonly logger: AppLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.dispose = link.channel('chat').onMessage((raw) => this.receive(raw));
  }

  history(): ChatEntry[] {
    return [...this.entries];
  }

  send(text: string): ChatEntry {
    if (this.link.closed) throw new AppError('unavailable', 'The session has ended; the message was not sent.');
    if (!text.trim() || text.length > MAX_CHAT_LENGTH) throw new AppError('invalid-input', `A message must have 1 to ${MAX_CHAT_LENGTH} characters.`);
    const msg: ChatMessage = { type: 'chat', id: crypto.randomUUID(), text, sentAt: this.now() };
    this.link.channel('chat').send(msg);
    return this.add({ id: msg.id, from: 'local', name: this.link.localName, text, at: msg.sentAt });
  }

  close(): void {
    this.dispose();
  }

  private receive(raw: unknown): void {
    const m = ChatMessage.safeParse(raw);
    if (!m.success) {
      this.logger.warn('dropped a malformed chat message');
      return;
    }
    // The peer's clock is not trusted for ordering or display: stamp arrival time.
    this.add({ id: `peer-${m.data.id}`, from: 'peer', name: this.link.peerName, text: m.data.text, at: this.now() });
  }

  private add(entry: ChatEntry): ChatEntry {
    this.entries.push(entry);
    if (this.entries.length > HISTORY_LIMIT) this.entries.splice(0, this.entries.length - HISTORY_LIMIT);
    this.audit({ type: 'chat.message', from: entry.from, text: entry.text });
    this.onEntry(entry);
    return entry;
  }
}

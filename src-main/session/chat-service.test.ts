import { describe, expect, it, vi } from 'vitest';
import { createMemoryLinkPair } from '../link/memory-link';
import { createMemoryLogger } from '../platform/app-logger';
import type { ChatEntry } from '../../src-shared/contract/index';
import { ChatService } from './chat-service';
import type { AuditSink } from './session-ports';

type SessionAuditEvent = Parameters<AuditSink>[0];

function pair() {
  const [a, b] = createMemoryLinkPair(['Helen', 'Rita']);
  const got: { a: ChatEntry[]; b: ChatEntry[] } = { a: [], b: [] };
  const audit: { a: SessionAuditEvent[]; b: SessionAuditEvent[] } = { a: [], b: [] };
  const logger = createMemoryLogger();
  const ca = new ChatService(a, (e) => audit.a.push(e), (e) => got.a.push(e), logger);
  const cb = new ChatService(b, (e) => audit.b.push(e), (e) => got.b.push(e), logger);
  return { a, b, ca, cb, got, audit, logger };
}

describe('chat over the link', () => {
  it('delivers both ways, names the sender and audits every message on both sides', async () => {
    const p = pair();
    p.ca.send('hello from Helen');
    p.cb.send('hi Helen');
    await vi.waitFor(() => expect(p.got.b.filter((e) => e.from === 'peer')).toHaveLength(1));
    await vi.waitFor(() => expect(p.got.a.filter((e) => e.from === 'peer')).toHaveLength(1));
    expect(p.got.b.find((e) => e.from === 'peer')).toMatchObject({ name: 'Helen', text: 'hello from Helen' });
    expect(p.audit.a).toEqual([
      { type: 'chat.message', from: 'local', text: 'hello from Helen' },
      { type: 'chat.message', from: 'peer', text: 'hi Helen' },
    ]);
    expect(p.cb.history().map((e) => e.text)).toEqual(['hi Helen', 'hello from Helen']);
  });

  it('carries odd text unchanged: RTL, emoji, control characters, 10 000 characters', async () => {
    const p = pair();
    const texts = ['مرحبا بالعالم', '👩🏽‍💻🎉', 'a\u0000b\u001b[31mred\u202Eevil', '<script>alert(1)</script>', 'x'.repeat(10_000)];
    for (const t of texts) p.ca.send(t);
    await vi.waitFor(() => expect(p.got.b).toHaveLength(texts.length));
    expect(p.got.b.map((e) => e.text)).toEqual(texts);
  });

  it('refuses empty and oversized messages, and anything after the link closed', () => {
    const p = pair();
    expect(() => p.ca.send('   ')).toThrow(/1 to/);
    expect(() => p.ca.send('x'.repeat(10_001))).toThrow(/1 to/);
    p.a.close();
    expect(() => p.ca.send('late')).toThrow(/ended/);
  });

  it('drops malformed chat messages from the peer', async () => {
    const p = pair();
    p.a.channel('chat').send({ type: 'chat', id: 'x', text: 42, sentAt: 1 });
    p.a.channel('chat').send({ type: 'chat', id: 'x', text: 'y'.repeat(10_001), sentAt: 1 });
    p.a.channel('chat').send({ type: 'chat', id: 'x', text: 'ok', sentAt: 1, html: '<b>' });
    p.ca.send('real');
    await vi.waitFor(() => expect(p.got.b).toHaveLength(1));
    expect(p.got.b[0]!.text).toBe('real');
    expect(p.logger.entries.filter((e) => e.message === 'dropped a malformed chat message')).toHaveLength(3);
  });
});

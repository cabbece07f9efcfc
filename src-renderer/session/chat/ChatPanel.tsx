import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_CHAT_LENGTH } from '../../../src-shared/protocol/control';
import { useAppStore } from '../../store/store-context';
import { displaySafe } from './display-safe';

/** Chat with the other side. Text is always text (React escapes it); odd characters are made visible. */
export function ChatPanel() {
  const entries = useAppStore((s) => s.chat);
  const unread = useAppStore((s) => s.unread);
  const open = useAppStore((s) => s.chatOpen);
  const setOpen = useAppStore((s) => s.setChatOpen);
  const send = useAppStore((s) => s.sendChat);
  const ended = useAppStore((s) => s.session?.state === 'ended');
  const [draft, setDraft] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    listRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [entries.length, open]);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const text = draft.trim();
    if (!text) return;
    // Cleared at once, not after the send: what is typed while a message is on its way must not be
    // wiped when it arrives. A message that could not be sent comes back, before anything typed since.
    setDraft('');
    if (!(await send(text))) setDraft((typed) => (typed ? `${text}\n${typed}` : text));
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    }
  };
  return (
    <aside className="chat" aria-label="Chat" data-testid="chat-panel">
      <button type="button" className="chat-toggle" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="chat-toggle">
        Chat
        {unread > 0 && (
          <span className="badge" data-testid="chat-unread" aria-label={`${unread} unread`}>
            {unread}
          </span>
        )}
      </button>
      {open && (
        <>
          <ol ref={listRef} className="chat-list" aria-live="polite">
            {entries.map((m) => (
              <li key={m.id} className={`chat-entry chat-${m.from}`} data-testid="chat-entry" data-from={m.from}>
                <span className="chat-name">{m.name}</span>
                <span className="chat-text" dir="auto">
                  {displaySafe(m.text)}
                </span>
              </li>
            ))}
          </ol>
          <form className="chat-form" onSubmit={(e) => void submit(e)}>
            <textarea value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKey} maxLength={MAX_CHAT_LENGTH} rows={2} placeholder={ended ? 'The session has ended' : 'Type a message; Enter sends'} disabled={ended} aria-label="Message" data-testid="chat-input" />
            <button type="submit" className="button" disabled={ended || !draft.trim()} data-testid="chat-send">
              Send
            </button>
          </form>
        </>
      )}
    </aside>
  );
}

import { useState, type FormEvent } from 'react';
import { useAppStore } from '../store/store-context';
import { LOG_PAGE_SIZE } from './logs-slice';

const TYPES = ['', 'invitation.created', 'connection.attempt', 'password.failed', 'consent.asked', 'consent.granted', 'consent.declined', 'control.granted', 'control.revoked', 'session.paused', 'chat.message', 'file.offered', 'file.completed', 'file.failed', 'session.ended'];

/** One session's events, a page at a time (a log may hold 100 000 events), with filters and export. */
export function LogTimeline() {
  const events = useAppStore((s) => s.logEvents);
  const total = useAppStore((s) => s.logTotal);
  const offset = useAppStore((s) => s.logOffset);
  const filter = useAppStore((s) => s.logFilter);
  const busy = useAppStore((s) => s.logsBusy);
  const setFilter = useAppStore((s) => s.setLogFilter);
  const page = useAppStore((s) => s.loadLogPage);
  const exportLog = useAppStore((s) => s.exportLog);
  const verify = useAppStore((s) => s.verifyLog);
  const [search, setSearch] = useState(filter.search);
  const download = async (format: 'json' | 'xml') => {
    const r = await exportLog(format);
    if (!r) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([r.text], { type: format === 'xml' ? 'application/xml' : 'application/json' }));
    a.download = r.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void setFilter({ ...filter, search });
  };
  return (
    <section className="card" aria-label="Session events" data-testid="log-timeline">
      <form className="row log-toolbar" onSubmit={submit}>
        <label>
          Show{' '}
          <select value={filter.type} onChange={(e) => void setFilter({ ...filter, type: e.target.value })} data-testid="log-type-filter">
            {TYPES.map((t) => (
              <option key={t} value={t}>
                {t || 'all events'}
              </option>
            ))}
          </select>
        </label>
        <input type="search" placeholder="Search" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search events" />
        <button type="submit" className="button">
          Search
        </button>
        <span className="spacer" />
        <button type="button" className="button" onClick={() => void verify()} data-testid="verify-log">
          Check integrity
        </button>
        <button type="button" className="button" onClick={() => void download('json')}>
          Export JSON
        </button>
        <button type="button" className="button" onClick={() => void download('xml')}>
          Export XML
        </button>
      </form>
      <ol className="timeline" start={offset + 1} aria-busy={busy}>
        {events.map((e) => (
          <li key={e.seq} data-testid="log-event" data-type={e.type}>
            <time dateTime={e.time}>{new Date(e.time).toLocaleTimeString()}</time> <strong>{e.type}</strong>{' '}
            <span className="muted log-fields">{Object.entries(e.fields).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ')}</span>
          </li>
        ))}
      </ol>
      <div className="row">
        <button type="button" className="button" disabled={offset === 0 || busy} onClick={() => void page(Math.max(0, offset - LOG_PAGE_SIZE))}>
          Previous
        </button>
        <span className="muted">
          {total === 0 ? 'No events' : `${offset + 1}–${Math.min(total, offset + LOG_PAGE_SIZE)} of ${total}`}
        </span>
        <button type="button" className="button" disabled={offset + LOG_PAGE_SIZE >= total || busy} onClick={() => void page(offset + LOG_PAGE_SIZE)}>
          Next
        </button>
      </div>
    </section>
  );
}

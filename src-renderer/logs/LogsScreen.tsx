import { useEffect } from 'react';
import { useAppStore } from '../store/store-context';
import { ScreenHeader } from '../components/ScreenHeader';
import { LogTimeline } from './LogTimeline';

const OUTCOME_TEXT: Record<string, string> = { ended: 'Ended', declined: 'Declined', expired: 'Expired', locked: 'Locked', cancelled: 'Cancelled', failed: 'Failed', incomplete: 'Incomplete' };

function duration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** The Logs page: every session this profile took part in, and what happened in each. */
export function LogsScreen() {
  const sessions = useAppStore((s) => s.logSessions);
  const load = useAppStore((s) => s.loadLogSessions);
  const select = useAppStore((s) => s.selectLog);
  const selected = useAppStore((s) => s.selectedLog);
  const folder = useAppStore((s) => s.logsFolder);
  const openFolder = useAppStore((s) => s.openLogsFolder);
  const message = useAppStore((s) => s.logsMessage);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <main className="screen wide">
      <ScreenHeader title="Session logs">
        <span className="spacer" />
        <button type="button" className="button" onClick={() => void load()}>
          Refresh
        </button>
        <button type="button" className="button" onClick={() => void openFolder()} title={folder ?? undefined}>
          Open folder
        </button>
      </ScreenHeader>
      {message && (
        <p className="notice" role="status" data-testid="logs-message">
          {message}
        </p>
      )}
      {sessions.length === 0 ? (
        <p className="muted">No sessions yet. Every invitation, offer and session is recorded here.</p>
      ) : (
        <table className="logs-table" data-testid="logs-table">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">What</th>
              <th scope="col">With</th>
              <th scope="col">Duration</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} className={s.id === selected ? 'selected' : ''} data-testid="log-row" data-outcome={s.outcome}>
                <td>
                  <button type="button" className="link-button" onClick={() => void select(s.id)} aria-pressed={s.id === selected}>
                    {s.startedAt ? new Date(s.startedAt).toLocaleString() : s.id}
                  </button>
                </td>
                <td>
                  {s.role === 'requester' ? 'You were helped' : s.role === 'helper' ? 'You helped' : '?'} ({s.kind === 'offer' ? 'offer' : 'invitation'})
                </td>
                <td>
                  {s.peerName ?? '—'} <span className="muted">{s.peerAddress ?? ''}</span>
                </td>
                <td>{duration(s.durationMs)}</td>
                <td>{OUTCOME_TEXT[s.outcome] ?? s.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <LogTimeline />}
    </main>
  );
}

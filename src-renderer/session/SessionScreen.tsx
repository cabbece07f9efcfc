import { useAppStore } from '../store/store-context';
import { RequesterBar } from './requester/RequesterBar';
import { Viewer } from './viewer/Viewer';
import { ChatPanel } from './chat/ChatPanel';
import { LocalPreview } from './requester/LocalPreview';
import { FilesPanel } from './files/FilesPanel';
import './styles.css';

const STATE_LABEL = {
  waiting: 'Waiting',
  'awaiting-consent': 'Waiting for consent',
  viewing: 'Viewing',
  controlling: 'Sharing control',
  paused: 'Paused',
  ended: 'Ended',
} as const;

/** The session window for both roles. */
export function SessionScreen() {
  const session = useAppStore((s) => s.session);
  const error = useAppStore((s) => s.sessionError);
  const dismiss = useAppStore((s) => s.dismissSession);
  const end = useAppStore((s) => s.endSession);
  const sendFiles = useAppStore((s) => s.sendFiles);
  const canDrop = useAppStore((s) => s.uploader !== null && s.filesEnabled);
  if (!session) {
    return (
      <main className="screen">
        <p>There is no session.</p>
        <button type="button" className="button" onClick={() => void dismiss()}>
          Back to start
        </button>
      </main>
    );
  }
  const ended = session.state === 'ended';
  return (
    <main
      className="session"
      data-testid="session"
      data-state={session.state}
      data-role={session.role}
      onDragOver={(e) => canDrop && !ended && e.preventDefault()}
      onDrop={(e) => {
        if (!canDrop || ended) return;
        e.preventDefault();
        void sendFiles([...e.dataTransfer.files]);
      }}
    >
      <header className="session-header row">
        <h1>
          {session.role === 'requester' ? `Helped by ${session.peerName}` : `Helping ${session.peerName}`}
        </h1>
        <span className={`state-badge state-${session.state}`} data-testid="session-state">
          {STATE_LABEL[session.state]}
        </span>
        <span className="muted">{session.peerAddress}</span>
        <span className="spacer" />
        {session.role === 'helper' && !ended && (
          <button type="button" className="button button-danger" onClick={() => void end()} data-testid="end-session">
            End session
          </button>
        )}
      </header>
      {session.role === 'requester' && !ended && <RequesterBar />}
      {session.notice && (
        <p className="notice" role="status" data-testid="session-notice">
          {session.notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="session-body">
        {ended ? (
          // The chat and the files stay beside it: what was said and where files went are still worth reading.
          <section className="card session-ended" data-testid="session-ended">
            <h2>The session has ended</h2>
            <p data-testid="ended-reason">{session.endedReason}</p>
            <p className="muted">Everything that happened is recorded in the session log.</p>
            <div className="row">
              <button type="button" className="button button-primary" onClick={() => void dismiss()} data-testid="dismiss-session">
                Back to start
              </button>
              <button type="button" className="button" onClick={() => void dismiss('logs')} data-testid="ended-open-logs">
                Session logs
              </button>
            </div>
          </section>
        ) : session.role === 'helper' ? (
          <Viewer />
        ) : (
          <LocalPreview />
        )}
        <div className="side-panels">
          <ChatPanel />
          <FilesPanel />
        </div>
      </div>
    </main>
  );
}

import { useState, type FormEvent } from 'react';
import { useAppStore } from '../../store/store-context';

const NEXT_STEP: Record<string, string> = {
  'wrong-password': 'Check the password with the person who invited you, then try again.',
  locked: 'Ask them to create a new invitation.',
  expired: 'Ask them to create a new invitation.',
  refused: 'Ask them to create a new invitation.',
  unreachable: 'Check that their computer is on and the invitation is still open. If it is, a firewall may be blocking the connection.',
  timeout: 'Check your network connection and try again.',
};

/** Step 2 of helping: who invited you, the password, connect. */
export function ConnectForm() {
  const opened = useAppStore((s) => s.opened)!;
  const phase = useAppStore((s) => s.connectPhase);
  const error = useAppStore((s) => s.connectError);
  const connect = useAppStore((s) => s.connectWithPassword);
  const reset = useAppStore((s) => s.resetHelp);
  const [password, setPassword] = useState('');
  const expires = new Date(opened.expiresAt);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password) void connect(password);
  };
  const blocked = opened.expired || error?.code === 'locked' || error?.code === 'expired';
  return (
    <form className="card" onSubmit={submit} aria-labelledby="connect-title" data-testid="connect-form">
      <h2 id="connect-title">
        Help {opened.requesterUser} on {opened.requesterComputer}
      </h2>
      <p className="muted" data-testid="invitation-summary">
        Invitation {opened.fileName} · {opened.expired ? 'expired' : 'valid until'} {expires.toLocaleString()} · {opened.allowControl ? 'you may ask to control their computer' : 'view only'}
      </p>
      {opened.expired && (
        <p className="error" role="alert" data-testid="invitation-expired">
          This invitation expired on {expires.toLocaleString()}. Ask for a new invitation.
        </p>
      )}
      <div className="field">
        <label htmlFor="invite-password">Password they gave you</label>
        <input id="invite-password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} disabled={phase === 'connecting' || blocked} data-testid="connect-password" autoFocus />
      </div>
      {error && (
        <div className="error" role="alert" data-testid="connect-error" data-code={error.code}>
          <p>{error.message}</p>
          {NEXT_STEP[error.code] && <p>{NEXT_STEP[error.code]}</p>}
        </div>
      )}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={!password || phase === 'connecting' || blocked} data-testid="connect">
          {phase === 'connecting' ? 'Connecting…' : 'Connect'}
        </button>
        <button type="button" className="button" onClick={reset}>
          Open a different invitation
        </button>
      </div>
      {phase === 'connecting' && <progress aria-label="Connecting" />}
    </form>
  );
}

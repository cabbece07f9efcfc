import { useState, type FormEvent } from 'react';
import { useAppStore } from '../../store/store-context';

const NEXT_STEP: Record<string, string> = {
  'invalid-input': 'Check each character with the person who gave you the code.',
  'not-found': 'Check the code; if it is right, ask them to create a new one.',
  'wrong-password': 'Check the code with the person who gave it to you, then try again.',
  locked: 'Ask them to create a new Easy Connect code.',
  unreachable: 'Check your network connection and the relay server in Remote settings.',
  unavailable: 'Wait a moment and try again.',
  timeout: 'Check your network connection and try again.',
};

/** The alternative to opening a file: type the Easy Connect code the requester read out. */
export function EasyConnectForm() {
  const relayConfigured = useAppStore((s) => !!s.settings?.settings.relayUrl?.value);
  const phase = useAppStore((s) => s.connectPhase);
  const error = useAppStore((s) => s.connectError);
  const connect = useAppStore((s) => s.connectWithCode);
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code.trim()) void connect(code);
  };
  if (!relayConfigured) {
    return (
      <p className="muted" data-testid="easy-connect-unavailable">
        Got a 12-character Easy Connect code instead of a file? Codes work through a relay server: set the same one as the person who invited you in Remote settings (Relay server).
      </p>
    );
  }
  const busy = phase === 'connecting';
  return (
    <form className="card" onSubmit={submit} aria-labelledby="easy-connect-title" data-testid="easy-connect-form">
      <h2 id="easy-connect-title">Or type an Easy Connect code</h2>
      <p className="muted">If the person you help read you a 12-character code (like k7mx-3aph-rtwn), type it here. Capitals, spaces and dashes do not matter.</p>
      <div className="field">
        <label htmlFor="easy-connect-code">Easy Connect code</label>
        <input
          id="easy-connect-code"
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={40}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          disabled={busy}
          data-testid="easy-connect-input"
        />
      </div>
      {error && (
        <div className="error" role="alert" data-testid="easy-connect-error" data-code={error.code}>
          <p>{error.message}</p>
          {NEXT_STEP[error.code] && <p>{NEXT_STEP[error.code]}</p>}
        </div>
      )}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={!code.trim() || busy} data-testid="easy-connect-connect">
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      {busy && <progress aria-label="Connecting" />}
    </form>
  );
}

import type { FormEvent } from 'react';
import { useAppStore } from '../../store/store-context';
import type { RecentComputer } from '../../../src-shared/contract/index';
import { OFFER_ERROR_TITLE, OFFER_NEXT_STEP } from './offer-texts';

/** "PC-42 (10.0.0.7:50000)", or just the address when the computer's name is the same. */
function recentLabel(c: RecentComputer): string {
  const address = c.port ? `${c.host}:${c.port}` : c.host;
  return c.computerName && c.computerName.toLowerCase() !== c.host.toLowerCase() ? `${c.computerName} (${address})` : address;
}

/** The computer to help (typed, or one of the recent ones), Connect, and what happened. */
export function OfferForm() {
  const host = useAppStore((s) => s.offerHost);
  const port = useAppStore((s) => s.offerPort);
  const phase = useAppStore((s) => s.offerPhase);
  const error = useAppStore((s) => s.offerError);
  const recent = useAppStore((s) => s.recentComputers);
  const setHost = useAppStore((s) => s.setOfferHost);
  const setPort = useAppStore((s) => s.setOfferPort);
  const connect = useAppStore((s) => s.offerHelp);
  const busy = phase === 'connecting';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void connect();
  };
  const reason = error?.reason ?? error?.code ?? 'unknown';
  return (
    <form className="card" onSubmit={submit} aria-labelledby="offer-title" data-testid="offer-form" data-phase={phase}>
      <h2 id="offer-title">Which computer do you want to help?</h2>
      <div className="row">
        <div className="field offer-host-field">
          <label htmlFor="offer-host">Computer name or IP address</label>
          <input id="offer-host" type="text" list="offer-recent" autoComplete="off" spellCheck={false} value={host} onChange={(e) => setHost(e.target.value)} disabled={busy} placeholder="pc-42 or 10.0.0.7" data-testid="offer-host" autoFocus />
          <datalist id="offer-recent">
            {recent.map((c) => (
              <option key={`${c.host}:${c.port ?? ''}`} value={c.host} label={c.computerName ?? undefined} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="offer-port">Port (optional)</label>
          <input id="offer-port" type="text" inputMode="numeric" size={6} value={port} onChange={(e) => setPort(e.target.value)} disabled={busy} placeholder="default" data-testid="offer-port" />
        </div>
      </div>
      {recent.length > 0 && (
        <div className="row" aria-label="Recent computers" data-testid="offer-recent">
          <span className="muted">Recent:</span>
          {recent.map((c) => (
            <button key={`${c.host}:${c.port ?? ''}`} type="button" className="link-button" onClick={() => setHost(c.host, c.port)} disabled={busy}>
              {recentLabel(c)}
            </button>
          ))}
        </div>
      )}
      {busy && (
        <div role="status" data-testid="offer-connecting">
          <p>Connecting to {host}… If the computer cannot be reached, you will know within 15 seconds.</p>
          <progress aria-label="Connecting" />
        </div>
      )}
      {error && (
        <div className={reason === 'host-key-changed' ? 'error offer-warning' : 'error'} role="alert" data-testid="offer-error" data-reason={reason}>
          {OFFER_ERROR_TITLE[reason] && <p className="status-line">{OFFER_ERROR_TITLE[reason]}</p>}
          <p data-testid="offer-error-message">{error.message}</p>
          {OFFER_NEXT_STEP[reason] && <p>{OFFER_NEXT_STEP[reason]}</p>}
        </div>
      )}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={!host.trim() || busy} data-testid="offer-connect">
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      <p className="muted">When you connect, the person at that computer is asked whether to let you see their screen. You see nothing until they say yes.</p>
    </form>
  );
}

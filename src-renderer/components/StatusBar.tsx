import { useAppStore } from '../store/store-context';

const LABEL = { connecting: 'Connecting to Remote Assist…', connected: 'Ready', disconnected: 'Not connected to Remote Assist' } as const;

/** The bottom line: is main reachable, which host, which version. */
export function StatusBar() {
  const connection = useAppStore((s) => s.connection);
  const info = useAppStore((s) => s.info);
  const latency = useAppStore((s) => s.latencyMs);
  return (
    <footer className="status-bar" role="status" aria-live="polite" data-testid="status-bar" data-connection={connection}>
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      <span data-testid="connection-state">{LABEL[connection]}</span>
      {latency !== null && connection === 'connected' && <span className="muted">· {latency} ms</span>}
      <span className="spacer" />
      {info && (
        <span className="muted">
          {info.userName} on {info.computerName} · {info.host === 'browser-host' ? 'browser host' : 'desktop app'} · v{info.version}
        </span>
      )}
    </footer>
  );
}

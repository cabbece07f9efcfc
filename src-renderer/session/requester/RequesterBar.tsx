import { useEffect } from 'react';
import { useAppStore } from '../../store/store-context';

/**
 * The requester's unmissable bar: who sees or controls the screen, with Pause, Stop control and
 * End always at hand. Esc anywhere in this page takes control back (main ignores the Esc the
 * helper sent, which it injected itself).
 */
export function RequesterBar() {
  const session = useAppStore((s) => s.session)!;
  const setPaused = useAppStore((s) => s.setPaused);
  const stopControl = useAppStore((s) => s.stopControl);
  const end = useAppStore((s) => s.endSession);
  const escape = useAppStore((s) => s.pressEscape);
  const switchScreen = useAppStore((s) => s.switchScreen);
  const captureError = useAppStore((s) => s.media.captureError);
  const screens = useAppStore((s) => s.screens);
  const loadScreens = useAppStore((s) => s.loadScreens);
  const chooseScreen = useAppStore((s) => s.chooseScreen);
  useEffect(() => {
    void loadScreens();
  }, [loadScreens]);
  const { state, peerName } = session;
  const controlling = state === 'controlling';
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') void escape();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [escape]);
  const text =
    state === 'awaiting-consent'
      ? `${peerName} is waiting for your answer.`
      : state === 'paused'
        ? `Sharing is paused. ${peerName} cannot see your screen.`
        : controlling
          ? `${peerName} is controlling your screen. Press Esc to take back control.`
          : `${peerName} is viewing your screen.`;
  return (
    <div className={`requester-bar ${controlling ? 'is-controlling' : ''}`} role="region" aria-label="Sharing status" data-testid="requester-bar" data-state={state}>
      <strong data-testid="requester-bar-text">{text}</strong>
      <span className="spacer" />
      {controlling && (
        <button type="button" className="button" onClick={() => void stopControl()} data-testid="stop-control">
          Stop sharing control
        </button>
      )}
      {(state === 'viewing' || controlling) && (
        <button type="button" className="button" onClick={() => void setPaused(true)} data-testid="pause">
          Pause
        </button>
      )}
      {state === 'paused' && (
        <button type="button" className="button" onClick={() => void setPaused(false)} data-testid="resume">
          Resume
        </button>
      )}
      {(state === 'viewing' || controlling) &&
        (screens.pickedByBrowser ? (
          <button type="button" className="button" onClick={() => void switchScreen()} data-testid="switch-screen">
            Share a different screen
          </button>
        ) : (
          screens.list.length > 1 && (
            <label>
              Screen{' '}
              <select value={screens.chosen ?? screens.list[0]?.id} onChange={(e) => void chooseScreen(e.target.value)} data-testid="choose-screen">
                {screens.list.map((sc) => (
                  <option key={sc.id} value={sc.id}>
                    {sc.name}
                  </option>
                ))}
              </select>
            </label>
          )
        ))}
      <button type="button" className="button button-danger" onClick={() => void end()} data-testid="end-session">
        End session
      </button>
      {captureError && (
        <p className="error" role="alert" data-testid="capture-error">
          {captureError}
        </p>
      )}
    </div>
  );
}

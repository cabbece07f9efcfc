import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../store/store-context';
import { useRemoteInput } from './use-remote-input';
import { QualityIndicator } from './QualityIndicator';

/** The helper's view of the requester's screen, with fit/actual size, full screen and control. */
export function Viewer() {
  const session = useAppStore((s) => s.session)!;
  const stream = useAppStore((s) => s.media.remoteStream);
  const peerState = useAppStore((s) => s.media.peerState);
  const sendInput = useAppStore((s) => s.sendInput);
  const requestControl = useAppStore((s) => s.requestControl);
  const stopControl = useAppStore((s) => s.stopControl);
  const videoRef = useRef<HTMLVideoElement>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const [fit, setFit] = useState(true);
  const controlling = session.state === 'controlling';
  useEffect(() => {
    if (videoRef.current && videoRef.current.srcObject !== stream) videoRef.current.srcObject = stream;
  }, [stream]);
  useEffect(() => {
    if (controlling) videoRef.current?.focus();
  }, [controlling]);
  useRemoteInput(videoRef, controlling, sendInput);
  const paused = session.state === 'paused';
  const waiting = session.state === 'awaiting-consent';
  return (
    <section className="viewer" aria-label={`${session.peerName}'s screen`}>
      <div className="viewer-toolbar row">
        {controlling ? (
          <button type="button" className="button" onClick={() => void stopControl()} data-testid="release-control">
            Give back control
          </button>
        ) : (
          <button
            type="button"
            className="button button-primary"
            onClick={() => void requestControl()}
            disabled={!session.controlAllowed || session.controlPending || session.state !== 'viewing'}
            title={session.controlReason ?? undefined}
            data-testid="request-control"
          >
            {session.controlPending ? 'Waiting for their answer…' : 'Request control'}
          </button>
        )}
        {!session.controlAllowed && session.controlReason && session.state !== 'awaiting-consent' && (
          <span className="muted" data-testid="control-reason">
            {session.controlReason}
          </span>
        )}
        <span className="spacer" />
        <QualityIndicator />
        <button type="button" className="button" onClick={() => setFit(!fit)} aria-pressed={!fit} data-testid="toggle-fit">
          {fit ? 'Actual size' : 'Fit to window'}
        </button>
        <button type="button" className="button" onClick={() => void frameRef.current?.requestFullscreen()} data-testid="fullscreen">
          Full screen
        </button>
      </div>
      <div ref={frameRef} className={`viewer-frame ${fit ? 'fit' : 'actual'}`} data-testid="viewer-frame">
        <video ref={videoRef} autoPlay muted playsInline tabIndex={controlling ? 0 : -1} className={controlling ? 'controlling' : ''} data-testid="remote-video" data-peer-state={peerState} hidden={paused || waiting} />
        {waiting && (
          <div className="viewer-card" data-testid="waiting-card">
            Waiting for {session.peerName} to accept…
          </div>
        )}
        {paused && (
          <div className="viewer-card" data-testid="paused-card">
            {session.peerName} paused screen sharing.
          </div>
        )}
        {!waiting && !paused && !stream && <div className="viewer-card">Connecting to the screen…</div>}
      </div>
    </section>
  );
}

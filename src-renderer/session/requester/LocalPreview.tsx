import { useEffect, useRef } from 'react';
import { useAppStore } from '../../store/store-context';

/** A small picture of what is being shared, so the requester always knows. */
export function LocalPreview() {
  const stream = useAppStore((s) => s.media.localStream);
  const state = useAppStore((s) => s.session?.state);
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return (
    <section className="local-preview" aria-label="What you are sharing">
      <h2>What your helper sees</h2>
      {state === 'awaiting-consent' && <p className="muted">Nothing yet: answer the question first.</p>}
      <video ref={ref} autoPlay muted playsInline hidden={!stream} data-testid="local-preview" />
    </section>
  );
}

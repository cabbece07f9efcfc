import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../store/store-context';

/**
 * The question main is asking (show my screen? share control? accept a file?). Main collects and
 * enforces the answer; this only shows it. "No" has the focus, so a stray Enter never says yes.
 */
export function ConsentDialog() {
  const prompt = useAppStore((s) => s.prompt);
  const answer = useAppStore((s) => s.answerPrompt);
  const [now, setNow] = useState(Date.now());
  const [folder, setFolder] = useState('');
  const noRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!prompt) return;
    setFolder(prompt.folder ?? '');
    noRef.current?.focus();
    // `now` may be from an earlier prompt: without this the first second shows too long a countdown.
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [prompt]);
  if (!prompt) return null;
  // `now` only makes the countdown tick; the clock is read here so a new prompt never starts from a stale time.
  const secondsLeft = Math.max(0, Math.ceil((prompt.expiresAt - Math.max(now, Date.now())) / 1000));
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="consent-title" aria-describedby="consent-message" data-testid="consent-dialog" data-kind={prompt.kind}>
        <h2 id="consent-title">{prompt.title}</h2>
        <p id="consent-message" className="consent-message">
          {prompt.message}
        </p>
        {prompt.details.map((d, i) => (
          <p key={i} className={i === prompt.details.length - 1 && prompt.kind === 'view' ? 'notice' : 'muted'}>
            {d}
          </p>
        ))}
        {prompt.kind === 'file' && prompt.folder !== null && (
          <label className="field">
            <span>Save in this folder</span>
            <input type="text" value={folder} onChange={(e) => setFolder(e.target.value)} data-testid="consent-folder" />
          </label>
        )}
        <p className="muted" aria-live="off">
          If you do not answer within {secondsLeft} s, the answer is No.
        </p>
        <div className="row">
          <button type="button" className="button button-primary" data-testid="consent-yes" onClick={() => void answer('yes', prompt.kind === 'file' && folder ? folder : undefined)}>
            {prompt.yesLabel}
          </button>
          <button type="button" ref={noRef} className="button" data-testid="consent-no" onClick={() => void answer('no')}>
            {prompt.noLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

import { useRef, type ChangeEvent, type DragEvent } from 'react';
import { useAppStore } from '../../store/store-context';

/** Step 1 of helping: open the invitation file (picker or drag-and-drop). */
export function OpenInvitation() {
  const open = useAppStore((s) => s.openInvitationFile);
  const error = useAppStore((s) => s.openError);
  const input = useRef<HTMLInputElement>(null);
  const read = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 256 * 1024) {
      await open({ name: file.name, content: '' });
      return;
    }
    await open({ name: file.name, content: await file.text() });
  };
  const onPick = (e: ChangeEvent<HTMLInputElement>) => void read(e.target.files?.[0]);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    void read(e.dataTransfer.files[0]);
  };
  return (
    <section className="card drop-zone" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} aria-labelledby="open-title">
      <h2 id="open-title">Open the invitation</h2>
      <p className="muted">The person you are helping sent you a file ending in .rainvite. Open it here, or drop it on this box.</p>
      <input ref={input} type="file" accept=".rainvite,application/json" className="visually-hidden" onChange={onPick} data-testid="invitation-file-input" aria-label="Invitation file" />
      <button type="button" className="button button-primary" onClick={() => input.current?.click()}>
        Open invitation file…
      </button>
      {error && (
        <p className="error" role="alert" data-testid="open-error">
          {error}
        </p>
      )}
    </section>
  );
}

import { useRef, type ChangeEvent } from 'react';
import type { TransferView } from '../../../src-shared/contract/index';
import { useAppStore } from '../../store/store-context';
import { formatBytes, formatRate, formatSeconds } from './format';

const STATE_TEXT: Record<TransferView['state'], string> = {
  waiting: 'Waiting for an answer',
  transferring: 'Transferring',
  verifying: 'Checking',
  completed: 'Done',
  declined: 'Declined',
  cancelled: 'Cancelled',
  failed: 'Failed',
};
const ACTIVE = new Set<TransferView['state']>(['waiting', 'transferring', 'verifying']);

/** Send files and follow every transfer: progress, speed, time left, cancel, where it was saved. */
export function FilesPanel() {
  const transfers = useAppStore((s) => s.transfers);
  const uploads = useAppStore((s) => s.uploads);
  const enabled = useAppStore((s) => s.filesEnabled);
  const disabledReason = useAppStore((s) => s.filesDisabledReason);
  const error = useAppStore((s) => s.filesError);
  const canUpload = useAppStore((s) => s.uploader !== null);
  const sendFiles = useAppStore((s) => s.sendFiles);
  const pickAndSend = useAppStore((s) => s.pickAndSendFiles);
  const cancel = useAppStore((s) => s.cancelTransfer);
  const ended = useAppStore((s) => s.session?.state === 'ended');
  const input = useRef<HTMLInputElement>(null);
  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    if (files.length) void sendFiles(files);
  };
  return (
    <section className="files" aria-label="Files" data-testid="files-panel">
      <div className="row">
        <strong>Files</strong>
        <span className="spacer" />
        <input ref={input} type="file" multiple className="visually-hidden" onChange={onPick} data-testid="files-input" aria-label="Files to send" tabIndex={-1} />
        <button type="button" className="button" disabled={!enabled || ended} onClick={() => (canUpload ? input.current?.click() : void pickAndSend())} data-testid="send-files">
          Send files…
        </button>
      </div>
      {!enabled && (
        <p className="muted" data-testid="files-disabled">
          {disabledReason ?? 'File transfer is turned off.'}
        </p>
      )}
      {enabled && !ended && transfers.length === 0 && uploads.length === 0 && <p className="muted">Drop files here to send them.</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <ul className="transfers">
        {uploads.map((u) => (
          <li key={u.id} className="transfer">
            <span className="transfer-name">{u.name}</span>
            {u.error ? <span className="error-text">{u.error}</span> : <progress max={u.total || 1} value={u.loaded} aria-label={`Preparing ${u.name}`} />}
          </li>
        ))}
        {[...transfers].reverse().map((t) => (
          <li key={t.transferId} className={`transfer transfer-${t.state}`} data-testid="transfer" data-state={t.state} data-direction={t.direction}>
            <span className="transfer-name">
              {t.direction === 'send' ? '↑' : '↓'} {t.name} <span className="muted">({formatBytes(t.size)})</span>
            </span>
            {ACTIVE.has(t.state) && <progress max={t.size || 1} value={t.bytesDone} aria-label={`${t.name}: ${STATE_TEXT[t.state]}`} />}
            <span className="muted" data-testid="transfer-status">
              {STATE_TEXT[t.state]}
              {t.state === 'transferring' && ` · ${formatRate(t.bytesPerSecond)}${t.secondsLeft !== null ? ` · ${formatSeconds(t.secondsLeft)} left` : ''}`}
              {t.reason && ` · ${t.reason}`}
              {t.savedAs && <> · saved as <span data-testid="saved-as">{t.savedAs}</span></>}
            </span>
            {ACTIVE.has(t.state) && (
              <button type="button" className="link-button" onClick={() => void cancel(t.transferId)} data-testid="cancel-transfer">
                Cancel
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useAppStore } from '../../store/store-context';

/** "Your helper ID: SHA256:… [Copy] [Export]", and why the administrator needs it. */
export function HelperIdCard() {
  const id = useAppStore((s) => s.helperId);
  const error = useAppStore((s) => s.helperIdError);
  const notice = useAppStore((s) => s.helperIdNotice);
  const copy = useAppStore((s) => s.copyHelperId);
  const exportId = useAppStore((s) => s.exportHelperId);
  const download = async () => {
    const file = await exportId();
    if (!file) return;
    const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <section className="card" aria-labelledby="helper-id-title" data-testid="helper-id">
      <h2 id="helper-id-title">Your helper ID</h2>
      <p className="muted">
        A computer accepts offers of help only from helpers its administrator has listed. Give this ID to the administrator of the computers you support; they add it to the policy of those computers.
      </p>
      {id ? (
        <>
          <p>
            <code className="fingerprint" data-testid="helper-fingerprint">
              {id.fingerprint}
            </code>{' '}
            <span className="muted">({id.name})</span>
          </p>
          <div className="row">
            <button type="button" className="button" onClick={() => void copy()} data-testid="copy-helper-id">
              Copy
            </button>
            <button type="button" className="button" onClick={() => void download()} data-testid="export-helper-id">
              Export
            </button>
          </div>
        </>
      ) : (
        !error && <p className="muted">Loading…</p>
      )}
      {notice && (
        <p className="muted" role="status" data-testid="helper-id-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="helper-id-error">
          {error}
        </p>
      )}
    </section>
  );
}

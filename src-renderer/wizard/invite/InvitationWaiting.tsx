import { useMemo } from 'react';
import { useAppStore } from '../../store/store-context';
import { formatRemaining, useCountdown } from '../../components/use-countdown';

const STATE_TEXT = {
  open: 'Waiting for your helper to connect…',
  connected: 'Your helper is connected.',
  expired: 'This invitation has expired. Create a new one if you still need help.',
  cancelled: 'You cancelled this invitation.',
  locked: 'Too many wrong passwords were tried, so this invitation was closed to keep you safe. Create a new one and check the password with your helper.',
} as const;

/** Step 2 of inviting: the file to send and the password to tell (or the Easy Connect code to read out), and the invitation waiting. */
export function InvitationWaiting() {
  const inv = useAppStore((s) => s.invitation)!;
  const file = useAppStore((s) => s.invitationFile);
  const password = useAppStore((s) => s.invitationPassword);
  const code = useAppStore((s) => s.invitationCode);
  const notice = useAppStore((s) => s.inviteNotice);
  const cancel = useAppStore((s) => s.cancelInvitation);
  const sendEmail = useAppStore((s) => s.emailInvitation);
  const emailBusy = useAppStore((s) => s.emailBusy);
  const emailError = useAppStore((s) => s.emailError);
  const emailed = useAppStore((s) => (s.emailResult?.invitationId === inv.invitationId ? s.emailResult : null));
  const remaining = useCountdown(inv.state === 'open' ? inv.expiresAt : null);
  const downloadUrl = useMemo(() => (file ? URL.createObjectURL(new Blob([file.text], { type: 'application/x-remote-assist-invitation' })) : null), [file]);
  const open = inv.state === 'open';
  return (
    <section className="card" aria-labelledby="waiting-title" data-testid="invitation-waiting" data-state={inv.state}>
      <h2 id="waiting-title">{open ? 'Your invitation is ready' : 'Invitation closed'}</h2>
      {open && inv.easyConnect && (
        <ol className="steps">
          <li>
            Read this Easy Connect code to your helper, by phone or in person:{' '}
            {code ? (
              <code className="password big" data-testid="easy-connect-code">
                {code}
              </code>
            ) : (
              <span className="muted">(shown only in the window where you created it)</span>
            )}
          </li>
          <li>They choose “Type an Easy Connect code” in Remote Assist and type it. Capitals, spaces and dashes do not matter.</li>
          <li>When they connect, you will be asked whether they may see your screen. Nothing is shared before you say yes.</li>
        </ol>
      )}
      {open && !inv.easyConnect && (
        <ol className="steps">
          <li>
            Send the invitation file to the person you trust.{' '}
            {downloadUrl && (
              <a className="button" href={downloadUrl} download={inv.fileName} data-testid="download-invitation">
                Save invitation file
              </a>
            )}{' '}
            <button type="button" className="button" onClick={() => void sendEmail()} disabled={emailBusy} data-testid="email-invitation">
              {emailBusy ? 'Opening your e-mail program…' : 'Send by e-mail'}
            </button>
            {inv.savedTo && (
              <span className="muted" data-testid="saved-to">
                {' '}
                Also saved as {inv.savedTo}
              </span>
            )}
            {emailed && (
              <p className={emailed.outcome === 'saved-only' ? 'notice' : 'muted'} role="status" data-testid="email-result" data-outcome={emailed.outcome}>
                {emailed.message}
              </p>
            )}
            {emailError && (
              <p className="error" role="alert" data-testid="email-error">
                {emailError}
              </p>
            )}
          </li>
          {password && (
            <li>
              Tell them this password, by phone or in person: <code className="password big" data-testid="invitation-password">{password}</code>
            </li>
          )}
          <li>When they connect, you will be asked whether they may see your screen. Nothing is shared before you say yes.</li>
        </ol>
      )}
      <p className={open ? 'status-line' : 'error'} role="status" data-testid="invitation-status">
        {STATE_TEXT[inv.state]}
      </p>
      {open && (
        <p className="muted">
          Closes in <span data-testid="time-left">{formatRemaining(remaining)}</span> · {inv.attemptsLeft} {inv.easyConnect ? 'code' : 'password'} {inv.attemptsLeft === 1 ? 'try' : 'tries'} left ·{' '}
          {inv.direct === false ? 'only through the relay' : `port ${inv.port}`}
          {inv.mode === 'compatibility' ? ' · compatibility mode' : ''}
        </p>
      )}
      {open && inv.relayStatus && (
        <p className="muted" role="status" data-testid="relay-status">
          {inv.relayStatus}
        </p>
      )}
      {inv.lastEvent && <p className="muted" data-testid="invitation-last-event">{inv.lastEvent}</p>}
      {inv.firewallNotice && <p className="notice" data-testid="firewall-notice">{inv.firewallNotice}</p>}
      {notice && <p className="notice">{notice}</p>}
      {open && (
        <button type="button" className="button" onClick={() => void cancel()} data-testid="cancel-invitation">
          Cancel invitation
        </button>
      )}
    </section>
  );
}

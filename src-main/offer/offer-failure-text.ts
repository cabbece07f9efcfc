/**
 * What the helper reads when an offer fails: every failure becomes an AppError with a specific
 * sentence (what happened, what to do next) and `details.reason` for the page to branch on.
 */
import { AppError } from '../../src-shared/contract/errors';
import type { OfferHandshakeError } from './offer-errors';

/** Facts the messages name. */
export interface FailureContext {
  host: string;
  port: number;
  /** The label the host key is pinned under. */
  label: string;
  knownHostsFile: string;
  helperFingerprint: string;
  timeoutMs: number;
}

/** The computer could not be reached on the port (off, offers off, or a firewall). */
export function unreachableError(host: string, port: number, why: string): AppError {
  return new AppError(
    'unreachable',
    `Could not reach ${host} on port ${port}. The computer may be off, offers may be turned off there, or a firewall may block port ${port} — ask its administrator to allow it.`,
    { reason: 'unreachable', port, why },
  );
}

/** The message for the "not on the allow-list" refusal, naming the helper ID to give the administrator. */
export function notAllowedMessage(fingerprint: string): string {
  return `You are not allowed to offer help to this computer. Ask its administrator to add your helper ID (${fingerprint}).`;
}

/** Maps a failed handshake to the helper's error. */
export function describeOfferFailure(err: OfferHandshakeError, c: FailureContext): AppError {
  const refusal = err.extra.refusal;
  if (err.reason === 'refused' && refusal) {
    switch (refusal.reason) {
      case 'not-allowed':
        return new AppError('refused', notAllowedMessage(c.helperFingerprint), { reason: 'not-allowed', fingerprint: c.helperFingerprint });
      case 'busy':
        return new AppError('unavailable', `${c.host} is busy: someone is already being helped there, or other connection attempts are in progress. Try again in a few minutes.`, { reason: 'busy' });
      case 'rate-limited':
        return new AppError('unavailable', `${c.host} received too many connection attempts from your address. Wait a minute, then try again.`, { reason: 'rate-limited' });
      case 'offers-disabled':
        return new AppError('disabled-by-policy', `${c.host} does not accept offers of help: its administrator has turned them off. Ask the person to invite you instead.`, { reason: 'offers-disabled' });
      case 'incompatible':
        return new AppError('unavailable', `${c.host} runs an incompatible version of Remote Assist. Update the app on both computers.`, { reason: 'incompatible' });
      case 'bad-signature':
        return new AppError('refused', `${c.host} could not verify your helper identity for this connection. Try again; if it keeps happening, something on the network may be tampering with the connection.`, { reason: 'bad-signature' });
    }
  }
  switch (err.reason) {
    case 'host-key-changed':
      return new AppError(
        'refused',
        `The identity of ${c.host} has changed since you last connected. This can mean someone is impersonating it. If the administrator reinstalled it, remove the old key: remote-assist identity forget-host ${c.label} (or delete "${c.label}" from ${c.knownHostsFile}). Key pinned before: ${err.extra.pinnedFingerprint ?? '?'}; key now: ${err.extra.hostFingerprint ?? '?'}.`,
        { reason: 'host-key-changed', label: c.label, pinnedFingerprint: err.extra.pinnedFingerprint ?? null, hostFingerprint: err.extra.hostFingerprint ?? null, file: c.knownHostsFile },
      );
    case 'bad-signature':
    case 'bad-key':
      return new AppError('refused', `The program on port ${c.port} of ${c.host} could not prove that it is that computer (${err.message}) Nothing was sent to it.`, { reason: 'bad-host-signature' });
    case 'timeout':
      return new AppError('timeout', `${c.host} accepted the connection on port ${c.port} but did not finish the secure handshake within ${Math.round(c.timeoutMs / 1000)} s. Try again.`, { reason: 'timeout' });
    case 'aborted':
      return new AppError('unavailable', `${c.host} stopped accepting offers while you were connecting. Try again later.`, { reason: 'offers-disabled' });
    default:
      return new AppError('unavailable', `The program on port ${c.port} of ${c.host} did not answer like a Remote Assist offer listener (${err.message}). Check the computer name and port.`, { reason: 'not-remote-assist' });
  }
}

import type { InvitationView, SessionView } from '../../src-shared/contract/index';
import { formatLocalDateTime } from '../../src-shared/invitation/time-text';

/** What the tray icon shows and offers; null means no tray icon at all. */
export interface TrayModel {
  /** Hover text (Windows truncates tooltips at 127 characters). */
  tooltip: string;
  /** The first, disabled menu line: the state in words. */
  status: string;
  /** The one action that stops what is going on. */
  stop: { action: 'end-session' | 'cancel-invitation'; label: string };
}

/** Whether closing the window may go ahead, or must ask first (and what to do on "yes"). */
export type CloseDecision =
  | { kind: 'close' }
  | { kind: 'confirm'; message: string; detail: string; confirmLabel: string; cancelLabel: string; onConfirm: 'end-session' | 'cancel-invitation' };

// The peer's name comes from the other computer: keep it one short line in OS chrome.
// eslint-disable-next-line no-control-regex
const peerName = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, 40) || 'Your helper';

const live = (s: SessionView | null): s is SessionView => !!s && s.state !== 'ended';
const openInvitation = (i: InvitationView | null): i is InvitationView => !!i && i.state === 'open';

function sessionStatus(s: SessionView): string {
  const peer = peerName(s.peerName);
  if (s.role === 'requester') {
    switch (s.state) {
      case 'viewing':
        return `${peer} is viewing your screen`;
      case 'controlling':
        return `${peer} is controlling your computer`;
      case 'paused':
        return `Screen sharing with ${peer} is paused`;
      default:
        return `${peer} is waiting for your answer`;
    }
  }
  switch (s.state) {
    case 'viewing':
      return `You are viewing ${peer}'s screen`;
    case 'controlling':
      return `You are controlling ${peer}'s computer`;
    case 'paused':
      return `${peer} paused sharing`;
    default:
      return `Waiting for ${peer} to accept`;
  }
}

/**
 * The tray while something is going on: a running session (status and "End session"), or an open
 * invitation waiting for its helper ("Cancel invitation"). So the person being helped can always
 * see that someone is connected and stop it, even with the window hidden or covered.
 */
export function trayModel(session: SessionView | null, invitation: InvitationView | null): TrayModel | null {
  if (live(session)) {
    const status = sessionStatus(session);
    return { tooltip: `Remote Assist: ${status}`.slice(0, 127), status, stop: { action: 'end-session', label: 'End session' } };
  }
  if (openInvitation(invitation)) {
    const status = `Invitation open until ${formatLocalDateTime(new Date(invitation.expiresAt))}: waiting for your helper`;
    return { tooltip: `Remote Assist: ${status}`.slice(0, 127), status, stop: { action: 'cancel-invitation', label: 'Cancel invitation' } };
  }
  return null;
}

/**
 * Closing the window ends everything (the app quits), so a running session or an open invitation
 * is never dropped by one stray click: the user confirms, and the default button keeps it.
 */
export function closeDecision(session: SessionView | null, invitation: InvitationView | null): CloseDecision {
  if (live(session)) {
    const peer = peerName(session.peerName);
    return {
      kind: 'confirm',
      message: 'A session is running. End it and close?',
      detail: session.role === 'requester' ? `Closing Remote Assist ends the session: ${peer} will no longer see or control your screen.` : `Closing Remote Assist ends your session with ${peer}.`,
      confirmLabel: 'End session and close',
      cancelLabel: 'Keep session',
      onConfirm: 'end-session',
    };
  }
  if (openInvitation(invitation)) {
    return {
      kind: 'confirm',
      message: 'Your invitation is still open. Cancel it and close?',
      detail: 'Closing Remote Assist cancels the invitation, so your helper can no longer connect with it.',
      confirmLabel: 'Cancel invitation and close',
      cancelLabel: 'Keep waiting',
      onConfirm: 'cancel-invitation',
    };
  }
  return { kind: 'close' };
}

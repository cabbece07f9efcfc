import type { SystemLogFields, SystemLogLevel } from '../platform/system-log/system-log-port';
import type { AuditEvent, AuditLine } from './audit-events';

/** One system-log entry derived from an audit line. */
export interface SystemLogEntry {
  level: SystemLogLevel;
  message: string;
  fields: SystemLogFields;
}

// Peer-supplied strings (names, file names, reasons) are JSON-quoted: one entry stays one line,
// and a name cannot pose as another field.
const q = (s: string) => JSON.stringify(s);
const sent = (direction: 'send' | 'receive') => (direction === 'send' ? 'sent' : 'received');

/** The short sentence for a key event, or null for events the system log does not get (chat text above all). */
function summarize(e: AuditEvent): [SystemLogLevel, string] | null {
  switch (e.type) {
    case 'invitation.created':
      return ['info', `Invitation ${e.invitationId} created (${e.mode}, expires ${e.expiresAt}, control ${e.allowControl ? 'allowed' : 'not allowed'})`];
    case 'invitation.locked':
      return ['warning', `Invitation ${e.invitationId} closed after ${e.attempts} wrong passwords`];
    case 'connection.attempt':
      return ['info', `Connection attempt from ${q(e.peerAddress)}`];
    case 'password.failed':
      return ['warning', `Wrong password from ${q(e.peerAddress)} (${e.attemptsLeft} attempts left)`];
    case 'handshake.failed':
      return ['warning', `Handshake failed${e.peerAddress ? ` with ${q(e.peerAddress)}` : ''}: ${q(e.reason)}`];
    case 'consent.granted':
      return ['info', `Consent to ${e.kind} granted`];
    case 'consent.declined':
      return ['info', `Consent to ${e.kind} declined`];
    case 'consent.timedOut':
      return ['info', `Consent to ${e.kind} not given in time (counts as declined)`];
    case 'control.granted':
      return ['info', 'Control granted to the helper'];
    case 'control.revoked':
      return ['info', `Control taken back (${e.by})`];
    case 'file.completed':
      return ['info', `File ${sent(e.direction)}: ${q(e.name)}, ${e.size} bytes, SHA-256 ${e.sha256}`];
    case 'session.started':
      return ['info', 'Session started'];
    case 'session.ended':
      return ['info', `Session ended by ${e.by} after ${Math.round(e.durationMs / 1000)} s: ${q(e.reason)}`];
    case 'offer.refused':
      return ['warning', `Offer of help refused from ${q(e.helperName)} (key ${e.fingerprint}): ${q(e.reason)}`];
    default:
      return null;
  }
}

/**
 * The system-log entry for an audit line, or null when the event stays in the session file only.
 * A line that could not be written to a file has `hash: ''`.
 */
export function systemLogEntry(line: AuditLine): SystemLogEntry | null {
  const s = summarize(line.event);
  if (!s) return null;
  const fields: SystemLogFields = { session: line.sessionId, kind: line.kind, role: line.role, user: line.localUser, seq: line.seq };
  if (line.peerName !== null) fields.peer = line.peerName;
  if (line.peerAddress !== null) fields.address = line.peerAddress;
  // The chain head at the end anchors the file: an edit that recomputes every hash still differs from it.
  if (line.event.type === 'session.ended' && line.hash) fields.head = line.hash;
  return { level: s[0], message: `Remote Assist: ${s[1]}`, fields };
}

import type { AuditEvent, AuditEventType, EventOf } from './audit-events';

/**
 * One valid example of every event type, in a plausible session order: for tests, demos and the
 * Logs page's previews. Adding a type to the schema without adding it here fails a test.
 */
export const SAMPLE_EVENTS: { [T in AuditEventType]: EventOf<T> } = {
  'invitation.created': { type: 'invitation.created', invitationId: 'inv-7f3a', expiresAt: '2026-11-25T20:03:07.000+01:00', mode: 'encrypted-only', allowControl: true },
  'connection.attempt': { type: 'connection.attempt', peerAddress: '192.0.2.10:50311' },
  'password.failed': { type: 'password.failed', peerAddress: '192.0.2.10:50311', attemptsLeft: 4 },
  'handshake.failed': { type: 'handshake.failed', peerAddress: '192.0.2.11:40000', reason: 'key confirmation failed' },
  'consent.asked': { type: 'consent.asked', kind: 'view' },
  'consent.granted': { type: 'consent.granted', kind: 'view' },
  'session.started': { type: 'session.started' },
  'chat.message': { type: 'chat.message', from: 'peer', text: 'Hello — can you see my screen?' },
  'control.requested': { type: 'control.requested' },
  'consent.declined': { type: 'consent.declined', kind: 'control' },
  'consent.timedOut': { type: 'consent.timedOut', kind: 'control' },
  'control.granted': { type: 'control.granted' },
  'control.revoked': { type: 'control.revoked', by: 'esc' },
  'session.paused': { type: 'session.paused', by: 'local' },
  'session.resumed': { type: 'session.resumed', by: 'local' },
  'file.offered': { type: 'file.offered', direction: 'receive', name: 'report.pdf', size: 1024, transferId: 't1' },
  'file.accepted': { type: 'file.accepted', direction: 'receive', name: 'report.pdf', size: 1024, transferId: 't1' },
  'file.completed': { type: 'file.completed', direction: 'receive', name: 'report.pdf', size: 1024, sha256: 'a'.repeat(64), savedAs: '/home/ann/Downloads/report.pdf', transferId: 't1' },
  'file.declined': { type: 'file.declined', direction: 'send', name: 'setup.exe', size: 99 },
  'file.failed': { type: 'file.failed', direction: 'send', name: 'big.iso', reason: 'the link closed' },
  'invitation.locked': { type: 'invitation.locked', invitationId: 'inv-7f3a', attempts: 5 },
  'invitation.expired': { type: 'invitation.expired', invitationId: 'inv-7f3a' },
  'invitation.cancelled': { type: 'invitation.cancelled', invitationId: 'inv-7f3a' },
  'invitation.deleted': { type: 'invitation.deleted', invitationId: 'inv-7f3a' },
  'offer.refused': { type: 'offer.refused', helperName: 'Mallory', fingerprint: 'SHA256:9f2c…', reason: 'not on the allow-list' },
  note: { type: 'note', text: 'policy reloaded' },
  'session.ended': { type: 'session.ended', by: 'peer', reason: 'the helper left', durationMs: 754_000 },
};

/** The samples as a list, `session.ended` last. */
export const sampleEventList = (): AuditEvent[] => Object.values(SAMPLE_EVENTS) as AuditEvent[];

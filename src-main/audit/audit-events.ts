import { z } from 'zod';

// Pure zod, no Node imports: the Logs page contract can re-export these schemas from src-shared later.
// LOG-FORMAT.md documents every field; keep the two in step.

/** Version of the line format; bump when a field changes meaning. */
export const LOG_FORMAT_VERSION = 1 as const;

/** How the session began: an invitation (solicited) or an offer (unsolicited). */
export const SessionKind = z.enum(['invitation', 'offer']);
export type SessionKind = z.infer<typeof SessionKind>;

/** Which side this log belongs to. */
export const SessionRole = z.enum(['requester', 'helper']);
export type SessionRole = z.infer<typeof SessionRole>;

/** What a consent question was about. */
export const ConsentKind = z.enum(['view', 'control']);
/** Who took control back from the helper (the same values as the control protocol's `RevokeBy`). */
export const RevokedBy = z.enum(['button', 'esc', 'link-loss', 'policy', 'helper', 'session-end', 'pause']);
/** Who acted, seen from this side: this user, the peer, or the app itself (timeouts, link loss, errors). */
export const Actor = z.enum(['local', 'peer', 'system']);
/** Whether this side sends or receives the file. */
export const FileDirection = z.enum(['send', 'receive']);

const text = z.string();
const id = z.string().min(1);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');
const isoWithOffset = z.iso.datetime({ offset: true, local: false });
const count = z.int().min(0);

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.strictObject({ type: z.literal(type), ...shape });

/** Every event a flow may record. The common fields (seq, time, session, peer …) are added by the log. */
export const AuditEvent = z.discriminatedUnion('type', [
  ev('invitation.created', { invitationId: id, expiresAt: isoWithOffset, mode: z.enum(['encrypted-only', 'compatibility']), allowControl: z.boolean() }),
  ev('invitation.cancelled', { invitationId: id }),
  ev('invitation.expired', { invitationId: id }),
  ev('invitation.locked', { invitationId: id, attempts: count }),
  ev('invitation.deleted', { invitationId: id }),
  ev('connection.attempt', { peerAddress: text }),
  ev('password.failed', { peerAddress: text, attemptsLeft: count }),
  ev('handshake.failed', { peerAddress: text.optional(), reason: text }),
  ev('consent.asked', { kind: ConsentKind }),
  ev('consent.granted', { kind: ConsentKind }),
  ev('consent.declined', { kind: ConsentKind }),
  ev('consent.timedOut', { kind: ConsentKind }),
  ev('control.requested', {}),
  ev('control.granted', {}),
  ev('control.revoked', { by: RevokedBy }),
  ev('session.paused', { by: Actor }),
  ev('session.resumed', { by: Actor }),
  ev('chat.message', { from: z.enum(['local', 'peer']), text }),
  // The offer carries the sender's hash, so every file event may name it; `savedAs` is where a received file went.
  ev('file.offered', { direction: FileDirection, name: text, size: count, sha256: sha256Hex.optional(), transferId: id.optional() }),
  ev('file.accepted', { direction: FileDirection, name: text, size: count, sha256: sha256Hex.optional(), savedAs: text.optional(), transferId: id.optional() }),
  ev('file.declined', { direction: FileDirection, name: text, size: count, sha256: sha256Hex.optional(), reason: text.optional(), transferId: id.optional() }),
  ev('file.completed', { direction: FileDirection, name: text, size: count, sha256: sha256Hex, savedAs: text.optional(), transferId: id.optional() }),
  ev('file.failed', { direction: FileDirection, name: text, reason: text, size: count.optional(), sha256: sha256Hex.optional(), transferId: id.optional() }),
  ev('session.started', {}),
  ev('session.ended', { by: Actor, reason: text, durationMs: count }),
  ev('offer.refused', { helperName: text, fingerprint: text, reason: text }),
  ev('note', { text }),
]);
export type AuditEvent = z.infer<typeof AuditEvent>;
export type AuditEventType = AuditEvent['type'];
/** The event of one type, e.g. `EventOf<'chat.message'>`. */
export type EventOf<T extends AuditEventType> = Extract<AuditEvent, { type: T }>;

/** Every event type, for filters and tests. */
export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = AuditEvent.options.map((o) => o.shape.type.value);

/** The first line's event: where the hash chain starts and which session the file is. */
export const LogHeader = z.strictObject({
  type: z.literal('log.header'),
  startedAt: isoWithOffset,
  /** The local offset at the start, `+01:00`; every `time` carries its own offset too. */
  utcOffset: z.string().regex(/^[+-]\d\d:\d\d$/),
  appVersion: z.string().optional(),
  /** 32 random bytes, hex: the "previous hash" of line 1, so two files never share a chain. */
  genesis: sha256Hex,
});
export type LogHeader = z.infer<typeof LogHeader>;

/** Fields every line carries besides its event and hash. */
export const AuditEnvelope = z.strictObject({
  v: z.literal(LOG_FORMAT_VERSION),
  /** The line number, from 1 (the header). */
  seq: z.int().min(1),
  /** Local time with its UTC offset, millisecond precision. */
  time: isoWithOffset,
  sessionId: id,
  kind: SessionKind,
  role: SessionRole,
  localUser: z.string(),
  peerName: z.string().nullable(),
  peerAddress: z.string().nullable(),
});
export type AuditEnvelope = z.infer<typeof AuditEnvelope>;

/** One stored line: envelope, event (or header) and the chained hash. */
export type AuditLine<E extends AuditEvent | LogHeader = AuditEvent> = AuditEnvelope & { event: E; hash: string };
export type HeaderLine = AuditLine<LogHeader>;

/** A whole line, as the writer produces it; readers use it to check what they read. */
export const StoredLine = AuditEnvelope.extend({ event: z.union([LogHeader, AuditEvent]), hash: sha256Hex });

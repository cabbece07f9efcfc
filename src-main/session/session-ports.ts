import type { RevokeBy } from '../../src-shared/protocol/control';
import type { AuditEvent } from '../audit/audit-events';

/** What a session needs from the input gate (src-main/input). */
export interface SessionInputGate {
  setControl(granted: boolean): void;
  setPaused(paused: boolean): void;
  handle(raw: unknown): void;
  releaseAll(): void;
}

/** Tells an Esc the requester pressed from one the helper sent (which we injected ourselves). */
export interface EchoCheck {
  /** True (once) if a key event the page reports now is one we injected a moment ago. */
  isEcho(key: string): boolean;
}

/** An audit event as sessions emit it; the audit log adds the common fields. */
export type SessionAuditEvent =
  | { type: 'session.started' }
  | { type: 'consent.asked' | 'consent.granted' | 'consent.declined' | 'consent.timedOut'; kind: 'view' | 'control' }
  | { type: 'control.requested' }
  | { type: 'control.granted' }
  | { type: 'control.revoked'; by: RevokeBy }
  | { type: 'session.paused' | 'session.resumed'; by: 'local' | 'peer' }
  | { type: 'chat.message'; from: 'local' | 'peer'; text: string }
  | { type: 'session.ended'; by: 'local' | 'peer' | 'system'; reason: string; durationMs: number }
  | { type: 'note'; text: string };

/** Where a session's events go (its audit log); file events use the audit log's own types. */
export type AuditSink = (event: SessionAuditEvent | AuditEvent) => void;

/** Whether the helper may be given control, and why not. Re-evaluated at every request. */
export interface ControlPermission {
  allowed: boolean;
  reason: string | null;
}

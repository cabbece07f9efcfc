import type { AppLogger } from '../platform/app-logger';
import type { SessionAuditEvent } from '../session/session-ports';
import type { AuditEvent } from './audit-events';
import type { SessionLog } from './session-log';

/**
 * Adapts a session's audit events to its log file. Recording never throws into the session: a bad
 * event is a bug that is logged, not a reason to crash a running session.
 */
export function auditSinkFor(log: SessionLog, logger: AppLogger): (event: SessionAuditEvent | AuditEvent) => void {
  return (event) => {
    try {
      log.record(event as AuditEvent);
    } catch (e) {
      logger.error('could not record an audit event', { type: event.type, error: (e as Error).message });
    }
  };
}

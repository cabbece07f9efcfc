// The audit log's public surface, for the flows that record and the Logs page that reads.
export { AuditEvent, AUDIT_EVENT_TYPES, LOG_FORMAT_VERSION, type AuditEventType, type AuditLine, type EventOf, type HeaderLine, type SessionKind, type SessionRole } from './audit-events';
export { AuditLogService, type AuditLogServiceOptions, type OpenSessionOptions, type StandaloneContext, type SessionLog } from './audit-log';
export { listSessions, readEvents, resolveLogFile, summarizeSession, type EventPage, type ReadEventsOptions, type SessionOutcome, type SessionSummary } from './log-reader';
export { verifyLog, type VerifyProblem, type VerifyResult } from './verify';
export { exportSessionJson, exportSessionXml } from './export-xml';
export { nodeLogFileIO, type LogFileIO } from './log-file-writer';

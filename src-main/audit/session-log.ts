import { z } from 'zod';
import { AppError } from '../../src-shared/contract/errors';
import type { SystemLog } from '../platform/system-log/system-log-port';
import { AuditEvent, LOG_FORMAT_VERSION, type AuditEnvelope, type AuditLine } from './audit-events';
import { describeIoError, type ChainedLogWriter } from './log-file-writer';
import { systemLogEntry } from './system-log-summary';

/** The audit log of one session, on one side. Every method is safe to call from any flow: I/O errors never throw. */
export interface SessionLog {
  readonly sessionId: string;
  /** The session's log file, or null when it could not be created. */
  readonly file: string | null;
  /** Why the file is not (or no longer) being written, for the UI to warn; null while all is well. */
  readonly degraded: string | null;
  /**
   * Appends the event as one line, synced to disk before returning, and copies key events to the
   * system log. Returns the stored line, or null when nothing was written to the file (degraded,
   * or the log was closed). Throws AppError('invalid-input') only for an event that fails the schema.
   * `session.ended` is the last line: it closes the file.
   */
  record(event: AuditEvent): AuditLine | null;
  /** The peer as now known (after the handshake); later lines carry it. */
  setPeer(name: string | null, address: string | null): void;
  /** Closes the file. Idempotent. Events recorded afterwards go to the system log only. */
  close(): void;
}

/** What `openSession` hands the log. */
export interface SessionLogParts {
  writer: ChainedLogWriter | null;
  degraded: string | null;
  required: boolean;
  envelope: Omit<AuditEnvelope, 'v' | 'seq' | 'time'>;
  systemLog: SystemLog;
  /** The current local time, formatted for a line. */
  timestamp: () => string;
  onError?: (error: AppError) => void;
}

/** The SessionLog behind `AuditLogService.openSession`. */
export class FileSessionLog implements SessionLog {
  private writer: ChainedLogWriter | null;
  private degradedReason: string | null;
  private closed = false;
  private envelope: SessionLogParts['envelope'];
  /** Line numbers keep counting when the file is gone, so system-log entries stay ordered. */
  private seq: number;

  constructor(private readonly parts: SessionLogParts) {
    this.writer = parts.writer;
    this.degradedReason = parts.degraded;
    this.envelope = { ...parts.envelope };
    this.seq = parts.writer?.lastSeq ?? 1;
  }

  get sessionId(): string {
    return this.envelope.sessionId;
  }

  get file(): string | null {
    return this.parts.writer?.file ?? null;
  }

  get degraded(): string | null {
    return this.degradedReason;
  }

  record(event: AuditEvent): AuditLine | null {
    const parsed = AuditEvent.safeParse(event);
    if (!parsed.success) throw new AppError('invalid-input', `Not a valid audit event: ${z.prettifyError(parsed.error)}`);
    const e = parsed.data;
    const time = this.parts.timestamp();
    if (this.closed) {
      this.parts.systemLog.write('warning', `Remote Assist: event "${e.type}" came after the session log was closed; it is not in the file`, {
        session: this.sessionId,
      });
      return null;
    }
    let stored: AuditLine | null = null;
    if (this.writer?.isOpen) {
      try {
        stored = this.writer.append((seq) => ({ v: LOG_FORMAT_VERSION, seq, time, ...this.envelope, event: e }));
        this.seq = stored.seq;
      } catch (err) {
        this.writeFailed(err);
      }
    }
    if (!stored) this.seq++;
    const entry = systemLogEntry(stored ?? { v: LOG_FORMAT_VERSION, seq: this.seq, time, ...this.envelope, event: e, hash: '' });
    if (entry) this.parts.systemLog.write(entry.level, entry.message, entry.fields);
    if (e.type === 'session.ended') this.close();
    return stored;
  }

  setPeer(name: string | null, address: string | null): void {
    this.envelope = { ...this.envelope, peerName: name, peerAddress: address };
  }

  close(): void {
    this.closed = true;
    this.writer?.close();
  }

  private writeFailed(err: unknown): void {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    const reason = describeIoError(err);
    const file = this.writer?.file ?? '';
    this.writer?.close();
    this.degradedReason = `The session log stopped after line ${this.seq} because ${file} could not be written: ${reason}. Later events go to the system log only.`;
    this.parts.systemLog.write('error', `Remote Assist: the session log could not be written: ${reason}`, { session: this.sessionId, file, seq: this.seq });
    const error = new AppError(
      'io',
      this.parts.required
        ? `Your administrator requires a log of every session, and the log could not be written to ${file}: ${reason}. The session must end.`
        : `The session log could not be written to ${file}: ${reason}. The session goes on without it.`,
      { file, reason, errno: code ?? null, required: this.parts.required },
    );
    try {
      this.parts.onError?.(error);
    } catch {
      // The callback's own failure must not take the app down with the log.
    }
  }
}

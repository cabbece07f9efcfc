import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../src-shared/contract/errors';
import { APP_VERSION } from '../app/version';
import type { SystemLog } from '../platform/system-log/system-log-port';
import { AuditEvent, LOG_FORMAT_VERSION, type AuditLine, type HeaderLine, type SessionKind, type SessionRole } from './audit-events';
import { dayStamp, fileStamp, formatLocalIso, formatOffset, systemUtcOffset } from './audit-chain';
import { ChainedLogWriter, describeIoError, nodeLogFileIO, readChainState, type LogFileIO } from './log-file-writer';
import { FileSessionLog, type SessionLog } from './session-log';
import { systemLogEntry } from './system-log-summary';

export type { SessionLog } from './session-log';

/** What the audit log service needs. */
export interface AuditLogServiceOptions {
  /** `ProfilePaths.logsDir`: `<Documents>/Remote Assistance Logs`. */
  logsDir: string;
  systemLog: SystemLog;
  /** The signed-in user's name, on every line. */
  localUser: string;
  /** Written in each header (default: this build's version). */
  appVersion?: string;
  now?: () => Date;
  /** Minutes east of UTC at a moment (default: the machine's zone). */
  utcOffset?: (at: Date) => number;
  /** File operations (tests inject failures). */
  io?: LogFileIO;
  /** Told when the listener file cannot be written (once per failure, not per event). */
  onError?: (error: AppError) => void;
}

/** What a new session log needs to know. */
export interface OpenSessionOptions {
  kind: SessionKind;
  role: SessionRole;
  peerName?: string | null;
  peerAddress?: string | null;
  /** Policy `LoggingEnabled`: when the file cannot be written, the session must not start (or must end). */
  required: boolean;
  /** The session's id when the flow already has one; else a random UUID. */
  sessionId?: string;
  /** Told when a later write fails (disk full, I/O error); end the session there when logging is required. */
  onError?: (error: AppError) => void;
}

/** Context for an event outside any session (the offer listener refusing a helper). */
export interface StandaloneContext {
  kind?: SessionKind;
  role?: SessionRole;
  peerName?: string | null;
  peerAddress?: string | null;
}

const genesis = () => randomBytes(32).toString('hex');

/**
 * The audit log: one hash-chained JSON-lines file per session in the logs folder, key events
 * copied to the system log, and a daily listener file for events before any session exists.
 */
export class AuditLogService {
  private readonly io: LogFileIO;
  private readonly now: () => Date;
  private readonly utcOffset: (at: Date) => number;
  private listener: { day: string; writer: ChainedLogWriter; sessionId: string } | null = null;
  private listenerFailing = false;

  constructor(private readonly options: AuditLogServiceOptions) {
    this.io = options.io ?? nodeLogFileIO;
    this.now = options.now ?? (() => new Date());
    this.utcOffset = options.utcOffset ?? systemUtcOffset;
  }

  /**
   * Creates `<logsDir>/<YYYYMMDDHHMMSS>.jsonl` (local start time; `-2`, `-3` … if taken) with its
   * header line. When it cannot be written: throws AppError('io') if `required` — the session must
   * not start — else returns a log whose `degraded` says why and which writes the system log only.
   */
  async openSession(opts: OpenSessionOptions): Promise<SessionLog> {
    const started = this.now();
    const envelope = {
      sessionId: opts.sessionId ?? randomUUID(),
      kind: opts.kind,
      role: opts.role,
      localUser: this.options.localUser,
      peerName: opts.peerName ?? null,
      peerAddress: opts.peerAddress ?? null,
    };
    const dir = this.options.logsDir;
    let writer: ChainedLogWriter | null = null;
    let degraded: string | null = null;
    try {
      writer = this.createWithHeader(fileStamp(started, this.utcOffset(started)), started, envelope);
    } catch (e) {
      const reason = describeIoError(e);
      const fields = { session: envelope.sessionId, dir, reason };
      if (opts.required) {
        this.options.systemLog.write('error', 'Remote Assist: a session was not started because its required log could not be written', fields);
        throw new AppError(
          'io',
          `Your administrator requires a log of every session, and the log could not be written to ${dir}: ${reason}. The session was not started.`,
          { dir, reason, errno: (e as NodeJS.ErrnoException | null)?.code ?? null },
        );
      }
      degraded = `The session log could not be written to ${dir}: ${reason}. Key events go to the system log only.`;
      this.options.systemLog.write('warning', 'Remote Assist: the session log could not be written; key events are logged here only', fields);
    }
    return new FileSessionLog({
      writer,
      degraded,
      required: opts.required,
      envelope,
      systemLog: this.options.systemLog,
      timestamp: () => this.timestamp(),
      onError: opts.onError,
    });
  }

  /**
   * Records an event that belongs to no session in `<logsDir>/listener-YYYYMMDD.jsonl` (same
   * format, its own chain), and in the system log. Returns the stored line, or null if the file
   * could not be written (`onError` is told once per failure).
   */
  recordStandalone(event: AuditEvent, context: StandaloneContext = {}): AuditLine | null {
    const parsed = AuditEvent.safeParse(event);
    if (!parsed.success) throw new AppError('invalid-input', `Not a valid audit event: ${z.prettifyError(parsed.error)}`);
    const at = this.now();
    const time = formatLocalIso(at, this.utcOffset(at));
    const envelope = {
      kind: context.kind ?? 'offer',
      role: context.role ?? 'requester',
      localUser: this.options.localUser,
      peerName: context.peerName ?? null,
      peerAddress: context.peerAddress ?? null,
    };
    let stored: AuditLine | null = null;
    try {
      const listener = this.listenerFor(at);
      stored = listener.writer.append((seq) => ({ v: LOG_FORMAT_VERSION, seq, time, sessionId: listener.sessionId, ...envelope, event: parsed.data }));
      this.listenerFailing = false;
    } catch (e) {
      this.listener?.writer.close();
      this.listener = null;
      if (!this.listenerFailing) {
        this.listenerFailing = true;
        const reason = describeIoError(e);
        this.options.systemLog.write('error', `Remote Assist: the listener log could not be written: ${reason}`, { dir: this.options.logsDir });
        try {
          this.options.onError?.(new AppError('io', `The listener log could not be written to ${this.options.logsDir}: ${reason}.`, { reason }));
        } catch {
          // A failing callback must not break the listener.
        }
      }
    }
    const entry = systemLogEntry(stored ?? { v: LOG_FORMAT_VERSION, seq: 0, time, sessionId: 'listener', ...envelope, event: parsed.data, hash: '' });
    if (entry) this.options.systemLog.write(entry.level, entry.message, entry.fields);
    return stored;
  }

  /** Closes the listener file (on shutdown). Session logs are closed by their owners. */
  close(): void {
    this.listener?.writer.close();
    this.listener = null;
  }

  private timestamp(): string {
    const at = this.now();
    return formatLocalIso(at, this.utcOffset(at));
  }

  /** Creates a new unique file and writes its header; removes the file again if the header fails. */
  private createWithHeader(stem: string, started: Date, envelope: Omit<HeaderLine, 'v' | 'seq' | 'time' | 'event' | 'hash'>): ChainedLogWriter {
    const offset = this.utcOffset(started);
    const g = genesis();
    const writer = ChainedLogWriter.createUnique(this.io, this.options.logsDir, stem, g);
    try {
      const startedAt = formatLocalIso(started, offset);
      const event = { type: 'log.header' as const, startedAt, utcOffset: formatOffset(offset), appVersion: this.options.appVersion ?? APP_VERSION, genesis: g };
      writer.append((seq) => ({ v: LOG_FORMAT_VERSION, seq, time: startedAt, ...envelope, event }));
      return writer;
    } catch (e) {
      writer.close();
      try {
        this.io.remove(writer.file);
      } catch {
        // An empty file is listed as an unreadable log; nothing worse.
      }
      throw e;
    }
  }

  /** Today's listener file: continued if it ends cleanly, else the next free `-N` name. */
  private listenerFor(at: Date): { day: string; writer: ChainedLogWriter; sessionId: string } {
    const day = dayStamp(at, this.utcOffset(at));
    if (this.listener?.day === day && this.listener.writer.isOpen) return this.listener;
    this.listener?.writer.close();
    this.listener = null;
    const stem = `listener-${day}`;
    for (let n = 1; n < 1000; n++) {
      const file = path.join(this.options.logsDir, n === 1 ? `${stem}.jsonl` : `${stem}-${n}.jsonl`);
      if (!fs.existsSync(file)) {
        const sessionId = randomUUID();
        const writer = this.createWithHeader(n === 1 ? stem : `${stem}-${n}`, at, { sessionId, kind: 'offer', role: 'requester', localUser: this.options.localUser, peerName: null, peerAddress: null });
        return (this.listener = { day, writer, sessionId });
      }
      const state = readChainState(file);
      if (state) return (this.listener = { day, writer: ChainedLogWriter.resume(this.io, file, state), sessionId: state.sessionId });
    }
    throw Object.assign(new Error('too many listener files today'), { code: 'EEXIST' });
  }
}

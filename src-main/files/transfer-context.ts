import { randomBytes } from 'node:crypto';
import type { FilesMessage } from '../../src-shared/protocol/files';
import type { AppLogger } from '../platform/app-logger';
import type { ProgressHub } from './progress-hub';
import type { StatFs, WriteAt } from './safe-write';
import type { AcceptAnswer, FileAuditEvent, FileTransferLimits, FileTransferServiceOptions, FileTransferTimeouts } from './transfer-types';

/** What one transfer needs from the service around it. */
export interface TransferContext {
  /** Sends on the files channel; false means the link's buffer is full (wait until `writable()`). */
  send(message: FilesMessage, body?: Uint8Array): boolean;
  /** False between a `send` that returned false and the link's next drain. */
  writable(): boolean;
  /** True once the link closed or the service stopped: nothing more can be said to the peer. */
  linkClosed(): boolean;
  readonly peerName: string;
  readonly logger: AppLogger;
  readonly hub: ProgressHub;
  readonly timeouts: FileTransferTimeouts;
  readonly downloadsDir: string;
  readonly io: { writeAt?: WriteAt; statfs?: StatFs };
  limits(): FileTransferLimits;
  /** Calls the audit callback; a throwing audit sink never breaks a transfer. */
  audit(event: Omit<FileAuditEvent, 'peerName'>): void;
  /**
   * Asks the user in this offer's turn (offers are asked about one at a time, in arrival order).
   * `precheck` runs first, inside the turn; a reason it returns declines without asking.
   */
  askAccept(offer: Parameters<FileTransferServiceOptions['askAccept']>[0], precheck?: () => Promise<string | null>): Promise<AcceptAnswer | { accept: false; reason: string }>;
  /** Files at least this large are hashed on a worker thread while received. */
  readonly hashWorkerMinBytes?: number;
}

/** Two minutes to answer (as the consent prompt), one minute of silence mid-transfer. */
export const DEFAULT_TIMEOUTS: FileTransferTimeouts = { answerMs: 120_000, askMs: 120_000, idleMs: 60_000 };

/** 128 random bits, base64url (22 characters). */
export function newTransferId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * A wake-up for a loop that waits on events (acks, drain, answers). Callers re-check their
 * condition before each `wait()`, so a wake that happens while nobody waits is not needed.
 */
export class Wakeup {
  private resolve: (() => void) | null = null;

  wait(): Promise<void> {
    return new Promise((r) => (this.resolve = r));
  }

  wake(): void {
    const r = this.resolve;
    this.resolve = null;
    r?.();
  }
}

/** `logger` with `fields` added to every entry (which side of the session logged it). */
export function tagLogger(logger: AppLogger, fields: Record<string, unknown>): AppLogger {
  const log = (level: Parameters<AppLogger['log']>[0], message: string, extra?: Record<string, unknown>) => logger.log(level, message, { ...fields, ...extra });
  return { log, info: (m, f) => log('info', m, f), warn: (m, f) => log('warn', m, f), error: (m, f) => log('error', m, f) };
}

/** A timer that does not keep the process alive. */
export function unrefTimer(ms: number, cb: () => void): NodeJS.Timeout {
  const t = setTimeout(cb, ms);
  t.unref?.();
  return t;
}

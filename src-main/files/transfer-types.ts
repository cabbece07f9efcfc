import type { PeerLink } from '../link/link-types';
import type { AppLogger } from '../platform/app-logger';
import type { StatFs, WriteAt } from './safe-write';

/** Which way the bytes go, seen from this side. */
export type TransferDirection = 'send' | 'receive';

/**
 * waiting (sender: for the peer's answer or its turn in the queue; receiver: for the user) →
 * transferring (the sender hashes as it sends) → verifying (sender: waiting for `complete`;
 * receiver: final hash, fsync, rename) → one of the four final states.
 */
export type TransferState = 'waiting' | 'transferring' | 'verifying' | 'completed' | 'declined' | 'cancelled' | 'failed';

/** States after which nothing more happens to a transfer. */
export const FINAL_STATES: ReadonlySet<TransferState> = new Set(['completed', 'declined', 'cancelled', 'failed']);

/** One progress-bar update (also what `list()` returns per transfer). */
export interface TransferProgress {
  transferId: string;
  direction: TransferDirection;
  /** Sender: the file's base name; receiver: the sanitised name (what will be saved, before " (n)"). */
  name: string;
  /** Bytes; 0 on the sender until the file was opened. */
  size: number;
  /** Bytes written by the receiver (the sender counts acknowledged bytes); never goes down. */
  bytesDone: number;
  bytesPerSecond: number;
  /** null while unknown (no speed yet). */
  secondsLeft: number | null;
  state: TransferState;
  /** Why it was declined / cancelled / failed, in words for the user. */
  reason?: string;
  /** Receiver, when completed: the full path the file was saved as. */
  savedAs?: string;
  /** The whole file's SHA-256, once known: the sender's after the last chunk, the receiver's once verified. */
  sha256?: string;
}

/** What the consent prompt is asked about an incoming file. */
export interface IncomingFileOffer {
  transferId: string;
  /** Sanitised for display. */
  name: string;
  size: number;
  peerName: string;
  /** Aborted when the offer goes away (sender cancelled, link lost, safety timeout): close the prompt. */
  signal: AbortSignal;
}

/** The user's answer; `folder` is where to save (Save as…), default the downloads folder. */
export type AcceptAnswer = { accept: true; folder?: string } | { accept: false };

/** Settings that bound what this side accepts (and whether it sends at all). */
export interface FileTransferLimits {
  maxFileBytes: number;
  enabled: boolean;
}

/** For the session's audit log (DESIGN.md section 6). */
export interface FileAuditEvent {
  type: 'file.offered' | 'file.accepted' | 'file.declined' | 'file.completed' | 'file.failed';
  direction: TransferDirection;
  transferId: string;
  peerName: string;
  name: string;
  size: number;
  sha256?: string;
  reason?: string;
  savedAs?: string;
}

/** Timeouts in milliseconds; the defaults suit people, tests shorten them. */
export interface FileTransferTimeouts {
  /** Sender: how long to wait for accept/decline (default 120 s). */
  answerMs: number;
  /** Receiver: safety net in case `askAccept` never settles (default 120 s); counts as a decline. */
  askMs: number;
  /** Either side: no message for an active transfer for this long fails it (default 60 s). */
  idleMs: number;
}

/** What `new FileTransferService(...)` takes: the link, the prompt, the limits, and where to save. */
export interface FileTransferServiceOptions {
  link: PeerLink;
  side: 'requester' | 'helper';
  /** The peer's display name, for prompts, progress and audit. */
  peerName: string;
  /** Main's consent prompt. It implements its own timeout; the service also has a safety timeout. */
  askAccept: (offer: IncomingFileOffer) => Promise<AcceptAnswer>;
  limits: FileTransferLimits;
  logger: AppLogger;
  audit?: (event: FileAuditEvent) => void;
  /** Where accepted files go unless the user picks another folder. */
  downloadsDir: string;
  timeouts?: Partial<FileTransferTimeouts>;
  /** Test seams for the disk: a full disk (writeAt) or a small volume (statfs). */
  io?: { writeAt?: WriteAt; statfs?: StatFs };
  /** Received files at least this large are hashed on a worker thread (default 16 MiB; tests lower it). */
  hashWorkerMinBytes?: number;
  /** Most incoming transfers at once (offers being asked about included); more are declined. Default 4. */
  maxIncoming?: number;
}

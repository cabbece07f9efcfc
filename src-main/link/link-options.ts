/**
 * Options shared by the secure link, the invitation listener and the connector: how incoming
 * headers are validated, where diagnostics go, and the limits that keep a hostile peer in check.
 */
import type { z } from 'zod';
import type { LogLevel } from '../platform/app-logger';
import type { ChannelName } from '../../src-shared/protocol/channels';
import { DEFAULT_MAX_FRAME_BYTES } from './record-layer';

/**
 * One zod schema per channel for the JSON header of incoming messages. A channel without a schema
 * accepts nothing (deny by default): every message the peer sends must have been thought about.
 */
export type ChannelSchemas = Partial<Record<ChannelName, z.ZodType>>;

/** Diagnostics sink, e.g. `(level, msg, fields) => appLogger.log(level, msg, fields)`. Never given secrets. */
export type LinkLog = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/** Tunable limits of an established link. The defaults suit production; tests shorten the timers. */
export interface LinkLimits {
  /** Largest frame accepted or sent (ciphertext + tag). */
  maxFrameBytes: number;
  /** `send` returns false once this many bytes wait in the socket's write buffer. */
  highWaterMark: number;
  /** Keepalive ping period. */
  pingIntervalMs: number;
  /** The link is declared lost ('timeout') when nothing has arrived for this long. */
  idleTimeoutMs: number;
  /** A peer sending more frames than this per second (sustained over about a second) is cut off ('flood'). */
  maxFramesPerSecond: number;
  /** At most this many frames are opened per event-loop turn, so a busy peer cannot starve other work. */
  batchFrames: number;
  /** At most this many bytes are opened per event-loop turn. */
  batchBytes: number;
  /** How long a closing link waits for its goodbye to be flushed before destroying the socket. */
  closeGraceMs: number;
}

/** The production defaults (DESIGN.md §3; both sides notice a lost link within 10 s). */
export const DEFAULT_LINK_LIMITS: LinkLimits = {
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  highWaterMark: 1024 * 1024,
  pingIntervalMs: 2000,
  idleTimeoutMs: 6000,
  maxFramesPerSecond: 20_000,
  batchFrames: 256,
  batchBytes: 4 * 1024 * 1024,
  closeGraceMs: 1000,
};

/** A logger that drops everything (for callers that have none). */
export const silentLog: LinkLog = () => {};

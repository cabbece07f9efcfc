/**
 * Where Easy Connect codes live on the relay: code id → the pairing it stands for, the
 * invitation's non-secret fields, its expiry and how often it was joined. In memory for one
 * instance (memory-code-store.ts) or in Redis shared by several (redis/redis-code-store.ts).
 *
 * The code's password part never reaches the relay: it goes only into the PAKE between the two
 * apps. What the relay guards here is the lookup: ids are short, so they are handed out at random,
 * expire with the invitation, and burn after `maxJoins` joins (relay-code-ops.ts).
 */
import { randomInt } from 'node:crypto';
import type { CodeInfo } from './relay-protocol';
import { CODE_ID_ALPHABET, CODE_ID_LENGTH } from './relay-protocol';

/** What the relay keeps for one code. */
export interface CodeEntry {
  pairingId: string;
  info: CodeInfo;
  /** ms since the epoch; the code is gone after it. */
  expiresAt: number;
  /** Joins after which the code burns. */
  maxJoins: number;
  /** Joins so far (each one a possible password attempt). */
  joins: number;
}

/** The code state behind a relay instance. Every method may throw when the store is unreachable. */
export interface CodeStore {
  readonly kind: 'memory' | 'redis';
  /** Stores `entry` under a fresh random code id; null when no free id was found. */
  register(entry: Omit<CodeEntry, 'joins'>): Promise<string | null>;
  /** The live entry for `code`, or null (unknown or expired). */
  lookup(code: string): Promise<CodeEntry | null>;
  /** Counts one join of `code`; the joins so far including this one, or null when the code is gone. */
  countJoin(code: string): Promise<number | null>;
  /** Removes `code` if it stands for `pairingId` (only the requester knows that id); true if removed. */
  remove(code: string, pairingId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** A random code id (uniform over the alphabet: randomInt rejects biased draws). */
export function randomCodeId(length = CODE_ID_LENGTH): string {
  let id = '';
  for (let i = 0; i < length; i++) id += CODE_ID_ALPHABET[randomInt(CODE_ID_ALPHABET.length)];
  return id;
}

/** Free ids tried before giving up: with the id space less than half full, 24 misses in a row is < 1e-7. */
export const CODE_ID_TRIES = 24;

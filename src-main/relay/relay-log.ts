/**
 * Structured logs of the relay: one JSON object per line and per event, for journald, a log
 * shipper or `jq`. Never payloads, never pairing ids (whoever holds one may join the pairing):
 * a short hash stands in for the id so that events of one pairing can still be correlated.
 */
import { createHash } from 'node:crypto';

/** Severity of a relay event. */
export type RelayLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The relay's logger: an event name plus flat fields. */
export type RelayLog = (level: RelayLogLevel, event: string, fields?: Record<string, unknown>) => void;

/** A logger writing JSON lines to `write` (default: stdout), with `base` fields in every line. */
export function createJsonLog(write: (line: string) => void = (l) => void process.stdout.write(l + '\n'), base: Record<string, unknown> = {}): RelayLog {
  return (level, event, fields) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...base, ...fields }));
  };
}

/** A logger that drops everything. */
export const silentRelayLog: RelayLog = () => {};

/** The log (and Redis key) stand-in for a pairing id: 12 hex digits of its SHA-256. */
export function pairingTag(pairingId: string): string {
  return createHash('sha256').update(pairingId, 'utf8').digest('hex').slice(0, 12);
}

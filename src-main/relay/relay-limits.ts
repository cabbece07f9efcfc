/**
 * The relay's limits: what one address, one pair and the whole instance may use. The defaults
 * suit an organisation's relay for remote-assistance sessions (screen video does not pass here:
 * it rides WebRTC; the relay carries control, chat, signalling and file transfers).
 */

/** Tunable limits of a relay instance (all per instance; see docs/relay.md on several instances). */
export interface RelayLimits {
  /** Open WebSockets from one client IP address. */
  maxConnectionsPerIp: number;
  /** New pairings (host requests) from one IP address per rolling minute. */
  maxNewPairingsPerIpPerMinute: number;
  /** Open WebSockets in total. */
  maxConnections: number;
  /** Bytes per second each end of a pair may send (per direction); faster senders are slowed, not cut. */
  pairBytesPerSecond: number;
  /** Bytes a pair may move in total (both directions); then it is closed (4413). */
  pairMaxBytes: number;
  /** A client must send its hello within this time. */
  helloTimeoutMs: number;
  /** A host waits at most this long for a joiner (then 4408; the app hosts again). */
  waitTimeoutMs: number;
  /** A pair with no bytes in either direction for this long is closed (4408). The link pings every 2 s. */
  idleTimeoutMs: number;
  /** A pair is closed after this long, whatever it does (4410). */
  maxPairLifetimeMs: number;
  /** Largest WebSocket message accepted. */
  maxMessageBytes: number;
  /**
   * Bytes in flight from one end to the other before the sender is paused (flow control). Small
   * enough that many pairs fit in Redis' pub/sub output buffer limit (docs/relay.md), large enough
   * for window/RTT to exceed any realistic link rate between instances in one site.
   */
  flowWindowBytes: number;
  /** WebSocket ping period, which keeps idle connections open through proxies and finds dead ones. */
  pingIntervalMs: number;
  /** Easy Connect: code lookups (code joins) one address may make per rolling minute. */
  codeLookupsPerIpPerMinute: number;
  /** Easy Connect: lookups of unknown codes one address may make per rolling hour. */
  codeMissesPerIpPerHour: number;
  /** Easy Connect: a code burns after at most this many joins, whatever the requester asked. */
  maxCodeJoins: number;
  /** Easy Connect: a code lives at most this long, whatever the invitation's expiry. */
  maxCodeLifetimeMs: number;
}

/** Production defaults. */
export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxConnectionsPerIp: 20,
  maxNewPairingsPerIpPerMinute: 30,
  maxConnections: 10_000,
  pairBytesPerSecond: 16 * 1024 * 1024,
  pairMaxBytes: 8 * 1024 * 1024 * 1024,
  helloTimeoutMs: 10_000,
  waitTimeoutMs: 30 * 60_000,
  idleTimeoutMs: 60_000,
  maxPairLifetimeMs: 12 * 3600_000,
  maxMessageBytes: 1024 * 1024,
  flowWindowBytes: 1024 * 1024,
  pingIntervalMs: 20_000,
  codeLookupsPerIpPerMinute: 10,
  codeMissesPerIpPerHour: 20,
  maxCodeJoins: 5,
  maxCodeLifetimeMs: 24 * 3600_000,
};

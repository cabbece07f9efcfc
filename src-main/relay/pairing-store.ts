/**
 * Where pairings live: which host waits under which pairing id, who joined it, and how bytes get
 * from one end to the other. In memory for a single relay instance (memory-pairing-store.ts), or
 * in Redis so that several instances behind a load balancer can pair two clients that landed on
 * different instances (redis/redis-pairing-store.ts). The relay connection code is the same for both.
 */

/** What a store tells one end of a pair. Called on the relay's event loop, never re-entrantly from `send`. */
export interface PairHooks {
  /** A joiner arrived (hosts only: a join succeeds already paired). */
  onPaired(): void;
  /** Bytes from the other end, to be written to this end's client. Report them with `consumed` once written. */
  onData(data: Buffer): void;
  /** The other end left, or its relay instance closed it: `code`/`reason` say why (RELAY_CLOSE). */
  onPeerClosed(code: number, reason: string): void;
  /** The flow-control window that `send` reported full has room again. */
  onDrain(): void;
}

/** One end of a pairing, held by the relay connection of its client. */
export interface PairEndpoint {
  /** Forwards bytes to the other end. False when the window is full: pause the client until `onDrain`. */
  send(data: Buffer): boolean;
  /** This end's client has been sent `n` bytes that arrived through `onData`: the other end may send more. */
  consumed(n: number): void;
  /** Leaves the pairing, telling the other end `code`/`reason`, and frees the pairing id. Idempotent. */
  close(code: number, reason: string): void;
}

/** Result of hosting a pairing id. */
export type HostResult = { endpoint: PairEndpoint } | { refused: 'taken' | 'unavailable' };
/** Result of joining a pairing id. */
export type JoinResult = { endpoint: PairEndpoint } | { refused: 'unknown' | 'full' | 'unavailable' };

/** The pairing state behind a relay instance. */
export interface PairingStore {
  readonly kind: 'memory' | 'redis';
  /** Registers a host under `pairingId` (refused when another host holds it). */
  host(pairingId: string, hooks: PairHooks, windowBytes: number): Promise<HostResult>;
  /** Joins the host waiting under `pairingId` (refused when there is none, or it already has a joiner). */
  join(pairingId: string, hooks: PairHooks, windowBytes: number): Promise<JoinResult>;
  /** False while the store cannot pair (e.g. Redis unreachable). */
  healthy(): boolean;
  close(): Promise<void>;
}

/**
 * Credit-based flow control for one direction: bytes sent but not yet written to the receiving
 * client count against a window. Without it a fast sender and a slow receiver would pile the
 * difference up in the relay's memory (or in Redis' output buffers).
 */
export class CreditWindow {
  private inFlight = 0;
  private blocked = false;

  constructor(
    private readonly windowBytes: number,
    private readonly onDrain: () => void,
  ) {}

  /** Counts `n` bytes sent; false when the window is now full. */
  sent(n: number): boolean {
    this.inFlight += n;
    if (this.inFlight >= this.windowBytes) this.blocked = true;
    return !this.blocked;
  }

  /** The receiver wrote `n` bytes: below half the window a blocked sender may go on. */
  credit(n: number): void {
    this.inFlight = Math.max(0, this.inFlight - n);
    if (this.blocked && this.inFlight <= this.windowBytes / 2) {
      this.blocked = false;
      this.onDrain();
    }
  }
}

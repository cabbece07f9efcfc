/**
 * The pairing store of a single relay instance: a map from pairing id to the waiting host and,
 * once joined, direct hand-over of bytes between the two ends.
 */
import { CreditWindow, type HostResult, type JoinResult, type PairEndpoint, type PairHooks, type PairingStore } from './pairing-store';

interface Pairing {
  host: Side;
  joiner: Side | null;
}

interface Side {
  hooks: PairHooks;
  /** Flow control of what this side sends. */
  window: CreditWindow;
  closed: boolean;
}

/** In-memory PairingStore (the default). */
export class MemoryPairingStore implements PairingStore {
  readonly kind = 'memory' as const;
  private readonly pairings = new Map<string, Pairing>();

  async host(pairingId: string, hooks: PairHooks, windowBytes: number): Promise<HostResult> {
    if (this.pairings.has(pairingId)) return { refused: 'taken' };
    const host: Side = { hooks, window: new CreditWindow(windowBytes, () => hooks.onDrain()), closed: false };
    const pairing: Pairing = { host, joiner: null };
    this.pairings.set(pairingId, pairing);
    return { endpoint: this.endpoint(pairingId, pairing, host) };
  }

  async join(pairingId: string, hooks: PairHooks, windowBytes: number): Promise<JoinResult> {
    const pairing = this.pairings.get(pairingId);
    if (!pairing) return { refused: 'unknown' };
    if (pairing.joiner) return { refused: 'full' };
    const joiner: Side = { hooks, window: new CreditWindow(windowBytes, () => hooks.onDrain()), closed: false };
    pairing.joiner = joiner;
    // After this returns: the joiner's connection says "paired" first, then the host's hears it.
    queueMicrotask(() => {
      if (!pairing.host.closed && !joiner.closed) pairing.host.hooks.onPaired();
    });
    return { endpoint: this.endpoint(pairingId, pairing, joiner) };
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.pairings.clear();
  }

  /** Pairings currently registered (waiting or paired). */
  get size(): number {
    return this.pairings.size;
  }

  private endpoint(pairingId: string, pairing: Pairing, me: Side): PairEndpoint {
    const other = (): Side | null => (me === pairing.host ? pairing.joiner : pairing.host);
    return {
      send: (data) => {
        const peer = other();
        if (me.closed || !peer || peer.closed) return true;
        const ok = me.window.sent(data.length);
        peer.hooks.onData(data);
        return ok;
      },
      consumed: (n) => {
        other()?.window.credit(n);
      },
      close: (code, reason) => {
        if (me.closed) return;
        me.closed = true;
        // The pairing id is free again at once: the requester may host it anew for the next attempt.
        if (this.pairings.get(pairingId) === pairing) this.pairings.delete(pairingId);
        const peer = other();
        if (peer && !peer.closed) {
          peer.closed = true;
          peer.hooks.onPeerClosed(code, reason);
        }
      },
    };
  }
}

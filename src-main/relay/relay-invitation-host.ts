/**
 * Keeps an open invitation reachable through a relay: host the pairing id, hand each helper who
 * joins to the invitation's listener (`listener.accept`: the same handshake and the same
 * wrong-password budget as direct TCP connections), and host again after every attempt, until
 * the invitation is used, locked, expired or cancelled. A relay pairing holds one helper at a
 * time, so the next helper can join as soon as the previous attempt ends.
 */
import { isAppError } from '../../src-shared/contract/errors';
import type { InvitationListener } from '../link/invitation-listener';
import type { LinkLog } from '../link/link-options';
import { openRelayStream } from './relay-client';
import type { RelayIceServer } from './relay-protocol';

/** Options of `hostInvitationOnRelay`. */
export interface RelayInvitationHostOptions {
  url: string;
  pairingId: string;
  logger: LinkLog;
  /** How long one registration waits for a helper before registering again (default 10 min; the relay's own limit is 30 min). */
  waitTimeoutMs?: number;
  /** First delay after a failure to reach the relay; doubles up to `maxRetryDelayMs` (defaults 1 s, 30 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Status for the UI: waiting at the relay, a helper is connecting, or retrying after `error`. */
  onStatus?: (status: RelayHostStatus) => void;
}

/**
 * Where hosting stands. 'helper-connected' carries the TURN credentials the relay handed to this
 * pair (empty when it mints none), for the session's screen video.
 */
export type RelayHostStatus =
  | { state: 'waiting' }
  | { state: 'helper-connected'; iceServers: readonly RelayIceServer[] }
  | { state: 'retrying'; error: string; inMs: number }
  | { state: 'stopped' };

/** A running relay host for one invitation. */
export interface RelayInvitationHost {
  /** Stops waiting at the relay (an attempt in progress finishes through the listener). */
  stop(): Promise<void>;
}

/** Starts hosting `listener`'s invitation on the relay; it stops by itself when the invitation closes. */
export function hostInvitationOnRelay(listener: InvitationListener, opts: RelayInvitationHostOptions): RelayInvitationHost {
  const abort = new AbortController();
  const status = (s: RelayHostStatus) => {
    try {
      opts.onStatus?.(s);
    } catch (e) {
      opts.logger('error', 'a relay status handler threw', { error: e instanceof Error ? e.message : String(e) });
    }
  };
  const offs = (['linked', 'locked', 'expired'] as const).map((ev) => listener.on(ev, () => abort.abort(new Error('invitation closed'))));
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      abort.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });

  const loop = async () => {
    let delay = opts.retryDelayMs ?? 1000;
    let conflicts = 0;
    while (!abort.signal.aborted && listener.state === 'open') {
      try {
        const stream = await openRelayStream({
          url: opts.url,
          pairingId: opts.pairingId,
          role: 'host',
          timeoutMs: opts.waitTimeoutMs ?? 10 * 60_000,
          signal: abort.signal,
          onWaiting: () => status({ state: 'waiting' }),
        });
        delay = opts.retryDelayMs ?? 1000;
        conflicts = 0;
        status({ state: 'helper-connected', iceServers: stream.iceServers });
        await listener.accept(stream, stream.peerAddress);
      } catch (e) {
        if (abort.signal.aborted) break;
        // Nobody came within the wait: just register again.
        if (isAppError(e, 'timeout')) continue;
        // Hosting again right after an attempt can reach the relay before it has seen the previous
        // pair close: the id is briefly still taken. Try again shortly, without alarming anyone.
        if (isAppError(e, 'conflict') && ++conflicts <= 5) {
          await sleep(100 * conflicts);
          continue;
        }
        const error = e instanceof Error ? e.message : String(e);
        opts.logger('warn', 'relay hosting failed; retrying', { error, inMs: delay });
        status({ state: 'retrying', error, inMs: delay });
        await sleep(delay);
        delay = Math.min(delay * 2, opts.maxRetryDelayMs ?? 30_000);
      }
    }
  };
  const done = loop().finally(() => {
    for (const off of offs) off();
    status({ state: 'stopped' });
  });

  return {
    stop: async () => {
      abort.abort(new Error('stopped'));
      await done;
    },
  };
}

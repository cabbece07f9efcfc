/**
 * The requester's presence at the relay for one open invitation: host its pairing (every helper
 * who joins goes through the invitation's own listener and budget), report where that stands in
 * words for the waiting screen, keep the TURN credentials the relay hands each pair, and — for
 * Easy Connect — remove the code from the relay once the invitation is closed, so nobody can
 * spend lookups or joins on it any more.
 */
import type { InvitationListener } from '../link/invitation-listener';
import type { LinkLog } from '../link/link-options';
import { removeRelayCode } from '../relay/relay-client';
import { hostInvitationOnRelay, type RelayHostStatus } from '../relay/relay-invitation-host';
import type { RelayIceServer } from '../relay/relay-protocol';

/** Options of `presentOnRelay`. */
export interface RelayPresenceOptions {
  url: string;
  pairingId: string;
  /** The Easy Connect code id registered for this pairing, to remove when the invitation closes. */
  codeId?: string;
  logger: LinkLog;
  /** A sentence for the waiting screen whenever the state changes (null once stopped). */
  onStatus: (text: string | null) => void;
}

/** A running presence; `stop` is idempotent. */
export interface RelayPresence {
  /** The TURN credentials from the latest pair (empty when the relay mints none). */
  iceServers(): RelayIceServer[];
  /** Stops hosting and removes the code (best effort: an unreachable relay lets it expire instead). */
  stop(): Promise<void>;
}

/** Starts hosting `listener`'s invitation on the relay. */
export function presentOnRelay(listener: InvitationListener, o: RelayPresenceOptions): RelayPresence {
  let ice: RelayIceServer[] = [];
  const where = relayHost(o.url);
  const host = hostInvitationOnRelay(listener, {
    url: o.url,
    pairingId: o.pairingId,
    logger: o.logger,
    onStatus: (s: RelayHostStatus) => {
      if (s.state === 'helper-connected') ice = [...s.iceServers];
      o.onStatus(statusText(s, where));
    },
  });
  let stopping: Promise<void> | null = null;
  return {
    iceServers: () => ice,
    stop: () =>
      (stopping ??= (async () => {
        await host.stop();
        if (!o.codeId) return;
        try {
          await removeRelayCode({ url: o.url, pairingId: o.pairingId, codeId: o.codeId, timeoutMs: 5000 });
        } catch (e) {
          o.logger('warn', 'could not remove the Easy Connect code from the relay; it expires with the invitation', { error: (e as Error).message });
        }
      })()),
  };
}

/** The waiting screen's line for a hosting state. */
export function statusText(s: RelayHostStatus, where: string): string | null {
  switch (s.state) {
    case 'waiting':
      return `Waiting for your helper at the relay ${where}.`;
    case 'helper-connected':
      return `Someone is connecting through the relay ${where}…`;
    case 'retrying':
      return `The relay ${where} cannot be reached right now (${s.error}). Trying again in ${Math.max(1, Math.round(s.inMs / 1000))} s.`;
    case 'stopped':
      return null;
  }
}

function relayHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

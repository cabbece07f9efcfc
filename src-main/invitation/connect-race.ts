/**
 * The helper's Connect when an invitation offers more than one way in: its direct addresses and a
 * relay pairing. All transports are opened at once (TCP connects staggered, the relay join in
 * parallel) and the password handshake runs on exactly ONE of them: the first direct connection,
 * or the relay if no direct one connects within a short grace after the relay paired. Each
 * handshake with a wrong password costs the invitation one attempt, so a Connect must never run
 * two.
 *
 * Falling back after a handshake: only when the other end proved it charged nothing — it refused
 * before our share could be used ('unknown-invitation': another invitation's listener now has
 * that port; 'incompatible'), or answered with bytes that are not our protocol (a different
 * service on that port). The listener charges after reading our hello and before answering, so
 * any other failure (a wrong password, a timeout, a connection lost mid-way) may have cost an
 * attempt, and is reported instead of retried elsewhere.
 */
import net, { type Socket } from 'node:net';
import { AppError, isAppError } from '../../src-shared/contract/errors';
import { connectToInvitationOver, type ConnectResult, type LinkCandidate } from '../link/invitation-connector';
import { DisplayName, InvitationId } from '../link/handshake-messages';
import type { ChannelSchemas, LinkLimits, LinkLog } from '../link/link-options';
import { formatPeerAddress } from '../link/peer-address';
import { openRelayStream } from '../relay/relay-client';
import type { RelayIceServer } from '../relay/relay-protocol';
import type { RelayStream } from '../relay/relay-stream';

/** Options of `connectRacing`. */
export interface RaceConnectOptions {
  /** Direct addresses (may be empty: relay only). */
  candidates: LinkCandidate[];
  /** The invitation's relay rendezvous, or null. */
  relay: { url: string; pairingId: string } | null;
  invitationId: string;
  password: string;
  helperName: string;
  requesterName?: string;
  channelSchemas: ChannelSchemas;
  logger: LinkLog;
  handshakeTimeoutMs?: number;
  linkLimits?: Partial<LinkLimits>;
  /** Time allowed for TCP connects to the direct addresses (default 5 s). */
  connectTimeoutMs?: number;
  /** Time allowed to be paired through the relay (default 10 s). */
  relayTimeoutMs?: number;
  /** After the relay paired, how long a still-connecting direct address may take to win (default 250 ms). */
  relayGraceMs?: number;
  /** Delay between starting direct connects (default 150 ms, as in Happy Eyeballs). */
  staggerMs?: number;
}

/** A successful Connect, and how it went. */
export interface RaceResult extends ConnectResult {
  via: 'direct' | 'relay';
  /** TURN credentials from the relay, if it paired us (even when the direct way won). */
  iceServers: RelayIceServer[];
}

type Transport = { kind: 'direct'; stream: Socket; peerAddress: string; candidate: LinkCandidate } | { kind: 'relay'; stream: RelayStream; peerAddress: string };

/**
 * Connects to an invitation by the first way that works, spending at most one password attempt.
 * Rejects with the AppErrors of `connectToInvitation`; when no way worked, 'unreachable' (or the
 * relay's own error when it was the only way) saying what failed on each.
 */
export async function connectRacing(opts: RaceConnectOptions): Promise<RaceResult> {
  if (!DisplayName.safeParse(opts.helperName).success) {
    throw new AppError('invalid-input', 'Your name must be 1 to 64 characters, without control characters or leading or trailing spaces.');
  }
  if (!InvitationId.safeParse(opts.invitationId).success) throw new AppError('invalid-input', 'The invitation id is malformed. Open the invitation file again or ask for a new one.');
  let direct = [...opts.candidates];
  let relay = opts.relay;
  if (direct.length === 0 && !relay) throw new AppError('invalid-input', 'The invitation lists no address and no relay to connect to. Ask for a new invitation.');
  let iceServers: RelayIceServer[] = [];
  let lastError: unknown = null;
  while (direct.length > 0 || relay) {
    const t = await firstTransport(direct, relay, opts, (ice) => (iceServers = ice));
    opts.logger('info', 'connected; starting the invitation handshake', { peerAddress: t.peerAddress, via: t.kind });
    try {
      const r = await connectToInvitationOver(t.stream, { ...opts, peerAddress: t.peerAddress });
      return { ...r, via: t.kind, iceServers };
    } catch (e) {
      if (!spentNothing(e)) throw e;
      opts.logger('warn', 'not this invitation at that address (nothing charged); trying the other ways', { peerAddress: t.peerAddress, error: (e as Error).message });
      lastError = e;
      if (t.kind === 'relay') relay = null;
      else direct = direct.filter((c) => c !== t.candidate);
    }
  }
  throw lastError;
}

/** True when the failed handshake provably cost no attempt (see the file comment). */
export function spentNothing(e: unknown): boolean {
  if (!isAppError(e)) return false;
  const refusal = e.details?.refusal;
  return refusal === 'unknown-invitation' || refusal === 'incompatible' || e.details?.handshake === 'protocol-error';
}

/**
 * Opens every way at once and resolves with the one to use: a direct connection as soon as one
 * connects; the relay once paired, if no direct address has connected within the grace (or all
 * failed). Every other connection is closed before anything is written to it.
 */
function firstTransport(direct: LinkCandidate[], relay: RaceConnectOptions['relay'], opts: RaceConnectOptions, onIce: (ice: RelayIceServer[]) => void): Promise<Transport> {
  const who = opts.requesterName ? `${opts.requesterName}'s computer` : "the requester's computer";
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5000;
  return new Promise<Transport>((resolve, reject) => {
    const sockets: Socket[] = [];
    const failures: string[] = [];
    let next = 0;
    let directDone = direct.length === 0;
    let relayState: 'none' | 'pending' | 'ready' | 'failed' = relay ? 'pending' : 'none';
    let relayStream: RelayStream | null = null;
    let relayError: unknown = null;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const abortRelay = new AbortController();

    const finish = (winner: Transport | null, err?: unknown) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) if (s !== winner?.stream) s.destroy();
      if (winner?.kind !== 'relay') {
        abortRelay.abort(new Error('another way connected first'));
        relayStream?.destroy();
      }
      if (winner) resolve(winner);
      else reject(err);
    };
    const settleIfStuck = () => {
      if (done || !directDone) return;
      if (relayState === 'ready') return finish({ kind: 'relay', stream: relayStream!, peerAddress: relayStream!.peerAddress });
      if (relayState === 'pending') return;
      finish(null, noWayError(direct, failures, relay ? relayError : null, who, connectTimeoutMs));
    };

    // Direct: staggered connects, the first to connect wins.
    const startNext = () => {
      if (done || next >= direct.length) return;
      const candidate = direct[next++]!;
      const socket = net.connect({ host: candidate.host, port: candidate.port });
      sockets.push(socket);
      socket.on('error', (err: Error & { code?: string }) => {
        socket.destroy();
        if (done) return;
        failures.push(err.code ?? err.message);
        if (failures.length === direct.length) {
          directDone = true;
          settleIfStuck();
        } else startNext(); // a fast failure need not wait for the stagger
      });
      socket.once('connect', () => finish({ kind: 'direct', stream: socket, candidate, peerAddress: formatPeerAddress(socket.remoteAddress ?? candidate.host, socket.remotePort ?? candidate.port) }));
      timers.push(setTimeout(startNext, opts.staggerMs ?? 150));
    };
    if (direct.length > 0) {
      startNext();
      timers.push(
        setTimeout(() => {
          if (directDone) return;
          directDone = true;
          failures.push(`no answer within ${Math.round(connectTimeoutMs / 100) / 10} s`);
          for (const s of sockets) s.destroy();
          settleIfStuck();
        }, connectTimeoutMs),
      );
    }

    // Relay: join in parallel; it waits for the direct ways for a short grace.
    if (relay) {
      joinRelay(relay, opts.relayTimeoutMs ?? 10_000, abortRelay.signal).then(
        (stream) => {
          relayStream = stream;
          onIce([...stream.iceServers]);
          if (done) {
            stream.destroy();
            return;
          }
          relayState = 'ready';
          if (directDone) return settleIfStuck();
          timers.push(setTimeout(() => finish({ kind: 'relay', stream, peerAddress: stream.peerAddress }), opts.relayGraceMs ?? 250));
        },
        (e: unknown) => {
          relayState = 'failed';
          relayError = e;
          settleIfStuck();
        },
      );
    }
  });
}

/**
 * Joins the relay pairing, retrying briefly while nobody waits or the pairing is busy: the
 * requester hosts again right after every attempt, so a join can land in that gap.
 */
async function joinRelay(relay: { url: string; pairingId: string }, timeoutMs: number, signal: AbortSignal): Promise<RelayStream> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await openRelayStream({ url: relay.url, pairingId: relay.pairingId, role: 'join', timeoutMs: Math.max(1000, deadline - Date.now()), signal });
    } catch (e) {
      if (signal.aborted || !(isAppError(e, 'not-found') || isAppError(e, 'conflict')) || Date.now() + 300 >= deadline) throw e;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

function noWayError(direct: LinkCandidate[], failures: string[], relayError: unknown, who: string, timeoutMs: number): AppError {
  if (direct.length === 0 && relayError) return isAppError(relayError) ? relayError : new AppError('unreachable', `Could not connect through the relay: ${String(relayError)}`);
  const where = direct.map((c) => formatPeerAddress(c.host, c.port)).join(', ');
  const ports = [...new Set(direct.map((c) => c.port))];
  const why = failures.length ? failures.join(', ') : `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const directText = `Could not reach ${who} at ${where} (${why}).`;
  if (!relayError) return new AppError('unreachable', `${directText} The invitation may have been cancelled, or a firewall may block port${ports.length === 1 ? ` ${ports[0]}` : `s ${ports.join(', ')}`}.`, { failures });
  const relayText = relayError instanceof Error ? relayError.message : String(relayError);
  return new AppError('unreachable', `${directText} Through the relay it did not work either: ${relayText}`, { failures });
}


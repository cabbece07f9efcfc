/**
 * The requester's listener for one invitation: accepts helpers on a dynamic TCP port, runs the
 * password handshake, and hands out exactly one SecureLink. It closes itself when the invitation
 * is used, locked (too many wrong passwords) or cancelled, and refuses latecomers after expiry.
 *
 * Denial-of-service limits: pending handshakes are capped per remote address and overall, every
 * handshake has a deadline, and nothing is charged or computed for a connection refused early.
 *
 * Streams that reach the requester another way (through a relay: `acceptInvitationOver`) enter
 * the very same path as TCP connections, so they share the one wrong-password budget, the pending
 * limits, the events and the single "used" outcome: a second way in must never mean a second budget.
 */
import net, { type Socket } from 'node:net';
import type { LinkStream } from './link-stream';
import { DEFAULT_LINK_LIMITS, type ChannelSchemas, type LinkLimits, type LinkLog } from './link-options';
import type { PeerLink } from './link-types';
import { HandshakeError, type HandshakeFailureReason, type Refusal } from './link-errors';
import { DisplayName, InvitationId, encodeHandshakeMessage } from './handshake-messages';
import { AppError } from '../../src-shared/contract/errors';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, closeGracefully } from './handshake-stream';
import { runResponderHandshake, type InvitationGate } from './handshake-responder';
import { InvitationBudget, type InvitationState } from './invitation-budget';
import { SecureLink } from './secure-link';
import { TypedEvents } from './typed-events';
import { formatPeerAddress } from './peer-address';
import { listenDualStack as listen, normalizeIp } from './tcp-listen';

/** Options of `startInvitationListener`. */
export interface InvitationListenerOptions {
  invitationId: string;
  password: string;
  requesterName: string;
  /** When the invitation expires (a Date, or ms since the epoch). */
  expiresAt: number | Date;
  /** The wrong-password budget shared by all connections (default 5). */
  maxAttempts?: number;
  channelSchemas: ChannelSchemas;
  logger: LinkLog;
  handshakeTimeoutMs?: number;
  /** Interface to bind; default all interfaces, IPv6 and IPv4. Tests use '127.0.0.1'. */
  host?: string;
  /** Port to bind; default 0 (the OS picks one, which goes into the invitation's candidates). */
  port?: number;
  /** Concurrent handshakes allowed from one IP address (default 4) and in total (default 32). */
  maxPendingPerAddress?: number;
  maxPending?: number;
  /** How long after expiry latecomers still get a clear "expired" answer before the port closes (default 10 min). */
  expiredGraceMs?: number;
  /** Limits for the link once established. */
  linkLimits?: Partial<LinkLimits>;
}

/** Events of an invitation listener (for the UI and the audit log). */
export interface InvitationListenerEvents {
  /** A TCP connection arrived (audit: "connection attempted"). */
  attempt: { peerAddress: string };
  /** A helper got our share but did not prove the password: one attempt of the budget is gone. */
  'wrong-password': { peerAddress: string; attemptsLeft: number };
  /** The budget is spent: the invitation closed itself. */
  locked: { maxAttempts: number };
  /** A connection ended without a link for another reason (refused, garbage, timeout …). */
  'handshake-failed': { peerAddress: string; reason: HandshakeFailureReason; message: string };
  /** A helper proved the password. The invitation is used; the listener has stopped accepting. */
  linked: { link: PeerLink; helperName: string; peerAddress: string };
  /** The invitation expired. */
  expired: { expiresAt: number };
}

/** A running invitation listener. */
export interface InvitationListener {
  /** The TCP port helpers connect to. */
  readonly port: number;
  readonly attemptsLeft: number;
  readonly state: InvitationState;
  on<E extends keyof InvitationListenerEvents>(event: E, cb: (payload: InvitationListenerEvents[E]) => void): () => void;
  /**
   * Runs this invitation's handshake on a stream that arrived another way (a relay), exactly as for
   * a TCP connection: same budget, limits and events. `peerAddress` is what the prompt and the
   * audit log show (e.g. "via relay wss://relay.example.org"). Resolves when the handshake has
   * ended either way (then see `state`); never rejects. The stream belongs to the listener from now on.
   */
  accept(stream: LinkStream, peerAddress: string): Promise<void>;
  /** Cancels the invitation (if still open) and stops listening. An established link is not affected. */
  close(): Promise<void>;
}

/** Starts listening for helpers of one invitation. Rejects if no port can be bound. */
export async function startInvitationListener(opts: InvitationListenerOptions): Promise<InvitationListener> {
  if (!DisplayName.safeParse(opts.requesterName).success) {
    throw new AppError('invalid-input', 'Your name must be 1 to 64 characters, without control characters or leading or trailing spaces.');
  }
  if (!InvitationId.safeParse(opts.invitationId).success) throw new AppError('invalid-input', 'The invitation id must be 8 to 128 letters, digits, "-" or "_".');
  if (opts.password.length === 0) throw new AppError('invalid-input', 'The invitation needs a password.');
  const expiresAt = typeof opts.expiresAt === 'number' ? opts.expiresAt : opts.expiresAt.getTime();
  if (!Number.isFinite(expiresAt)) throw new AppError('invalid-input', 'The invitation has no valid expiry time.');
  const maxAttempts = opts.maxAttempts ?? 5;
  const timeoutMs = opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const perAddressLimit = opts.maxPendingPerAddress ?? 4;
  const totalLimit = opts.maxPending ?? 32;
  const log = opts.logger;
  const events = new TypedEvents<InvitationListenerEvents>((event, err) => log('error', 'an invitation listener subscriber threw', { event, error: String(err) }));
  const pendingByAddress = new Map<string, number>();
  const pending = new Set<AbortController>();
  let listening = true;

  const stopListening = () => {
    if (!listening) return;
    listening = false;
    server.close();
  };
  const abortPending = (refusal: Refusal) => {
    for (const c of pending) c.abort(refusal);
  };

  const budget = new InvitationBudget(opts.invitationId, maxAttempts, expiresAt, {
    wrongAttempt: (peerAddress, attemptsLeft, cause) => {
      log('warn', 'invitation: wrong password or abandoned attempt', { peerAddress, attemptsLeft, cause });
      events.emit('wrong-password', { peerAddress, attemptsLeft });
    },
    locked: () => {
      log('warn', 'invitation locked after too many wrong passwords', { maxAttempts });
      stopListening();
      abortPending({ reason: 'locked', message: 'Too many wrong passwords were tried; ask for a new invitation.' });
      events.emit('locked', { maxAttempts });
    },
    used: () => {
      // Nobody else may join: stop accepting, and turn away anyone still mid-handshake.
      stopListening();
      abortPending({ reason: 'used', message: 'This invitation has already been used by another helper. Ask for a new invitation.' });
    },
  });

  const onConnection = (socket: Socket) => {
    const ip = normalizeIp(socket.remoteAddress ?? 'unknown');
    void admit(socket, ip, formatPeerAddress(ip, socket.remotePort));
  };

  /** Admits one incoming stream; `ip` keys the per-address pending limit (for a relay stream: its address text). */
  const admit = (socket: LinkStream, ip: string, peerAddress: string): Promise<void> => {
    socket.on('error', () => {}); // errors surface through the handshake; never unhandled
    events.emit('attempt', { peerAddress });
    const failed = (reason: HandshakeFailureReason, message: string) => {
      log('info', 'invitation handshake failed', { peerAddress, reason, message });
      events.emit('handshake-failed', { peerAddress, reason, message });
    };

    // Cheap refusals first: no state, no CPU, before reading a byte.
    const early = budget.check(opts.invitationId);
    const fromThisIp = pendingByAddress.get(ip) ?? 0;
    const refusal: Refusal | null = early
      ? early
      : pending.size >= totalLimit || fromThisIp >= perAddressLimit
        ? { reason: 'busy', message: 'Too many connection attempts at once; try again in a few seconds.' }
        : null;
    if (refusal) {
      socket.write(encodeHandshakeMessage({ type: 'refuse', ...refusal }));
      closeGracefully(socket);
      failed('refused', refusal.message);
      return Promise.resolve();
    }

    const controller = new AbortController();
    pending.add(controller);
    pendingByAddress.set(ip, fromThisIp + 1);
    const gate: InvitationGate = {
      check: (id) => budget.check(id),
      charge: (id) => budget.charge(id, peerAddress),
    };
    return runResponderHandshake(socket, { password: opts.password, requesterName: opts.requesterName, gate, timeoutMs, signal: controller.signal })
      .then((result) => {
        const link = new SecureLink({
          socket,
          sendKey: result.keys.requesterToHelper,
          recvKey: result.keys.helperToRequester,
          localName: opts.requesterName,
          peerName: result.helperName,
          peerAddress,
          role: 'requester',
          channelSchemas: opts.channelSchemas,
          logger: log,
          initialBytes: result.leftover,
          limits: { ...DEFAULT_LINK_LIMITS, ...opts.linkLimits },
        });
        log('info', 'invitation used: helper linked', { peerAddress, helperName: result.helperName });
        events.emit('linked', { link, helperName: result.helperName, peerAddress });
      })
      .catch((e: unknown) => {
        const err = e instanceof HandshakeError ? e : new HandshakeError('protocol-error', String(e));
        // Failures after the charge were already reported as 'wrong-password' by the budget.
        if (!err.extra.reportedAsWrongPassword) failed(err.reason, err.message);
      })
      .finally(() => {
        pending.delete(controller);
        const n = (pendingByAddress.get(ip) ?? 1) - 1;
        if (n <= 0) pendingByAddress.delete(ip);
        else pendingByAddress.set(ip, n);
      });
  };

  const server = net.createServer({ noDelay: true }, onConnection);
  server.on('error', (err) => log('error', 'invitation listener error', { error: err.message }));
  const port = await listen(server, opts.host, opts.port ?? 0);

  // Expiry: refuse with "expired" from the moment it passes, then close the port after a grace period.
  const graceMs = opts.expiredGraceMs ?? 10 * 60_000;
  let expiryTimer: NodeJS.Timeout | null = null;
  const armExpiry = () => {
    const wait = expiresAt - Date.now();
    if (wait > 2 ** 31 - 1) {
      expiryTimer = setTimeout(armExpiry, 2 ** 31 - 1);
    } else {
      expiryTimer = setTimeout(onExpired, Math.max(0, wait));
    }
    expiryTimer.unref();
  };
  const onExpired = () => {
    if (budget.state !== 'expired') return; // used, locked or cancelled first
    log('info', 'invitation expired', { expiresAt });
    const refusal = budget.check(opts.invitationId);
    if (refusal) abortPending(refusal);
    events.emit('expired', { expiresAt });
    expiryTimer = setTimeout(stopListening, graceMs);
    expiryTimer.unref();
  };
  armExpiry();

  return {
    port,
    get attemptsLeft() {
      return budget.attemptsLeft;
    },
    get state() {
      return budget.state;
    },
    on: (event, cb) => events.on(event, cb),
    // Keyed by the address text: all streams from one relay count as one address for the pending limit.
    accept: (stream, peerAddress) => admit(stream, peerAddress, peerAddress),
    close: async () => {
      if (expiryTimer) clearTimeout(expiryTimer);
      budget.close();
      abortPending({ reason: 'cancelled', message: 'The invitation was cancelled. Ask for a new invitation.' });
      if (!listening) return;
      listening = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The requester's entry point for a stream that did not come through the listener's TCP port (a
 * relay stream): runs it through the listener's handshake and budget. Same as `listener.accept`.
 */
export function acceptInvitationOver(listener: InvitationListener, stream: LinkStream, peerAddress: string): Promise<void> {
  return listener.accept(stream, peerAddress);
}

/**
 * The helper's side: reach the requester at one of the invitation's candidate addresses, run the
 * password handshake once, and return the link. Failures become AppErrors with a specific
 * message and next step for the helper.
 *
 * Candidates are tried in parallel, staggered like Happy Eyeballs (RFC 8305), but only the first
 * TCP connection runs the handshake: each handshake costs the invitation one attempt if the
 * password is wrong, so one "Connect" must never spend more than one.
 *
 * `connectToInvitationOver` runs the same handshake and link on a stream opened another way (a
 * relay stream): the TCP race is the only part that is specific to direct connections.
 */
import net, { type Socket } from 'node:net';
import { AppError } from '../../src-shared/contract/errors';
import { HandshakeError } from './link-errors';
import { DEFAULT_LINK_LIMITS, type ChannelSchemas, type LinkLimits, type LinkLog } from './link-options';
import type { PeerLink } from './link-types';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from './handshake-stream';
import { runInitiatorHandshake } from './handshake-initiator';
import { LinkNotReadyError, SecureLink } from './secure-link';
import { formatPeerAddress } from './peer-address';
import { DisplayName, InvitationId } from './handshake-messages';
import type { LinkStream } from './link-stream';

/** One address from the invitation. */
export interface LinkCandidate {
  host: string;
  port: number;
}

/** Options of `connectToInvitation`. */
export interface ConnectOptions {
  candidates: LinkCandidate[];
  invitationId: string;
  password: string;
  helperName: string;
  channelSchemas: ChannelSchemas;
  logger: LinkLog;
  /** Time allowed to establish a TCP connection to any candidate (default 5 s). */
  connectTimeoutMs?: number;
  /** Time allowed for the password handshake once connected (default 10 s). */
  handshakeTimeoutMs?: number;
  /** The requester's name from the invitation file, for error messages ("Could not reach Ana's computer"). */
  requesterName?: string;
  /** Delay before trying the next candidate while earlier ones are still connecting (default 150 ms). */
  staggerMs?: number;
  linkLimits?: Partial<LinkLimits>;
}

/** A successful connection. */
export interface ConnectResult {
  link: PeerLink;
  /** The name the requester's computer announced (authenticated by the handshake). */
  requesterName: string;
  peerAddress: string;
}

/**
 * Connects to an invitation. Rejects with AppError: 'wrong-password' (details.attemptsLeft),
 * 'locked', 'expired' (details.expiresAt), 'refused' (details.refusal: 'used' | 'unknown-invitation' |
 * 'cancelled'), 'unreachable', 'timeout', 'unavailable' (busy, or not a compatible listener), 'invalid-input'.
 */
export async function connectToInvitation(opts: ConnectOptions): Promise<ConnectResult> {
  if (opts.candidates.length === 0) throw new AppError('invalid-input', 'The invitation lists no address to connect to. Ask for a new invitation.');
  checkLocalInputs(opts);
  const started = Date.now();
  const { socket, candidate } = await raceConnect(opts.candidates, opts.staggerMs ?? 150, opts.connectTimeoutMs ?? 5000, whoOf(opts));
  const peerAddress = formatPeerAddress(socket.remoteAddress ?? candidate.host, socket.remotePort ?? candidate.port);
  opts.logger('info', 'connected to an invitation candidate; starting the handshake', { peerAddress });
  return linkOver(socket, peerAddress, opts, started);
}

/** Options of `connectToInvitationOver`: those of `connectToInvitation` without the TCP part, plus the address to show. */
export type ConnectOverOptions = LinkOverOptions & {
  /** How the requester was reached, for messages and logs, e.g. "via relay wss://relay.example.org". */
  peerAddress: string;
};

/**
 * The helper's entry point for a stream opened another way (a relay stream): the same handshake,
 * link and errors as `connectToInvitation`. The stream belongs to the link (or is destroyed) afterwards.
 */
export async function connectToInvitationOver(stream: LinkStream, opts: ConnectOverOptions): Promise<ConnectResult> {
  try {
    checkLocalInputs(opts);
  } catch (e) {
    stream.destroy();
    throw e;
  }
  opts.logger('info', 'starting the invitation handshake', { peerAddress: opts.peerAddress });
  return linkOver(stream, opts.peerAddress, opts, Date.now());
}

/** Checked here too, so a bad local value is reported as such and not as a failure of the requester's side. */
function checkLocalInputs(opts: Pick<ConnectOptions, 'helperName' | 'invitationId'>): void {
  if (!DisplayName.safeParse(opts.helperName).success) {
    throw new AppError('invalid-input', 'Your name must be 1 to 64 characters, without control characters or leading or trailing spaces.');
  }
  if (!InvitationId.safeParse(opts.invitationId).success) throw new AppError('invalid-input', 'The invitation id is malformed. Open the invitation file again or ask for a new one.');
}

function whoOf(opts: Pick<ConnectOptions, 'requesterName'>): string {
  return opts.requesterName ? `${opts.requesterName}'s computer` : "the requester's computer";
}

type LinkOverOptions = Omit<ConnectOptions, 'candidates' | 'connectTimeoutMs' | 'staggerMs'>;

/** Handshake, SecureLink and the wait for "ready" on a connected stream (direct or relayed). */
async function linkOver(socket: LinkStream, peerAddress: string, opts: LinkOverOptions, started: number): Promise<ConnectResult> {
  const who = whoOf(opts);
  const handshakeTimeoutMs = opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  let result;
  try {
    result = await runInitiatorHandshake(socket, {
      invitationId: opts.invitationId,
      password: opts.password,
      helperName: opts.helperName,
      timeoutMs: handshakeTimeoutMs,
    });
  } catch (e) {
    const err = e instanceof HandshakeError ? e : new HandshakeError('protocol-error', String(e));
    opts.logger('info', 'invitation handshake failed', { peerAddress, reason: err.reason, message: err.message });
    throw handshakeToAppError(err, who, peerAddress, handshakeTimeoutMs);
  }

  const link = new SecureLink({
    socket,
    sendKey: result.keys.helperToRequester,
    recvKey: result.keys.requesterToHelper,
    localName: opts.helperName,
    peerName: result.requesterName,
    peerAddress,
    role: 'helper',
    channelSchemas: opts.channelSchemas,
    logger: opts.logger,
    initialBytes: result.leftover,
    limits: { ...DEFAULT_LINK_LIMITS, ...opts.linkLimits },
  });

  // The password is proven; wait for the requester to accept the link (it may have been claimed by
  // another helper a moment earlier), within what is left of the handshake time.
  const remaining = Math.max(1000, handshakeTimeoutMs - (Date.now() - started));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      link.whenReady(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError('timeout', `${cap(who)} accepted the password but did not open the session within ${secs(remaining)} s. Try again.`)), remaining);
      }),
    ]);
  } catch (e) {
    link.close('The helper gave up waiting.');
    if (e instanceof AppError) throw e;
    if (e instanceof LinkNotReadyError) {
      if (e.refusal === 'used') throw new AppError('refused', `This invitation has already been used by another helper. Ask ${nameOr(opts.requesterName)} for a new invitation.`, { refusal: 'used' });
      if (e.refusal === 'expired') throw new AppError('expired', `The invitation expired. Ask ${nameOr(opts.requesterName)} for a new invitation.`);
      if (e.refusal === 'cancelled') throw new AppError('refused', `The invitation was cancelled. Ask ${nameOr(opts.requesterName)} for a new invitation.`, { refusal: 'cancelled' });
      throw new AppError('unreachable', `The connection to ${who} was lost right after the password was accepted (${e.message}). Try again.`);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
  opts.logger('info', 'linked to the requester', { peerAddress, requesterName: result.requesterName });
  return { link, requesterName: result.requesterName, peerAddress };
}

/** Maps a failed handshake to the error the helper sees. */
function handshakeToAppError(err: HandshakeError, who: string, peerAddress: string, timeoutMs: number): AppError {
  const refusal = err.extra.refusal;
  if (err.reason === 'refused' && refusal) {
    switch (refusal.reason) {
      case 'locked':
        return lockedError();
      case 'expired': {
        const when = refusal.expiresAt !== undefined ? ` on ${new Date(refusal.expiresAt).toLocaleString()}` : '';
        return new AppError('expired', `The invitation expired${when}. Ask for a new invitation.`, refusal.expiresAt !== undefined ? { expiresAt: refusal.expiresAt } : undefined);
      }
      case 'used':
        return new AppError('refused', 'This invitation has already been used by another helper. Ask for a new invitation.', { refusal: 'used' });
      case 'unknown-invitation':
        return new AppError('refused', `${cap(who)} has no open invitation with this id: it was cancelled or replaced by a newer one. Ask for a new invitation.`, { refusal: 'unknown-invitation' });
      case 'cancelled':
        return new AppError('refused', 'The invitation was cancelled. Ask for a new invitation.', { refusal: 'cancelled' });
      case 'busy':
        return new AppError('unavailable', `${cap(who)} is busy with other connection attempts. Try again in a few seconds.`, { refusal: 'busy' });
      case 'incompatible':
        return new AppError('unavailable', `${cap(who)} runs an incompatible version of Remote Assist. Update the app on both computers.`, { refusal: 'incompatible' });
    }
  }
  switch (err.reason) {
    case 'bad-confirmation': {
      const left = err.extra.attemptsLeft ?? 0;
      if (left <= 0) return lockedError();
      return new AppError('wrong-password', `The password is not correct. ${left} attempt${left === 1 ? '' : 's'} left.`, { attemptsLeft: left });
    }
    case 'timeout':
      return new AppError('timeout', `${cap(who)} ${at(peerAddress)} accepted the connection but the secure handshake did not finish within ${secs(timeoutMs)} s. Try again.`);
    case 'closed':
    case 'socket-error':
      return new AppError('unreachable', `The connection to ${who} ${at(peerAddress)} was lost during the handshake. Try again.`);
    default:
      // `handshake` lets a caller with another way in (a relay) tell "not our listener: nothing charged" from the rest.
      return new AppError('unavailable', `The program ${at(peerAddress)} did not answer like a Remote Assist invitation (${err.message}). Check the invitation file.`, { handshake: err.reason });
  }
}

function lockedError(): AppError {
  return new AppError('locked', 'Too many wrong passwords were tried; ask for a new invitation.', { attemptsLeft: 0 });
}

/** Opens TCP connections to the candidates, staggered; resolves with the first that connects and destroys the rest. */
function raceConnect(candidates: LinkCandidate[], staggerMs: number, timeoutMs: number, who: string): Promise<{ socket: Socket; candidate: LinkCandidate }> {
  return new Promise((resolve, reject) => {
    const sockets: Socket[] = [];
    const failures: string[] = [];
    let next = 0;
    let done = false;
    let staggerTimer: NodeJS.Timeout | undefined;
    const where = candidates.map((c) => formatPeerAddress(c.host, c.port)).join(', ');
    const ports = [...new Set(candidates.map((c) => c.port))];
    const portText = ports.length === 1 ? `port ${ports[0]}` : `ports ${ports.join(', ')}`;

    const finish = (winner: { socket: Socket; candidate: LinkCandidate } | null, timedOut = false) => {
      if (done) return;
      done = true;
      clearTimeout(staggerTimer);
      clearTimeout(overall);
      for (const s of sockets) if (s !== winner?.socket) s.destroy();
      if (winner) return resolve(winner);
      const why = timedOut ? `no answer within ${secs(timeoutMs)} s` : failures.join(', ');
      reject(new AppError('unreachable', `Could not reach ${who} at ${where} (${why}). The invitation may have been cancelled, or a firewall may block ${portText}.`, { failures }));
    };
    const overall = setTimeout(() => finish(null, true), timeoutMs);

    const startNext = () => {
      clearTimeout(staggerTimer);
      if (done || next >= candidates.length) return;
      const candidate = candidates[next++]!;
      const socket = net.connect({ host: candidate.host, port: candidate.port });
      sockets.push(socket);
      socket.on('error', (err: Error & { code?: string }) => {
        if (done) return;
        failures.push(err.code ?? err.message);
        socket.destroy();
        if (failures.length === candidates.length) finish(null);
        else startNext(); // a fast failure need not wait for the stagger
      });
      socket.once('connect', () => finish({ socket, candidate }));
      staggerTimer = setTimeout(startNext, staggerMs);
    };
    startNext();
  });
}

/** "at 10.0.0.5:4000", or "via relay wss://…" as it stands. */
function at(peerAddress: string): string {
  return peerAddress.startsWith('via ') ? peerAddress : `at ${peerAddress}`;
}

function secs(ms: number): number {
  return Math.round(ms / 100) / 10;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function nameOr(name: string | undefined): string {
  return name ?? 'the requester';
}

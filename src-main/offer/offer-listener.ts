/**
 * The requester's offer listener: a TCP port on which listed helpers offer help. It admits
 * connections under per-address and global limits (offer-limits.ts), runs the offer handshake,
 * and hands out an authenticated SecureLink for a listed helper. It shows the user nothing: the
 * owner (OfferService) decides what to do with a link, and only then is anyone asked anything.
 *
 * It runs only while policy allows offers; `close` turns away handshakes still in progress.
 */
import net, { type Socket } from 'node:net';
import { DEFAULT_LINK_LIMITS, type ChannelSchemas, type LinkLimits, type LinkLog } from '../link/link-options';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS } from '../link/handshake-stream';
import { formatPeerAddress } from '../link/peer-address';
import { RateLimitedLog } from '../link/rate-limited-log';
import { SecureLink } from '../link/secure-link';
import { TypedEvents } from '../link/typed-events';
import type { Ed25519KeyPair } from './ed25519-keys';
import { AdmissionControl, DEFAULT_OFFER_LIMITS, type OfferLimits, type Rejection } from './offer-limits';
import { encodeOfferMessage } from './offer-messages';
import { asOfferError, type OfferFailureReason, type OfferPeerIdentity, type OfferRefusal } from './offer-errors';
import { runOfferRequesterHandshake, type Authorization, type ProvenHelper } from './offer-handshake';
import { listenDualStack as listen, normalizeIp } from '../link/tcp-listen';

/** Options of `startOfferListener`. */
export interface OfferListenerOptions {
  /** Interface to bind; default all interfaces (IPv6 and IPv4). Tests use '127.0.0.1'. */
  host?: string;
  /** Port to bind (policy `offerListenerPort`; tests 0). */
  port: number;
  hostKey: Ed25519KeyPair;
  computerName: string;
  /** Busy or off right now? Asked at hello and just before accepting. */
  gate(): OfferRefusal | null;
  /** The allow-list lookup for a helper that proved its key. */
  authorize(helper: ProvenHelper): Authorization;
  channelSchemas: ChannelSchemas;
  logger: LinkLog;
  handshakeTimeoutMs?: number;
  limits?: Partial<OfferLimits>;
  /** Open sockets at most, including ones being refused (default 512); Node drops any beyond. */
  maxConnections?: number;
  linkLimits?: Partial<LinkLimits>;
}

/** What the listener reports to its owner (for the audit log and the status page). */
export interface OfferListenerEvents {
  /** A helper was turned away in the handshake (not listed, busy, bad signature …). */
  refused: { peerAddress: string; refusal: OfferRefusal; helper?: OfferPeerIdentity };
  /** A connection ended without a link and without a refusal (garbage, timeout, hang-up). */
  'handshake-failed': { peerAddress: string; reason: OfferFailureReason; message: string };
  /** A listed helper authenticated; the link is ready (the requester side has sent "ready"). */
  linked: { link: SecureLink; helper: ProvenHelper; displayName: string; peerAddress: string };
}

/** Counters since the listener started (for `offer.listenerStatus` and tests). */
export interface OfferListenerStats {
  /** Connections handed to the listener (admitted or refused by it). */
  connections: number;
  /** Connections the OS-level cap (`maxConnections`) dropped before the listener saw them. */
  dropped: number;
  admitted: number;
  rateLimited: number;
  addressBusy: number;
  listenerBusy: number;
  refused: number;
  failed: number;
  linked: number;
}

/** A running offer listener. */
export interface OfferListener {
  readonly port: number;
  readonly stats: Readonly<OfferListenerStats>;
  /** Handshakes in progress. */
  readonly pending: number;
  on<E extends keyof OfferListenerEvents>(event: E, cb: (payload: OfferListenerEvents[E]) => void): () => void;
  /** Stops listening and turns away handshakes in progress with `refusal`. Established links are not affected. */
  close(refusal?: OfferRefusal): Promise<void>;
}

const REJECTION_TEXT: Record<Rejection, OfferRefusal> = {
  'rate-limited': { reason: 'rate-limited', message: 'Too many connection attempts from your address. Wait a minute, then try again.' },
  'address-busy': { reason: 'busy', message: 'Too many connection attempts from your address at once. Try again in a few seconds.' },
  'listener-busy': { reason: 'busy', message: 'This computer is busy with other connection attempts. Try again in a few seconds.' },
};

/** Starts listening for offers. Rejects (with the OS error) if the port cannot be bound. */
export async function startOfferListener(opts: OfferListenerOptions): Promise<OfferListener> {
  const log = opts.logger;
  const quiet = new RateLimitedLog(log);
  const timeoutMs = opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const admission = new AdmissionControl({ ...DEFAULT_OFFER_LIMITS, ...opts.limits });
  const events = new TypedEvents<OfferListenerEvents>((event, err) => log('error', 'an offer listener subscriber threw', { event, error: String(err) }));
  const stats: OfferListenerStats = { connections: 0, dropped: 0, admitted: 0, rateLimited: 0, addressBusy: 0, listenerBusy: 0, refused: 0, failed: 0, linked: 0 };
  const pending = new Set<AbortController>();
  let open = true;

  const onConnection = (socket: Socket) => {
    socket.on('error', () => {}); // surfaced through the handshake; never unhandled
    stats.connections++;
    const ip = normalizeIp(socket.remoteAddress ?? 'unknown');
    const peerAddress = formatPeerAddress(ip, socket.remotePort);
    const rejection = open ? admission.admit(ip) : 'listener-busy';
    if (rejection) {
      stats[rejection === 'rate-limited' ? 'rateLimited' : rejection === 'address-busy' ? 'addressBusy' : 'listenerBusy']++;
      // Cheap: one small write, then the socket is gone as soon as it is flushed — no state, no
      // crypto, no audit line, and no socket left for a flooder to hold open.
      quiet.warn('offer connection not admitted', { peerAddress, why: rejection });
      socket.end(encodeOfferMessage({ type: 'offer-refuse', ...REJECTION_TEXT[rejection] }), () => socket.destroy());
      return;
    }
    stats.admitted++;
    const controller = new AbortController();
    pending.add(controller);
    runOfferRequesterHandshake(socket, { hostKey: opts.hostKey, computerName: opts.computerName, timeoutMs, gate: opts.gate, authorize: opts.authorize, signal: controller.signal })
      .then((result) => {
        const link = new SecureLink({
          socket,
          sendKey: result.keys.requesterToHelper,
          recvKey: result.keys.helperToRequester,
          localName: opts.computerName,
          peerName: result.displayName,
          peerAddress,
          role: 'requester',
          channelSchemas: opts.channelSchemas,
          logger: log,
          initialBytes: result.leftover,
          limits: { ...DEFAULT_LINK_LIMITS, ...opts.linkLimits },
        });
        stats.linked++;
        log('info', 'offer accepted from a listed helper', { peerAddress, fingerprint: result.helper.fingerprint });
        events.emit('linked', { link, helper: result.helper, displayName: result.displayName, peerAddress });
      })
      .catch((e: unknown) => {
        const err = asOfferError(e);
        if (err.extra.refusal) {
          stats.refused++;
          log('info', 'offer refused', { peerAddress, reason: err.extra.refusal.reason, fingerprint: err.extra.helper?.fingerprint });
          events.emit('refused', { peerAddress, refusal: err.extra.refusal, ...(err.extra.helper ? { helper: err.extra.helper } : {}) });
        } else {
          stats.failed++;
          quiet.warn('offer handshake failed', { peerAddress, reason: err.reason, message: err.message });
          events.emit('handshake-failed', { peerAddress, reason: err.reason, message: err.message });
        }
      })
      .finally(() => {
        pending.delete(controller);
        admission.release(ip);
      });
  };

  const server = net.createServer({ noDelay: true }, onConnection);
  server.maxConnections = opts.maxConnections ?? 512;
  server.on('drop', () => stats.dropped++);
  server.on('error', (err) => log('error', 'offer listener error', { error: err.message }));
  const port = await listen(server, opts.host, opts.port);
  log('info', 'offer listener started', { port, host: opts.host ?? 'all interfaces' });

  return {
    port,
    stats,
    get pending() {
      return admission.pending;
    },
    on: (event, cb) => events.on(event, cb),
    close: async (refusal = { reason: 'offers-disabled', message: 'This computer no longer accepts offers of help.' }) => {
      if (!open) return;
      open = false;
      for (const c of pending) c.abort(refusal);
      // Do not wait for server.close's callback: it waits for every socket, including live sessions.
      await new Promise<void>((resolve) => {
        server.close();
        setImmediate(resolve);
      });
      log('info', 'offer listener stopped', { port });
    },
  };
}

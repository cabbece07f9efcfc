/**
 * The helper's side of an offer: reach the computer by the name or address typed, run the offer
 * handshake, check the computer's host key against the pinned one, and return the link — all
 * within one bounded wait (15 s by default), so a blocked port or a machine that is off ends in a
 * clear message instead of the silent hang the white paper describes.
 */
import net, { type Socket } from 'node:net';
import { AppError } from '../../src-shared/contract/errors';
import { DEFAULT_LINK_LIMITS, type ChannelSchemas, type LinkLimits, type LinkLog } from '../link/link-options';
import { formatPeerAddress } from '../link/peer-address';
import { LinkNotReadyError, SecureLink } from '../link/secure-link';
import type { Ed25519KeyPair } from './ed25519-keys';
import { OfferHandshakeError, asOfferError } from './offer-errors';
import { runOfferHelperHandshake, type ProvenHost } from './offer-handshake';
import { hostLabel, type KnownHosts } from './known-hosts';
import { describeOfferFailure, unreachableError } from './offer-failure-text';

/** Options of `connectToOffer`. */
export interface OfferConnectOptions {
  /** Computer name or IP address, as the helper typed it. */
  host: string;
  port: number;
  /** The default offer port (host keys for it are pinned without the port, like SSH's). */
  defaultPort: number;
  identity: Ed25519KeyPair;
  helperFingerprint: string;
  helperName: string;
  knownHosts: KnownHosts;
  channelSchemas: ChannelSchemas;
  logger: LinkLog;
  /** Name lookup, connection, handshake and the computer's "ready", all within this (default 15 s). */
  totalTimeoutMs?: number;
  /** At most this long for the TCP connection (default 10 s). */
  connectTimeoutMs?: number;
  /** At most this long for the handshake (default 10 s). */
  handshakeTimeoutMs?: number;
  /** Tests: connect from this local address (another loopback address than a flood's). */
  localAddress?: string;
  linkLimits?: Partial<LinkLimits>;
  /** Told as soon as the computer proved its host key (even if it then refuses us). */
  onHostProven?: (host: ProvenHost) => void;
}

/** A successful offer. */
export interface OfferConnectResult {
  link: SecureLink;
  host: ProvenHost;
  peerAddress: string;
  /** True when this computer's key was pinned just now (first connection under this address). */
  firstContact: boolean;
}

/**
 * Offers help to a computer. Rejects with AppError whose `details.reason` says what happened:
 * not-found, unreachable, timeout, not-allowed, busy, rate-limited, offers-disabled, incompatible,
 * bad-signature (the computer could not verify us), bad-host-signature, host-key-changed,
 * not-remote-assist.
 */
export async function connectToOffer(o: OfferConnectOptions): Promise<OfferConnectResult> {
  const total = o.totalTimeoutMs ?? 15_000;
  const deadline = Date.now() + total;
  const remaining = () => Math.max(1, deadline - Date.now());
  const label = hostLabel(o.host, o.port, o.defaultPort);
  o.knownHosts.list(); // a damaged list fails here, before anything is sent

  const socket = await connectWithin(o, Math.min(remaining(), o.connectTimeoutMs ?? 10_000));
  const peerAddress = formatPeerAddress(socket.remoteAddress ?? o.host, socket.remotePort ?? o.port);
  o.logger('info', 'offer: connected; starting the handshake', { peerAddress });

  let firstContact = false;
  let hostProblem: AppError | null = null;
  let result;
  try {
    result = await runOfferHelperHandshake(socket, {
      identity: o.identity,
      helperName: o.helperName,
      timeoutMs: Math.min(remaining(), o.handshakeTimeoutMs ?? 10_000),
      verifyHost: (host) => {
        try {
          const check = o.knownHosts.check(label, host.publicKey);
          if (check.status === 'changed') {
            throw new OfferHandshakeError('host-key-changed', 'host key changed', { pinnedFingerprint: check.pinnedFingerprint, hostFingerprint: host.fingerprint });
          }
          firstContact = check.status === 'new';
          o.knownHosts.remember(label, host.publicKey, host.computerName);
        } catch (e) {
          if (e instanceof AppError) hostProblem = e;
          throw e;
        }
        o.onHostProven?.(host);
      },
    });
  } catch (e) {
    if (hostProblem) throw hostProblem;
    const err = asOfferError(e);
    o.logger('info', 'offer handshake failed', { peerAddress, reason: err.reason, refusal: err.extra.refusal?.reason });
    throw describeOfferFailure(err, { host: o.host, port: o.port, label, knownHostsFile: o.knownHosts.file, helperFingerprint: o.helperFingerprint, timeoutMs: total });
  }

  const link = new SecureLink({
    socket,
    sendKey: result.keys.helperToRequester,
    recvKey: result.keys.requesterToHelper,
    localName: o.helperName,
    peerName: result.host.computerName,
    peerAddress,
    role: 'helper',
    channelSchemas: o.channelSchemas,
    logger: o.logger,
    initialBytes: result.leftover,
    limits: { ...DEFAULT_LINK_LIMITS, ...o.linkLimits },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      link.whenReady(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError('timeout', `${o.host} accepted your offer but did not open the session in time. Try again.`, { reason: 'timeout' })), remaining());
      }),
    ]);
  } catch (e) {
    link.close('The helper gave up waiting.');
    if (e instanceof LinkNotReadyError) throw new AppError('unreachable', `The connection to ${o.host} was lost right after it accepted your offer (${e.message}). Try again.`, { reason: 'unreachable' });
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return { link, host: result.host, peerAddress, firstContact };
}

/** Opens the TCP connection (name lookup included; IPv6 and IPv4 raced), or rejects with a clear AppError. */
function connectWithin(o: OfferConnectOptions, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: o.host, port: o.port, autoSelectFamily: true, noDelay: true, ...(o.localAddress ? { localAddress: o.localAddress } : {}) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(unreachableError(o.host, o.port, `no answer within ${Math.round(timeoutMs / 100) / 10} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: Error & { code?: string; errors?: { code?: string }[] }) => {
      clearTimeout(timer);
      socket.destroy();
      const code = err.code ?? err.errors?.find((x) => x.code)?.code ?? err.message;
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
        reject(new AppError('unreachable', `No computer named "${o.host}" was found. Check the name, or type its IP address instead.`, { reason: 'not-found', code }));
      } else reject(unreachableError(o.host, o.port, code));
    });
  });
}

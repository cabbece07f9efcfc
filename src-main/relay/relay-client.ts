/**
 * The app's side of the relay: open a WebSocket, host or join a pairing id, wait for the other end,
 * and hand back a byte stream on which the link runs exactly as on TCP
 * (`acceptInvitationOver` / `connectToInvitationOver` in src-main/link/).
 *
 * Failures become AppErrors that say what happened and what to do next.
 */
import { WebSocket, type RawData } from 'ws';
import { AppError } from '../../src-shared/contract/errors';
import { PairingId, RELAY_CLOSE, RELAY_PROTOCOL_VERSION, RelayNotice, type RelayHello } from './relay-protocol';
import { parseRelayUrl } from './relay-url';
import { RelayStream, describeRelayClose } from './relay-stream';

/** Options of `openRelayStream`. */
export interface OpenRelayStreamOptions {
  /** The relay's address: wss://… (ws:// only for a relay on this computer). https:// means wss://. */
  url: string;
  /** The pairing id both ends use (≥ 128 bits, base64url; see `newPairingId`). */
  pairingId: string;
  /** The requester hosts; the helper joins. */
  role: 'host' | 'join';
  /** Time allowed until paired: for a host, how long to wait for the joiner. */
  timeoutMs: number;
  /** Time allowed to reach the relay (default min(timeoutMs, 10 s)). */
  connectTimeoutMs?: number;
  /** Aborting gives up (a host stops waiting); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Host only: called once the relay has registered the pairing and waits for the joiner. */
  onWaiting?: () => void;
}

/**
 * Connects to the relay and resolves, once paired, with the byte stream to the other end.
 * Rejects with AppError: 'invalid-input' (bad URL or id), 'unreachable' (relay not reachable),
 * 'not-found' (join: nobody waits), 'conflict' (pairing busy), 'unavailable' (relay refused or is
 * not a relay), 'timeout'.
 */
export async function openRelayStream(opts: OpenRelayStreamOptions): Promise<RelayStream> {
  const url = parseRelayUrl(opts.url);
  if (!PairingId.safeParse(opts.pairingId).success) throw new AppError('invalid-input', 'The relay pairing id is malformed.');
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  const connectTimeoutMs = opts.connectTimeoutMs ?? Math.min(opts.timeoutMs, 10_000);

  return new Promise<RelayStream>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const ws = new WebSocket(url, {
      perMessageDeflate: false, // ciphertext does not compress; compression only costs CPU and memory
      handshakeTimeout: connectTimeoutMs,
      maxPayload: 2 * 1024 * 1024,
      followRedirects: false,
      // An all-zero mask, which ws then skips on both ends (the XOR costs more CPU than the rest of
      // the relay path together). Masking protects proxies from bytes chosen by scripts in
      // browsers; here no script writes, and every non-loopback relay is reached over TLS, inside
      // which no intermediary sees the frames anyway.
      generateMask: (mask: Buffer) => void mask.fill(0),
    });
    let settled = false;
    let stream: RelayStream | null = null;
    const timer = setTimeout(() => {
      fail(
        opts.role === 'host'
          ? new AppError('timeout', `Nobody connected through the relay ${shown} within ${secs(opts.timeoutMs)} s.`)
          : new AppError('timeout', `The relay ${shown} did not connect you within ${secs(opts.timeoutMs)} s. Try again.`),
      );
    }, opts.timeoutMs);
    const onAbort = () => fail(opts.signal!.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const cleanup = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      ws.off('error', onError);
      ws.off('unexpected-response', onUnexpected);
    };
    function fail(err: unknown): void {
      if (settled) return;
      settled = true;
      cleanup();
      ws.on('error', () => {});
      ws.terminate();
      reject(err);
    }

    const onMessage = (data: RawData, isBinary: boolean) => {
      let notice: RelayNotice;
      try {
        if (isBinary) throw new Error('binary');
        const parsed = RelayNotice.safeParse(JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)));
        if (!parsed.success) throw new Error('schema');
        notice = parsed.data;
      } catch {
        return fail(new AppError('unavailable', `The server at ${shown} does not speak the Remote Assist relay protocol. Check the relay address in Settings.`));
      }
      if (notice.t === 'waiting') {
        if (opts.role === 'host') opts.onWaiting?.();
        return;
      }
      // Paired: from this message on, everything is the peer's bytes. The stream takes over the
      // socket synchronously, so a byte that follows in the same read is not lost.
      settled = true;
      cleanup();
      stream = new RelayStream(ws, shown);
      resolve(stream);
    };
    const onClose = (code: number, reason: Buffer) => fail(closeToAppError(code, reason.toString('utf8'), shown, opts.role));
    const onError = (err: Error & { code?: string }) =>
      fail(new AppError('unreachable', `Could not reach the relay at ${shown} (${err.code ?? err.message}). Check the relay address in Settings and your network connection.`));
    const onUnexpected = (_req: unknown, res: { statusCode?: number }) =>
      fail(new AppError('unavailable', `The server at ${shown} is not a Remote Assist relay (HTTP ${res.statusCode ?? '?'}). Check the relay address in Settings.`));

    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.on('error', onError);
    ws.on('unexpected-response', onUnexpected);
    ws.once('open', () => {
      const hello: RelayHello = { v: RELAY_PROTOCOL_VERSION, op: opts.role, pairing: opts.pairingId };
      ws.send(JSON.stringify(hello));
    });
  });
}

/** Maps the relay's refusal (a close before pairing) to what the user is told. */
function closeToAppError(code: number, reason: string, shown: string, role: 'host' | 'join'): AppError {
  const details = { relayCloseCode: code };
  switch (code) {
    case RELAY_CLOSE.unknownPairing:
      return new AppError('not-found', 'Nobody is waiting at the relay for this connection: the other computer has not started yet, or it stopped waiting. Ask them to start again, then retry.', details);
    case RELAY_CLOSE.pairFull:
      return new AppError('conflict', 'Someone else is connecting through the relay to the same computer right now. Try again in a few seconds.', details);
    case RELAY_CLOSE.pairingTaken:
      return new AppError('conflict', 'Another connection already waits at the relay with this id. Cancel it, or create a new invitation.', details);
    case RELAY_CLOSE.rateLimited:
      return new AppError('unavailable', `The relay ${shown} refused the connection (${reason || 'rate limit'}). Wait a minute and try again.`, details);
    case RELAY_CLOSE.timeout:
      return new AppError('timeout', role === 'host' ? `Nobody connected through the relay ${shown} in time (${reason}).` : `The relay ${shown} closed the connection (${reason}). Try again.`, details);
    case RELAY_CLOSE.badRequest:
      return new AppError('unavailable', `The relay ${shown} did not understand this app (${reason}). Update Remote Assist, or ask the relay's administrator.`, details);
    default:
      return new AppError('unavailable', `Could not connect through the relay ${shown}: ${describeRelayClose(code, reason)}. Try again later.`, details);
  }
}

function secs(ms: number): number {
  return Math.round(ms / 100) / 10;
}

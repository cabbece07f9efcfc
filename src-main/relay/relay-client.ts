/**
 * The app's side of the relay: open a WebSocket, send one hello (host or join a pairing id, join by
 * Easy Connect code, register or remove a code), read the relay's notices, and hand back the
 * result: for a pairing, a byte stream on which the link runs exactly as on TCP
 * (`acceptInvitationOver` / `connectToInvitationOver` in src-main/link/).
 *
 * Failures become AppErrors that say what happened and what to do next.
 */
import { WebSocket, type RawData } from 'ws';
import { AppError } from '../../src-shared/contract/errors';
import { CodeId, PairingId, RELAY_CLOSE, RELAY_PROTOCOL_VERSION, RelayNotice, type CodeInfo, type RelayHello } from './relay-protocol';
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
  if (!PairingId.safeParse(opts.pairingId).success) throw new AppError('invalid-input', 'The relay pairing id is malformed.');
  return exchange<RelayStream>({ ...opts, hello: { v: RELAY_PROTOCOL_VERSION, op: opts.role, pairing: opts.pairingId } }, (n, ws, shown) => {
    if (n.t === 'waiting' && opts.role === 'host') {
      opts.onWaiting?.();
      return null;
    }
    if (n.t === 'paired') return { done: new RelayStream(ws, shown, n.iceServers ?? []) };
    return 'unexpected';
  });
}

/** What a code join found: the invitation's non-secret fields and the stream to the requester. */
export interface CodeJoin {
  stream: RelayStream;
  info: CodeInfo;
  /** When the code (and so the invitation, as far as the relay knows) expires, ms since the epoch. */
  expiresAt: number;
  /** Joins the code allows after this one. */
  joinsLeft: number;
}

/**
 * Joins the pairing an Easy Connect code id stands for. Rejects like `openRelayStream`, plus
 * 'not-found' (no such code) and 'locked' (the code burnt after too many joins).
 */
export async function joinRelayByCode(opts: { url: string; codeId: string; timeoutMs: number; connectTimeoutMs?: number; signal?: AbortSignal }): Promise<CodeJoin> {
  if (!CodeId.safeParse(opts.codeId).success) throw new AppError('invalid-input', 'The Easy Connect code is malformed.');
  let found: Omit<CodeJoin, 'stream'> | null = null;
  return exchange<CodeJoin>({ ...opts, role: 'join', hello: { v: RELAY_PROTOCOL_VERSION, op: 'code-join', code: opts.codeId } }, (n, ws, shown) => {
    if (n.t === 'invitation' && !found) {
      found = { info: n.info, expiresAt: n.expiresAt, joinsLeft: n.joinsLeft };
      return null;
    }
    if (n.t === 'paired' && found) return { done: { ...found, stream: new RelayStream(ws, shown, n.iceServers ?? []) } };
    return 'unexpected';
  });
}

/** Options of one request–answer exchange (code registration and removal). */
export interface RelayRequestOptions {
  url: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Registers an Easy Connect code for a hosted pairing; the relay picks the code id and may shorten the expiry. */
export async function registerRelayCode(opts: RelayRequestOptions & { pairingId: string; info: CodeInfo; expiresAt: number; maxJoins: number }): Promise<{ codeId: string; expiresAt: number }> {
  const hello: RelayHello = { v: RELAY_PROTOCOL_VERSION, op: 'code-register', pairing: opts.pairingId, info: opts.info, expiresAt: opts.expiresAt, maxJoins: opts.maxJoins };
  return exchange({ ...opts, role: 'host', hello }, (n, ws) => {
    if (n.t !== 'code') return 'unexpected';
    ws.close(RELAY_CLOSE.normal);
    return { done: { codeId: n.code, expiresAt: n.expiresAt } };
  });
}

/** Removes an Easy Connect code (the invitation closed). Resolves once the relay confirmed. */
export async function removeRelayCode(opts: RelayRequestOptions & { pairingId: string; codeId: string }): Promise<void> {
  await exchange({ ...opts, role: 'host', hello: { v: RELAY_PROTOCOL_VERSION, op: 'code-remove', pairing: opts.pairingId, code: opts.codeId } }, (n, ws) => {
    if (n.t !== 'removed') return 'unexpected';
    ws.close(RELAY_CLOSE.normal);
    return { done: undefined };
  });
}

type NoticeResult<T> = { done: T } | null | 'unexpected';

/** Opens the WebSocket, sends `hello`, and feeds the relay's notices to `onNotice` until it returns a result. */
function exchange<T>(
  opts: { url: string; hello: RelayHello; role: 'host' | 'join'; timeoutMs: number; connectTimeoutMs?: number; signal?: AbortSignal },
  onNotice: (n: RelayNotice, ws: WebSocket, shown: string) => NoticeResult<T>,
): Promise<T> {
  const url = parseRelayUrl(opts.url);
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  const connectTimeoutMs = opts.connectTimeoutMs ?? Math.min(opts.timeoutMs, 10_000);

  return new Promise<T>((resolve, reject) => {
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
    const timer = setTimeout(() => {
      fail(
        opts.hello.op === 'host'
          ? new AppError('timeout', `Nobody connected through the relay ${shown} within ${secs(opts.timeoutMs)} s.`)
          : new AppError('timeout', `The relay ${shown} did not answer within ${secs(opts.timeoutMs)} s. Try again.`),
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

    const notRelay = () => new AppError('unavailable', `The server at ${shown} does not speak the Remote Assist relay protocol. Check the relay address in Settings.`);
    const onMessage = (data: RawData, isBinary: boolean) => {
      let notice: RelayNotice;
      try {
        if (isBinary) throw new Error('binary');
        const parsed = RelayNotice.safeParse(JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)));
        if (!parsed.success) throw new Error('schema');
        notice = parsed.data;
      } catch {
        return fail(notRelay());
      }
      const r = onNotice(notice, ws, shown);
      if (r === null) return;
      if (r === 'unexpected') return fail(notRelay());
      // Paired: from this message on, everything is the peer's bytes. The stream took over the
      // socket synchronously, so a byte that follows in the same read is not lost.
      settled = true;
      cleanup();
      ws.on('error', () => {});
      resolve(r.done);
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
    ws.once('open', () => ws.send(JSON.stringify(opts.hello)));
  });
}

/** Maps the relay's refusal (a close before pairing) to what the user is told. */
function closeToAppError(code: number, reason: string, shown: string, role: 'host' | 'join'): AppError {
  const details = { relayCloseCode: code };
  switch (code) {
    case RELAY_CLOSE.unknownPairing:
      return new AppError('not-found', 'Nobody is waiting at the relay for this connection: the other computer has not started yet, or it stopped waiting. Ask them to start again, then retry.', details);
    case RELAY_CLOSE.unknownCode:
      return new AppError('not-found', 'No invitation has this Easy Connect code. Check the code with the person who gave it to you; it may also have expired or been cancelled.', details);
    case RELAY_CLOSE.codeBurnt:
      return new AppError('locked', 'This Easy Connect code was tried too many times and no longer works. Ask for a new invitation.', details);
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

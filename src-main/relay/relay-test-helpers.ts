/**
 * Helpers for the relay's tests (real WebSockets on 127.0.0.1, no mocks): start a relay, open a
 * pair of streams, read exact byte counts, and a raw WebSocket client that reports close codes.
 * Not used by production code.
 */
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { startRelayServer, type RelayServer, type RelayServerOptions } from './relay-server';
import { openRelayStream } from './relay-client';
import { newPairingId } from './relay-protocol';
import type { RelayStream } from './relay-stream';
import type { RelayLogLevel } from './relay-log';

/** A relay on loopback plus its recorded log lines. */
export async function startTestRelay(opts: RelayServerOptions = {}): Promise<{ relay: RelayServer; logs: { level: RelayLogLevel; event: string; fields?: Record<string, unknown> }[] }> {
  const logs: { level: RelayLogLevel; event: string; fields?: Record<string, unknown> }[] = [];
  const relay = await startRelayServer({ log: (level, event, fields) => void logs.push({ level, event, fields }), ...opts });
  return { relay, logs };
}

/** Host and join the same (new) pairing id, each on its own relay URL; resolves with both streams. */
export async function openPair(hostUrl: string, joinUrl = hostUrl, pairingId = newPairingId()): Promise<{ host: RelayStream; join: RelayStream; pairingId: string }> {
  let waiting!: () => void;
  const registered = new Promise<void>((r) => (waiting = r));
  const host = openRelayStream({ url: hostUrl, pairingId, role: 'host', timeoutMs: 10_000, onWaiting: () => waiting() });
  host.catch(() => {});
  await registered;
  const join = await openRelayStream({ url: joinUrl, pairingId, role: 'join', timeoutMs: 10_000 });
  return { host: await host, join, pairingId };
}

/** Reads exactly `n` bytes (rejects if the stream ends or fails first). */
export function readBytes(stream: Duplex, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onData = (b: Buffer) => {
      parts.push(b);
      got += b.length;
      if (got >= n) {
        done();
        const all = Buffer.concat(parts);
        if (all.length > n) stream.unshift(all.subarray(n));
        resolve(all.subarray(0, n));
      }
    };
    const onEnd = () => {
      done();
      reject(new Error(`stream ended after ${got} of ${n} bytes`));
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    const done = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.pause();
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

/** Writes `data` honouring backpressure (waits for 'drain'). */
export async function writeAll(stream: Duplex, data: Buffer, chunk = 64 * 1024): Promise<void> {
  for (let off = 0; off < data.length; off += chunk) {
    if (!stream.write(data.subarray(off, off + chunk))) await new Promise<void>((r) => stream.once('drain', () => r()));
  }
}

/** How a stream ended: 'end' (clean) or the error it failed with. */
export function streamOutcome(stream: Duplex): Promise<{ ended: boolean; error?: Error & { closeCode?: number } }> {
  return new Promise((resolve) => {
    stream.on('data', () => {});
    stream.once('end', () => resolve({ ended: true }));
    stream.once('error', (error: Error & { closeCode?: number }) => resolve({ ended: false, error }));
  });
}

/** A raw WebSocket to the relay; `closed` resolves with the close code and reason it received. */
export async function rawClient(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }>; messages: string[] }> {
  const ws = new WebSocket(url, { perMessageDeflate: false, headers });
  const messages: string[] = [];
  ws.on('message', (d, isBinary) => messages.push(isBinary ? `<${(d as Buffer).length} bytes>` : String(d)));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed, messages };
}

/** Sends a relay hello on a raw client. */
export function sendHello(ws: WebSocket, op: 'host' | 'join', pairing: string): void {
  ws.send(JSON.stringify({ v: 1, op, pairing }));
}

/**
 * Helpers for the link's tests (real TCP on 127.0.0.1, no mocks): channel schemas, a recording
 * logger, socket pairs, and a "raw helper" that completes a real handshake and then lets a test
 * write arbitrary bytes as an authenticated but hostile peer. Not used by production code.
 */
import net, { type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LogLevel } from '../platform/app-logger';
import type { ChannelSchemas, LinkLog } from './link-options';
import type { DirectionKey } from './record-layer';
import { runInitiatorHandshake, type InitiatorResult } from './handshake-initiator';
import type { InvitationListener, InvitationListenerEvents } from './invitation-listener';

/** Header schemas for the four channels, as services might define them. */
export const testChannelSchemas: ChannelSchemas = {
  control: z.object({ kind: z.enum(['input', 'grant', 'revoke']), x: z.number().finite().optional() }),
  chat: z.object({ text: z.string().max(2000) }),
  files: z.object({ id: z.string().max(64), seq: z.number().int().nonnegative() }),
  signal: z.object({ sdp: z.string().max(10_000) }),
};

/** A logger that records entries (and never prints). */
export function recordingLog(): { log: LinkLog; entries: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] } {
  const entries: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
  return { entries, log: (level, message, fields) => void entries.push({ level, message, fields }) };
}

/** A fresh random traffic key. */
export function randomDirectionKey(): DirectionKey {
  return { key: new Uint8Array(randomBytes(32)), noncePrefix: new Uint8Array(randomBytes(4)) };
}

/** Two connected TCP sockets on loopback: [client, server]. */
export async function tcpPair(): Promise<[Socket, Socket]> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = new Promise<Socket>((r) => server.once('connection', r));
  const client = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', () => r()));
  const serverSide = await accepted;
  server.close();
  return [client, serverSide];
}

/** Resolves with the next payload of a listener event. */
export function nextEvent<E extends keyof InvitationListenerEvents>(listener: InvitationListener, event: E): Promise<InvitationListenerEvents[E]> {
  return new Promise((resolve) => {
    const off = listener.on(event, (p) => {
      off();
      resolve(p);
    });
  });
}

/** Connects to a listener and completes a real handshake as the helper, leaving the raw socket to the test. */
export async function rawHelper(port: number, invitationId: string, password: string, helperName = 'Mallory'): Promise<InitiatorResult & { socket: Socket }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const result = await runInitiatorHandshake(socket, { invitationId, password, helperName, timeoutMs: 5000 });
  socket.resume();
  return { ...result, socket };
}

/** Measures the worst event-loop stall while `run` is pending (a 10 ms timer that records its lateness). */
export async function worstEventLoopDelay<T>(run: () => Promise<T>): Promise<{ result: T; worstMs: number }> {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  try {
    const result = await run();
    return { result, worstMs: worst };
  } finally {
    clearInterval(timer);
  }
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A random invitation id of the production shape. */
export function testInvitationId(): string {
  return randomBytes(16).toString('base64url');
}

/** Two ends of an in-memory byte stream, for a SecureLink whose peer is the test (node:stream has no duplexPair before Node 22). */
export function memoryStreamPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (other: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        other().push(chunk);
        cb();
      },
      final(cb) {
        other().push(null);
        cb();
      },
    });
  ends.push(make(() => ends[1]!), make(() => ends[0]!));
  return [ends[0]!, ends[1]!];
}

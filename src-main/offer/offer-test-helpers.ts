/**
 * Helpers for the offer tests (real TCP on loopback, no mocks): key pairs, a raw peer that speaks
 * framed messages by hand (to replay or forge), and a man-in-the-middle proxy that can rewrite
 * handshake messages in flight. Not used by production code.
 */
import net, { type Socket } from 'node:net';
import { generateEd25519, type Ed25519KeyPair } from './ed25519-keys';
import { fingerprintOf } from './fingerprint';
import { OfferDecoder, encodeOfferMessage, type OfferMessage } from './offer-messages';

/** A fresh key pair with its fingerprint. */
export function testKey(): { pair: Ed25519KeyPair; fingerprint: string } {
  const { pair } = generateEd25519();
  return { pair, fingerprint: fingerprintOf(pair.publicKey) };
}

/** A TCP port that was free a moment ago (for settings that cannot say "any port"). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Connects to 127.0.0.1:port (optionally from another loopback address). */
export function connectTcp(port: number, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** A peer that writes and reads framed offer messages by hand. */
export class RawPeer {
  private readonly decoder = new OfferDecoder();
  private readonly queue: OfferMessage[] = [];
  private waiters: ((m: OfferMessage | null) => void)[] = [];
  private ended = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.decoder.push(d);
      for (let m = this.decoder.next(); m; m = this.decoder.next()) this.deliver(m);
    });
    socket.on('close', () => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w(null);
    });
    socket.on('error', () => {});
  }

  send(msg: OfferMessage | Record<string, unknown>): void {
    this.socket.write(encodeOfferMessage(msg as OfferMessage));
  }

  /** The next message, or null when the peer closed without one. */
  next(): Promise<OfferMessage | null> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.ended) return Promise.resolve(null);
    return new Promise((r) => this.waiters.push(r));
  }

  private deliver(m: OfferMessage): void {
    const w = this.waiters.shift();
    if (w) w(m);
    else this.queue.push(m);
  }
}

/** Rewrites (or records) one handshake message in flight; return the message to forward. */
export type Rewrite = (msg: OfferMessage, direction: 'to-requester' | 'to-helper') => OfferMessage;

/**
 * A TCP proxy on 127.0.0.1 that parses the handshake messages in both directions, passes them
 * through `rewrite`, and forwards everything after `offer-accept` untouched.
 */
export async function startMitmProxy(targetPort: number, rewrite: Rewrite): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    let raw = false; // after offer-accept: record layer bytes, passed untouched
    const pipe = (from: Socket, to: Socket, direction: 'to-requester' | 'to-helper') => {
      const dec = new OfferDecoder();
      from.on('data', (d: Buffer) => {
        if (raw) return void to.write(d);
        try {
          dec.push(d);
          for (let m = dec.next(); m; m = dec.next()) {
            to.write(encodeOfferMessage(rewrite(m, direction)));
            if (m.type === 'offer-accept') {
              raw = true;
              const rest = dec.takeRemaining();
              if (rest.length) to.write(rest);
              break;
            }
          }
        } catch {
          to.write(d); // not a handshake message: forward as is
        }
      });
    };
    pipe(client, upstream, 'to-requester');
    pipe(upstream, client, 'to-helper');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Flips one bit of a base64 field (still canonical base64 of the same length). */
export function flipBit(b64: string): string {
  const b = Buffer.from(b64, 'base64');
  b[b.length >> 1]! ^= 0x01;
  return b.toString('base64');
}

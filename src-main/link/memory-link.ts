import type { ChannelName } from '../../src-shared/protocol/channels';
import type { LinkCloseInfo, PeerChannel, PeerLink } from './link-types';

/**
 * Two PeerLinks joined in memory, for unit tests of services that sit on the link (files, chat,
 * session). Messages are copied and delivered asynchronously; there is no encryption here — the
 * real link has its own tests, and services are also tested over it.
 */
export function createMemoryLinkPair(names: [string, string] = ['helper', 'requester'], opts: { highWaterMark?: number } = {}): [PeerLink, PeerLink] {
  const hwm = opts.highWaterMark ?? 8 * 1024 * 1024;
  type Side = {
    name: string;
    handlers: Map<ChannelName, Set<(h: unknown, b: Uint8Array | undefined) => void>>;
    drain: Set<() => void>;
    close: Set<(i: LinkCloseInfo) => void>;
    closed: boolean;
    inFlight: number;
    link?: PeerLink;
  };
  const mk = (name: string): Side => ({ name, handlers: new Map(), drain: new Set(), close: new Set(), closed: false, inFlight: 0 });
  const a = mk(names[0]);
  const b = mk(names[1]);
  const shutdown = (closer: Side, other: Side, message: string) => {
    if (closer.closed) return;
    closer.closed = other.closed = true;
    for (const cb of closer.close) void Promise.resolve().then(() => cb({ reason: 'closed-locally', message }));
    for (const cb of other.close) void Promise.resolve().then(() => cb({ reason: 'closed-by-peer', message }));
  };
  const makeLink = (self: Side, other: Side): PeerLink => ({
    localName: self.name,
    peerName: other.name,
    peerAddress: 'memory',
    get closed() {
      return self.closed;
    },
    channel(name): PeerChannel {
      return {
        send(header, body) {
          if (self.closed) return false;
          const size = (body?.byteLength ?? 0) + 64;
          self.inFlight += size;
          const h = JSON.parse(JSON.stringify(header)) as unknown;
          const copy = body ? new Uint8Array(body) : undefined;
          setImmediate(() => {
            self.inFlight -= size;
            if (!other.closed) for (const cb of other.handlers.get(name) ?? []) cb(h, copy);
            if (self.inFlight <= hwm / 2) for (const cb of self.drain) cb();
          });
          return self.inFlight < hwm;
        },
        onMessage(cb) {
          let set = self.handlers.get(name);
          if (!set) self.handlers.set(name, (set = new Set()));
          set.add(cb);
          return () => set.delete(cb);
        },
        onDrain(cb) {
          self.drain.add(cb);
          return () => self.drain.delete(cb);
        },
      };
    },
    onClose(cb) {
      self.close.add(cb);
      return () => self.close.delete(cb);
    },
    close(message = 'closed') {
      shutdown(self, other, message);
    },
  });
  a.link = makeLink(a, b);
  b.link = makeLink(b, a);
  return [a.link, b.link];
}

import type { TextConnection } from './wire';

/**
 * Two connected in-memory ends. Messages are delivered asynchronously (like a real socket) and as
 * strings, so everything that crosses is really serialised.
 */
export function createMemoryPair(): [TextConnection, TextConnection] {
  const make = () => ({ msg: new Set<(t: string) => void>(), close: new Set<() => void>(), closed: false });
  const a = make();
  const b = make();
  const end = (self: ReturnType<typeof make>, other: ReturnType<typeof make>): TextConnection => ({
    send(text) {
      if (self.closed) throw new Error('connection closed');
      void Promise.resolve().then(() => {
        if (!other.closed) for (const cb of other.msg) cb(text);
      });
    },
    onMessage: (cb) => void self.msg.add(cb),
    onClose: (cb) => void self.close.add(cb),
    close() {
      for (const s of [self, other]) {
        if (s.closed) continue;
        s.closed = true;
        for (const cb of s.close) void Promise.resolve().then(cb);
      }
    },
  });
  return [end(a, b), end(b, a)];
}

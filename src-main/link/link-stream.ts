/**
 * The byte stream a link runs on: a TCP socket (direct) or a relay stream (src-main/relay/). The
 * handshake and the record layer only need an ordered, reliable byte stream, so they take a plain
 * Node Duplex; the TCP-only extras are optional. Everything the link's security rests on (PAKE,
 * sealed frames with counters) is end to end, so a stream that passes through a third party (a
 * relay) is no weaker: that party can delay or drop bytes, never read or alter them unnoticed.
 */
import type { Duplex } from 'node:stream';

/** A binary Duplex carrying the link: `net.Socket` satisfies it as is. */
export type LinkStream = Duplex & {
  /** TCP only: disable Nagle (input events are tiny and latency-sensitive). */
  setNoDelay?(noDelay?: boolean): unknown;
  /** TCP only: the peer's address; a relay stream has none (the relay is not the peer). */
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
};

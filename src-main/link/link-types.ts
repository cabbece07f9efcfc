import type { ChannelName } from '../../src-shared/protocol/channels';

/** Why a link ended, as both sides and the audit log report it. */
export type LinkCloseReason =
  | 'closed-by-peer'
  | 'closed-locally'
  | 'timeout'
  | 'protocol-error'
  | 'tampered'
  | 'oversized'
  | 'flood'
  | 'socket-error';

export interface LinkCloseInfo {
  reason: LinkCloseReason;
  /** A sentence for logs and, where useful, the user. */
  message: string;
}

/**
 * One channel of the encrypted peer link. A message is a JSON header (validated against the
 * channel's schema on arrival) plus optional bytes (file chunks). `send` returns false when the
 * link's buffer is full: wait for `onDrain` before sending more (flow control).
 */
export interface PeerChannel {
  send(header: object, body?: Uint8Array): boolean;
  onMessage(cb: (header: unknown, body: Uint8Array | undefined) => void): () => void;
  onDrain(cb: () => void): () => void;
}

/** The authenticated, encrypted link between two mains, after the handshake. */
export interface PeerLink {
  readonly localName: string;
  readonly peerName: string;
  /** The peer's network address as seen by this side (for consent prompts and the audit log). */
  readonly peerAddress: string;
  channel(name: ChannelName): PeerChannel;
  onClose(cb: (info: LinkCloseInfo) => void): () => void;
  readonly closed: boolean;
  close(reason?: string): void;
}

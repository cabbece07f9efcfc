import { z } from 'zod';
import { method } from './define';
import { SESSION_STATES } from '../session/session-machine';
import { SignalData } from '../protocol/control';

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

/** The session as each page shows it. */
export const SessionView = z.object({
  sessionId: z.string(),
  role: z.enum(['requester', 'helper']),
  kind: z.enum(['invitation', 'offer']),
  state: z.enum(SESSION_STATES),
  peerName: z.string(),
  peerAddress: z.string(),
  startedAt: z.number(),
  controlAllowed: z.boolean(),
  /** Why control cannot be requested (view-only policy …), for the disabled button. */
  controlReason: z.string().nullable(),
  /** A control request is waiting for the requester's answer. */
  controlPending: z.boolean(),
  /** Why the session ended, once it has. */
  endedReason: z.string().nullable(),
  /** A one-line notice to show (control refused, …), cleared on the next change. */
  notice: z.string().nullable(),
  /** ICE servers the page must use (never a third-party default). */
  iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() })),
  /** 'relay': the page's RTCPeerConnection may use TURN candidates only (policy); absent means 'all'. */
  iceTransportPolicy: z.enum(['all', 'relay']).optional(),
});
export type SessionView = z.infer<typeof SessionView>;

export const sessionMethods = {
  'session.get': method(empty, z.object({ session: SessionView.nullable() })),
  /** Helper: ask the requester for control. */
  'session.requestControl': method(empty, ok),
  /** Requester: take control back (the button); helper: give it back. */
  'session.stopControl': method(empty, ok),
  /** Requester: the page saw the Esc key (main decides whether it was the requester's own). */
  'session.escape': method(empty, z.object({ revoked: z.boolean() })),
  /** Requester: pause or resume sharing. */
  'session.pause': method(z.object({ paused: z.boolean() }).strict(), ok),
  /** Either side: end the session. */
  'session.end': method(empty, ok),
  /** Forget an ended session (back to the start screen). */
  'session.dismiss': method(empty, ok),
  /** WebRTC signalling from this page's peer, to be carried to the other side over the link. */
  'session.signal': method(z.object({ data: SignalData }).strict(), ok),
  /**
   * Requester: the screens that can be shared. In the browser host the browser's own picker
   * chooses (`pickedByBrowser`); in the desktop app main lists them and answers the capture with
   * the one chosen here.
   */
  'session.screens': method(empty, z.object({ screens: z.array(z.object({ id: z.string(), name: z.string() })), chosen: z.string().nullable(), pickedByBrowser: z.boolean() })),
  'session.chooseScreen': method(z.object({ id: z.string().min(1).max(200) }).strict(), ok),
  /** Helper: input events over the video (normalised); validated again by the requester's gate. */
  'session.input': method(z.object({ events: z.array(z.unknown()).min(1).max(64) }).strict(), ok),
} as const;

export const sessionEvents = {
  'session.state': z.object({ session: SessionView.nullable() }),
  'session.signal': z.object({ data: SignalData }),
} as const;

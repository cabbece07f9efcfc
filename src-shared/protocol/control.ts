import { z } from 'zod';
import { SESSION_STATES } from '../session/session-machine';

/** Reasons for control ending, as the audit log and both sides show them. */
export const RevokeBy = z.enum(['button', 'esc', 'link-loss', 'policy', 'helper', 'session-end', 'pause']);
export type RevokeBy = z.infer<typeof RevokeBy>;

const reason = z.string().max(500);

/**
 * Messages on the link's `control` channel. The requester's main is authoritative for the session
 * state (`state`); the helper asks (`control.request`), forwards input (`input`) and may leave
 * (`end`). Every message is validated on arrival; anything else is dropped and logged.
 */
export const ControlMessage = z.discriminatedUnion('type', [
  /** Requester → helper: the session state as the requester's main sees it. */
  z
    .object({
      type: z.literal('state'),
      state: z.enum(SESSION_STATES),
      /** Whether the helper may ask for control at all, and if not, why (policy, invitation). */
      controlAllowed: z.boolean(),
      controlReason: reason.nullable(),
    })
    .strict(),
  /** Requester → helper: the viewing consent was declined or timed out. */
  z.object({ type: z.literal('consent.declined'), kind: z.enum(['view', 'control']), timedOut: z.boolean() }).strict(),
  /** Helper → requester: please let me control. */
  z.object({ type: z.literal('control.request') }).strict(),
  /** Requester → helper: the answer to a control request that was not granted (declined, refused, busy). */
  z.object({ type: z.literal('control.refused'), reason }).strict(),
  /** Requester → helper: control ended, and how. */
  z.object({ type: z.literal('control.revoked'), by: RevokeBy }).strict(),
  /**
   * Requester → helper, while controlling: the helper's input is held back (true) because a
   * question is on the requester's screen that only they may answer, or works again (false).
   */
  z.object({ type: z.literal('input.held'), held: z.boolean() }).strict(),
  /** Helper → requester: I give control back. */
  z.object({ type: z.literal('control.release') }).strict(),
  /** Helper → requester: input events (validated again, one by one, by the input gate). */
  z.object({ type: z.literal('input'), events: z.array(z.unknown()).min(1).max(64) }).strict(),
  /** Either side: the session ends. */
  z.object({ type: z.literal('end'), reason }).strict(),
]);
export type ControlMessage = z.infer<typeof ControlMessage>;

/** Chat on the link's `chat` channel. Text is shown as text, never as HTML. */
// 10 000 UTF-16 units: even all escaped control characters (6 bytes each in JSON) fit one link header (64 KiB).
export const MAX_CHAT_LENGTH = 10_000;
export const ChatMessage = z
  .object({
    type: z.literal('chat'),
    id: z.string().min(1).max(64),
    text: z.string().min(1).max(MAX_CHAT_LENGTH),
    sentAt: z.number().finite(),
  })
  .strict();
export type ChatMessage = z.infer<typeof ChatMessage>;

/**
 * WebRTC signalling (simple-peer's signal objects) on the link's `signal` channel. Carried over the
 * authenticated link, so the DTLS fingerprints in the SDP are as trustworthy as the link itself.
 */
export const SignalData = z.union([
  z.object({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(65_536).optional() }).strict(),
  z
    .object({
      type: z.literal('candidate'),
      candidate: z
        .object({
          candidate: z.string().max(2048),
          sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
          sdpMid: z.string().max(64).nullable().optional(),
          usernameFragment: z.string().max(256).nullable().optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ renegotiate: z.literal(true) }).strict(),
  z.object({ transceiverRequest: z.object({ kind: z.enum(['audio', 'video']), init: z.record(z.string(), z.unknown()).optional() }).strict() }).strict(),
]);
export type SignalData = z.infer<typeof SignalData>;

export const SignalMessage = z.object({ type: z.literal('signal'), data: SignalData }).strict();
export type SignalMessage = z.infer<typeof SignalMessage>;

/**
 * The link's own messages on channel 0: the requester's "ready" (it accepted the helper's key
 * confirmation), keepalive pings and pongs, and a goodbye carrying the reason. They travel inside
 * sealed frames like everything else, so a network attacker can neither forge nor suppress a
 * goodbye without the link noticing.
 */
import { z } from 'zod';
import { LINK_CHANNEL_ID, type FrameSealer } from './record-layer';

/** Why the requester refuses a helper whose password was right (a race lost to another helper, or a cancelled invitation). */
export const LinkRefusal = z.enum(['used', 'cancelled', 'expired']);
export type LinkRefusal = z.infer<typeof LinkRefusal>;

/** Schema of every channel-0 message; anything else there is a protocol error. */
export const LinkMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready') }).strict(),
  z.object({ t: z.literal('ping'), n: z.number().int().nonnegative() }).strict(),
  z.object({ t: z.literal('pong'), n: z.number().int().nonnegative() }).strict(),
  z.object({ t: z.literal('close'), message: z.string().max(1000), refusal: LinkRefusal.optional() }).strict(),
]);
export type LinkMessage = z.infer<typeof LinkMessage>;

/** Seals one channel-0 message into frame pieces ready to write. */
export function sealLinkMessage(sealer: FrameSealer, msg: LinkMessage): Buffer[] {
  return sealer.seal(LINK_CHANNEL_ID, Buffer.from(JSON.stringify(msg), 'utf8'));
}

/**
 * Makes a peer-supplied sentence safe to show and log: no control or bidirectional-override
 * characters (which could disguise text in a prompt or a log line), and a bounded length.
 */
export function sanitizePeerText(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').trim();
  return clean.length > max ? clean.slice(0, max - 1) + '…' : clean;
}

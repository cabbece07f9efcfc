import { z } from 'zod';
import { method } from './define';

const empty = z.object({}).strict();

/** A computer the helper offered help to recently (most recent first). */
export const RecentComputer = z
  .object({
    host: z.string().min(1).max(253),
    /** null: the default offer port. */
    port: z.number().int().min(1).max(65535).nullable(),
    /** The name the computer proved with its host key. */
    computerName: z.string().max(256).nullable(),
    lastUsedAt: z.string().max(64),
  })
  .strict();
export type RecentComputer = z.infer<typeof RecentComputer>;

/** This profile's helper ID: the name, the fingerprint administrators list, and the export file's text. */
export const HelperIdentityView = z.object({
  name: z.string(),
  fingerprint: z.string(),
  exportText: z.string(),
  exportFileName: z.string(),
});
export type HelperIdentityView = z.infer<typeof HelperIdentityView>;

/** Whether this computer listens for offers, as main sees it now. */
export const OfferListenerStatus = z.object({
  /** Policy `allowOffers`. */
  enabled: z.boolean(),
  /** The listener is bound and accepting. */
  listening: z.boolean(),
  /** The port from policy (or the bound port). */
  port: z.number().int(),
  /** Why it is not listening although enabled (port in use …), else null. */
  error: z.string().nullable(),
  /** Helper IDs on the allow-list (helpers and administrators, distinct). */
  allowListCount: z.number().int(),
  /** This computer's host-key fingerprint, which helpers see when they first connect. */
  hostFingerprint: z.string().nullable(),
  computerName: z.string(),
});
export type OfferListenerStatus = z.infer<typeof OfferListenerStatus>;

/** A computer name, DNS name or IP address as typed (IPv6 with or without brackets). */
const HostInput = z
  .string()
  .trim()
  .min(1, 'Type the computer name or IP address.')
  .max(253)
  .regex(/^(\[[0-9A-Fa-f:.%\w-]+\](:\d{1,5})?|[A-Za-z0-9._:%-]+)$/, 'A computer name or IP address has only letters, digits, dots, hyphens and colons.');

export const offerMethods = {
  /** Helper: offers help to a computer; resolves once it accepted the offer (its user is being asked). */
  'offer.connect': method(
    z.object({ host: HostInput, port: z.number().int().min(1).max(65535).optional() }).strict(),
    z.object({ ok: z.literal(true), computerName: z.string(), hostFingerprint: z.string(), firstContact: z.boolean() }),
  ),
  /** Helper: the last computers offered help to. */
  'offer.recent': method(empty, z.object({ computers: z.array(RecentComputer) })),
  /** Requester: whether the offer listener runs, on which port, and how many helpers are listed. */
  'offer.listenerStatus': method(empty, OfferListenerStatus),
  /** This profile's helper ID (created on first use). */
  'identity.get': method(empty, HelperIdentityView),
  /** The helper ID file for an administrator; saved by main when `savePath` is given (a full path, or a name in Downloads). */
  'identity.export': method(
    z.object({ savePath: z.string().min(1).max(4096).optional() }).strict(),
    z.object({ fileName: z.string(), text: z.string(), savedTo: z.string().nullable() }),
  ),
} as const;

export const offerEvents = {
  /** The offer listener started, stopped or failed (policy change, port problem). */
  'offer.listener': OfferListenerStatus,
} as const;

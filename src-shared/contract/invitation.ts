import { z } from 'zod';
import { method } from './define';

const empty = z.object({}).strict();

/** The requester's open invitation as the page shows it. */
export const InvitationView = z.object({
  invitationId: z.string(),
  state: z.enum(['open', 'connected', 'expired', 'cancelled', 'locked']),
  createdAt: z.string(),
  expiresAt: z.string(),
  mode: z.enum(['encrypted', 'compatibility']),
  allowControl: z.boolean(),
  attemptsLeft: z.number().int(),
  port: z.number().int(),
  /** Where the file was saved by main, if it was. */
  savedTo: z.string().nullable(),
  fileName: z.string(),
  /** The last thing that happened (a wrong password from an address …), for the waiting screen. */
  lastEvent: z.string().nullable(),
  /** A firewall notice for the listener's port, or null when it is not blocked (or unknown). */
  firewallNotice: z.string().nullable(),
});
export type InvitationView = z.infer<typeof InvitationView>;

/** What the helper sees after opening an invitation file, before typing the password. */
export const OpenedInvitation = z.object({
  fileName: z.string(),
  requesterUser: z.string(),
  requesterComputer: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  expired: z.boolean(),
  allowControl: z.boolean(),
  mode: z.enum(['encrypted', 'compatibility']),
});
export type OpenedInvitation = z.infer<typeof OpenedInvitation>;

/** What `invitation.email` did; `message` says it in words, with the next step. */
export const EmailResult = z.object({
  /** attached: a new mail with the file attached · manual-attach: a new mail, the user attaches the file · saved-only: no mail program. */
  outcome: z.enum(['attached', 'manual-attach', 'saved-only']),
  /** Where the invitation file is (saved into the downloads folder first if it was not yet). */
  savedTo: z.string(),
  /** The file's folder was opened in the file manager so the user can find or attach it. */
  revealed: z.boolean(),
  message: z.string(),
});
export type EmailResult = z.infer<typeof EmailResult>;

export const invitationMethods = {
  /** A strong generated password, easy to read aloud. */
  'invitation.suggestPassword': method(empty, z.object({ password: z.string() })),
  /** Creates the invitation and opens the listener; the file is returned for download and saved if asked. */
  'invitation.create': method(
    z
      .object({
        password: z.string().max(256),
        lifetimeMinutes: z.number().int().min(1).max(60 * 24 * 366).optional(),
        compatibility: z.boolean().optional(),
        /** Save the file here (a full path, or a file name for the profile's downloads folder). */
        savePath: z.string().max(4096).optional(),
      })
      .strict(),
    z.object({ invitation: InvitationView, fileText: z.string(), lifetimeCapped: z.boolean() }),
  ),
  /** The current invitation, or null. */
  'invitation.get': method(empty, z.object({ invitation: InvitationView.nullable() })),
  /** Cancels the open invitation (closes the listener). */
  'invitation.cancel': method(empty, z.object({ ok: z.literal(true) })),
  /** Opens a new e-mail with the open invitation's file (never the password); falls back to showing the saved file. */
  'invitation.email': method(empty, EmailResult),
  /** Helper: reads an invitation file (by path, or its content from a browser file picker). */
  'invitation.open': method(
    z.union([z.object({ path: z.string().min(1).max(4096) }).strict(), z.object({ name: z.string().max(255), content: z.string().max(256 * 1024) }).strict()]),
    OpenedInvitation,
  ),
  /** Helper: connects to the opened invitation with its password; resolves once linked. */
  'invitation.connect': method(z.object({ password: z.string().min(1).max(256) }).strict(), z.object({ ok: z.literal(true) })),
} as const;

export const invitationEvents = {
  'invitation.state': z.object({ invitation: InvitationView.nullable() }),
} as const;

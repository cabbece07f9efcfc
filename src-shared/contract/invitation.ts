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
  /** Reached only by an Easy Connect code (no file; the code was returned by `invitation.create`). */
  easyConnect: z.boolean().optional(),
  /** Where the invitation stands at the relay ("Waiting at the relay …", a retry), or null without a relay. */
  relayStatus: z.string().nullable().optional(),
  /** False when the policy allows relayed connections only (the port above is then not reachable from the network). */
  direct: z.boolean().optional(),
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
        /** Required for a file invitation; absent for Easy Connect, whose code carries its own password. */
        password: z.string().max(256).optional(),
        lifetimeMinutes: z.number().int().min(1).max(60 * 24 * 366).optional(),
        compatibility: z.boolean().optional(),
        /** Save the file here (a full path, or a file name for the profile's downloads folder). */
        savePath: z.string().max(4096).optional(),
        /** Make an Easy Connect code instead of a file (needs a relay server). */
        easyConnect: z.boolean().optional(),
      })
      .strict(),
    z.object({
      invitation: InvitationView,
      /** The file's text; empty for Easy Connect (a file sealed with the code's short password could be attacked offline). */
      fileText: z.string(),
      lifetimeCapped: z.boolean(),
      /** Easy Connect only: the code to read to the helper (it holds the password: show it, never log it). */
      easyConnectCode: z.string().optional(),
    }),
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
  /** Helper: connects with an Easy Connect code typed in (through this computer's relay server); resolves once linked. */
  'invitation.connectCode': method(z.object({ code: z.string().min(1).max(64) }).strict(), z.object({ ok: z.literal(true) })),
} as const;

export const invitationEvents = {
  'invitation.state': z.object({ invitation: InvitationView.nullable() }),
} as const;

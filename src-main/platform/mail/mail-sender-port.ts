/** One invitation e-mail to compose. The password is never part of it (see mail-text.ts). */
export interface InvitationMail {
  /** Absolute path of the saved invitation file to attach. */
  readonly file: string;
  readonly subject: string;
  readonly body: string;
}

/** How far composing got. */
export interface MailOutcome {
  /** What opened the message: a platform mail path, a bare `mailto:` link, or nothing at all. */
  via: 'xdg-email' | 'mail-script' | 'mail-app' | 'mapi' | 'mailto' | 'none';
  /** The file is attached to the new message (false for `mailto:`, which cannot attach). */
  attached: boolean;
  /** The file's folder was opened in the file manager, so the user can attach or send it. */
  revealed: boolean;
  /** Why no mail program could be used (for the log and the message), or null. */
  problem: string | null;
}

/**
 * The `MailSender` port (DESIGN.md §7): opens the user's own mail program with a new message. It
 * never sends anything by itself; the user reviews, addresses and sends the message.
 */
export interface MailSender {
  send(mail: InvitationMail): Promise<MailOutcome>;
}

/**
 * Windows Simple MAPI (`MAPISendMail`), which attaches files in Outlook and other MAPI clients. It
 * needs native code we do not ship yet, so the composition root passes null and the sender falls
 * back to `mailto:` plus the saved file shown in Explorer.
 */
export interface SimpleMapi {
  /** Resolves true when the client took the message, false when MAPI is not usable here. */
  sendMail(mail: InvitationMail): Promise<boolean>;
}

import path from 'node:path';
import type { EmailResult } from '../../../src-shared/contract/index';
import { invitationMailText, type MailFacts } from './mail-text';
import type { MailOutcome, MailSender } from './mail-sender-port';

const PASSWORD_NOTE = 'Tell them the password separately, by phone or in person, never in the e-mail.';

/** The sentence the page shows after "Send by e-mail": what happened and what to do next. */
export function emailResultText(o: MailOutcome, file: string): Pick<EmailResult, 'outcome' | 'message'> {
  const name = path.basename(file);
  if (o.attached) {
    return { outcome: 'attached', message: `Your e-mail program opened a new message with the invitation attached. Add your helper's address and send it. ${PASSWORD_NOTE}` };
  }
  const where = o.revealed ? `it is shown in the folder window that just opened (${file})` : `it is saved as ${file}`;
  if (o.via === 'mailto') {
    return { outcome: 'manual-attach', message: `Your e-mail program opened a new message. Attach the invitation file ${name} to it (${where}), add your helper's address and send it. ${PASSWORD_NOTE}` };
  }
  return {
    outcome: 'saved-only',
    message: `No e-mail program could be opened on this computer (${o.problem ?? 'none was found'}). The invitation file ${name} is ready: ${where}. Send it to your helper another way, for example attached to a message from your webmail. ${PASSWORD_NOTE}`,
  };
}

/**
 * Composes the invitation e-mail for an already saved file and opens it in the user's mail
 * program. The text is built from `facts`, which has no password in it by construction.
 */
export async function emailInvitation(sender: MailSender, file: string, facts: MailFacts): Promise<EmailResult> {
  const { subject, body } = invitationMailText(facts);
  const outcome = await sender.send({ file, subject, body });
  return { ...emailResultText(outcome, file), savedTo: file, revealed: outcome.revealed };
}

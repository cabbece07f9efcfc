import path from 'node:path';
import type { Handlers } from '../../../src-shared/rpc/rpc-server';
import { AppError } from '../../../src-shared/contract/errors';
import { generatePassword } from '../../invitation/password';
import { computerName } from '../../platform/system-info';
import { emailInvitation } from '../../platform/mail/email-invitation';
import type { MailSender } from '../../platform/mail/mail-sender-port';
import type { InstanceHandoff } from '../instance-handoff';
import type { Services } from '../services';

/** `invitation.*`: the requester's invitations and the helper's opening of one. */
export function invitationHandlers(
  s: Services,
  mail: MailSender,
  handoff: InstanceHandoff | null = null,
): Pick<Handlers, 'invitation.suggestPassword' | 'invitation.create' | 'invitation.get' | 'invitation.cancel' | 'invitation.email' | 'invitation.open' | 'invitation.connect' | 'invitation.connectCode'> {
  return {
    'invitation.suggestPassword': () => ({ password: generatePassword() }),
    'invitation.create': async (req) => {
      // `remote-assist --invite --save FILE` chose where the file goes; the page need not know.
      const target = req.savePath === undefined ? (handoff?.inviteSavePath ?? undefined) : undefined;
      const r = await s.invitations.create(target ? { ...req, savePath: target } : req);
      if (target) handoff?.consumeInviteSavePath();
      return r;
    },
    'invitation.get': () => ({ invitation: s.invitations.view() }),
    'invitation.cancel': async () => {
      await s.invitations.cancel('user');
      return { ok: true as const };
    },
    'invitation.email': async () => {
      // Disabling invitations disables every way of sending one (DESIGN.md §5).
      if (!s.policy.value('allowInvitations')) throw new AppError('disabled-by-policy', 'Your administrator has turned off invitations on this computer, so there is nothing to send.');
      const file = await s.invitations.ensureSaved();
      const view = s.invitations.view()!;
      // The name the helper will see on the attachment: where it was saved, not the suggested one.
      return emailInvitation(mail, file, { fileName: path.basename(file), requesterUser: s.userName, requesterComputer: computerName(), expiresAt: view.expiresAt });
    },
    'invitation.open': (req) => s.helper.open(req),
    'invitation.connect': async ({ password }) => {
      await s.helper.connect(password);
      return { ok: true as const };
    },
    'invitation.connectCode': async ({ code }) => {
      await s.helper.connectByCode(code);
      return { ok: true as const };
    },
  };
}
